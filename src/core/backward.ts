// Reverse mode: walk the tape backwards from a root, spreading vector-Jacobian products.
import type { Tensor } from "./tensor.js";
import { GumbelgradError, formatShape } from "./errors.js";
import { ancestry, tape, type TapeEntry } from "./tape.js";
import { add, cast } from "../ops/index.js";
import { ones } from "./tensor.js";
import { anomalyDetectionEnabled, checkGradient, duringBackward } from "./anomaly.js";
import { sameShape } from "../kernels/layout.js";

export interface BackwardOptions {
  /** Record the vjps themselves, so the gradients can be differentiated again. Implies retainGraph. */
  createGraph?: boolean;
  /** Keep the graph after this pass, so a second backward can go through it. */
  retainGraph?: boolean;
}

/** `root.backward(seed)`: leaves that require grad get the gradient added into `.grad`. */
export function runBackward(root: Tensor, seed: Tensor | undefined, opts: BackwardOptions): void {
  const leafGrads = sweep(root, seed, opts, null);
  for (const [leaf, g] of leafGrads) {
    leaf.grad = leaf.grad ? tape.withRecording(!!opts.createGraph, () => add(leaf.grad!, g)) : g;
  }
}

/**
 * ∂root/∂input for each input (times `seed`), without touching any `.grad`. Inputs that the root
 * does not depend on get null. This is the engine behind `grad` and `gradcheck`.
 */
export function gradients(root: Tensor, inputs: Tensor[], seed: Tensor | undefined, opts: BackwardOptions): (Tensor | null)[] {
  const found = sweep(root, seed, opts, new Set(inputs));
  return inputs.map((t) => found.get(t) ?? null);
}

/**
 * The reverse sweep over the root's part of the tape, newest entry first.
 * Returns the gradients that reached `wanted` tensors, or, when wanted is null, the leaves.
 */
function sweep(root: Tensor, seed: Tensor | undefined, opts: BackwardOptions, wanted: Set<Tensor> | null): Map<Tensor, Tensor> {
  const createGraph = !!opts.createGraph;
  const retain = createGraph || !!opts.retainGraph;
  if (!root.requiresGrad) {
    throw new GumbelgradError("backward", "the tensor does not require grad: no input of the ops that made it requires grad (or it was made inside noGrad)");
  }
  const pending = new Map<Tensor, Tensor>([[root, seedFor(root, seed)]]);
  const found = new Map<Tensor, Tensor>();
  const entries = ancestry(root);
  tape.withRecording(createGraph, () => duringBackward(() => {
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      const g = pending.get(entry.output);
      if (!g || !entry.primitive) continue; // a noise entry is a leaf: its gradient stays pending
      pending.delete(entry.output);
      if (wanted?.has(entry.output)) found.set(entry.output, g);
      spread(entry, g, pending);
      if (!retain) entry.release();
    }
  }));
  for (const [t, g] of pending) {
    if (wanted ? wanted.has(t) : !t.node?.primitive) found.set(t, createGraph ? g : g.detach());
  }
  return found;
}

function seedFor(root: Tensor, seed: Tensor | undefined): Tensor {
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new GumbelgradError("backward", `a non-scalar needs a grad argument (the vector of the vector-Jacobian product), but the tensor has shape ${formatShape(root.shape)}`);
    }
    return ones(root.shape, { dtype: root.dtype });
  }
  if (!sameShape(seed.shape, root.shape)) {
    throw new GumbelgradError("backward", `grad must have the tensor's shape, but grad has shape ${formatShape(seed.shape)} and the tensor has shape ${formatShape(root.shape)}`);
  }
  return seed;
}

/** Runs one entry's vjp and adds each input's share into `pending`. */
function spread(entry: TapeEntry, g: Tensor, pending: Map<Tensor, Tensor>): void {
  if (entry.released) {
    throw new GumbelgradError("backward", `the graph through ${entry.name} (t${entry.output.id}) was already released by an earlier backward; pass { retainGraph: true } to the first backward to go through it twice`);
  }
  if (!entry.primitive) return;
  const inputs = entry.inputs;
  const needs = new Array<boolean>(inputs.length);
  for (let k = 0; k < inputs.length; k++) needs[k] = inputs[k].requiresGrad;
  const grads = entry.primitive.vjp(g, inputs, entry.output, entry.params, needs);
  if (grads.length !== inputs.length) {
    throw new GumbelgradError(entry.name, `vjp returned ${grads.length} gradients for ${inputs.length} inputs`);
  }
  for (let k = 0; k < inputs.length; k++) {
    const gk = grads[k];
    if (needs[k] && gk) accumulate(entry, k, gk, pending);
  }
}

/** Checks one input's gradient from an entry's vjp and adds it into `pending`. */
function accumulate(entry: TapeEntry, k: number, gk: Tensor, pending: Map<Tensor, Tensor>): void {
  const input = entry.inputs[k];
  if (!sameShape(gk.shape, input.shape)) {
    throw new GumbelgradError(entry.name, `vjp returned a gradient of shape ${formatShape(gk.shape)} for input ${k} of shape ${formatShape(input.shape)}`);
  }
  if (anomalyDetectionEnabled()) checkGradient(entry.name, k, gk, entry.inputs, entry.site);
  const share = gk.dtype === input.dtype ? gk : cast(gk, input.dtype);
  const before = pending.get(input);
  pending.set(input, before ? add(before, share) : share);
}
