// Walking a graph backwards from the tensor at its end, through `tensor.node` and the entries' inputs.
import type { Tensor } from "./tensor.js";
import type { TapeEntry } from "./entry.js";

/** The entries a tensor depends on, oldest first (an op's output is always newer than its inputs). */
export function ancestry(root: Tensor): TapeEntry[] {
  const seen = new Set<TapeEntry>();
  const stack: Tensor[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!.node;
    if (!node || seen.has(node)) continue;
    seen.add(node);
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) stack.push(inputs[i]);
  }
  return [...seen].sort(byAge);
}

const byAge = (a: TapeEntry, b: TapeEntry): number => a.output.id - b.output.id;
