// The printable tape: `tape.toString()` lists the recorded ops that are still live, oldest first,
// one line per op with shapes, Gumbel noise leaves marked. Backward never reads this list; it follows
// `tensor.node` from its root (tape.ts). The list only has to show what exists, and must never keep
// alive what would otherwise be garbage.
//
// Most entries are released by backward within the same synchronous run of code (a "job") that
// recorded them, so they go into a plain list of recent entries and drop out when released. At the
// end of the job (a microtask) the entries still unreleased move to a list of WeakRefs, and leave it
// once collected. WeakRefs are made only then, because one costs about a microsecond, and because a
// WeakRef made during a job keeps its target alive until the job ends.
//
// A long synchronous loop never reaches the end of its job. If it leaves entries unreleased (a
// validation loss computed without noGrad, a `stopGradient(z_q − z)` every step), holding them in the
// recent list would keep their data alive: so the list holds at most MAX_UNRELEASED of them and
// RECENT_VALUES values, and forgets the oldest beyond that. A forgotten entry still works for
// backward; it is only no longer listed.
import type { Tensor } from "./tensor.js";
import { formatShape } from "./errors.js";
import type { TapeEntry } from "./entry.js";
import { ancestry } from "./graph.js";

/** An op's entry, or a Gumbel noise leaf (a tensor with a noiseLabel). */
type Item = TapeEntry | Tensor;

const MAX_UNRELEASED = 1024;
/** Values held by the recent items' outputs: past this (16 MB of float64) the oldest are forgotten. */
const RECENT_VALUES = 2_000_000;
/** WeakRefs kept from earlier jobs. */
const MAX_OLDER = 4096;

let recent: Item[] = [];
let recentValues = 0;
let compactAt = 2 * MAX_UNRELEASED;
let older: WeakRef<Item>[] = [];
let settleScheduled = false;

/** Adds an op's entry to the list. */
export function listEntry(entry: TapeEntry): void {
  add(entry, entry.output.size);
}

/** Adds a Gumbel noise leaf to the list, so the tape shows where randomness enters. */
export function listNoise(noise: Tensor): void {
  add(noise, noise.size);
}

function add(item: Item, values: number): void {
  recent.push(item);
  recentValues += values;
  if (recent.length > compactAt || recentValues > RECENT_VALUES) compactRecent();
  if (!settleScheduled) {
    settleScheduled = true;
    queueMicrotask(settle);
  }
}

/** Drops released entries, then the oldest unreleased ones beyond the limits. */
function compactRecent(): void {
  recent = recent.filter(isLive);
  recentValues = 0;
  for (const item of recent) recentValues += outputOf(item).size;
  let forget = Math.max(0, recent.length - MAX_UNRELEASED);
  while (forget < recent.length && recentValues > RECENT_VALUES) recentValues -= outputOf(recent[forget++]).size;
  if (forget > 0) recent = recent.slice(forget);
  compactAt = 2 * MAX_UNRELEASED;
}

/** End of a job: what is still unreleased is held weakly from now on. */
function settle(): void {
  settleScheduled = false;
  for (const item of recent) if (isLive(item)) older.push(new WeakRef(item));
  recent = [];
  recentValues = 0;
  if (older.length > MAX_OLDER) older = older.filter((r) => { const item = r.deref(); return item !== undefined && isLive(item); }).slice(-MAX_OLDER);
}

function isEntry(item: Item): item is TapeEntry {
  return "primitive" in item;
}

function isLive(item: Item): boolean {
  return !isEntry(item) || !item.released;
}

function outputOf(item: Item): Tensor {
  return isEntry(item) ? item.output : item;
}

/** Every listed item that is still live, oldest first. */
function liveItems(): Item[] {
  const out: Item[] = [];
  for (const r of older) {
    const item = r.deref();
    if (item !== undefined && isLive(item)) out.push(item);
  }
  for (const item of recent) if (isLive(item)) out.push(item);
  return out;
}

function line(item: Item): string {
  const out = outputOf(item);
  const head = `t${out.id} ${formatShape(out.shape)}`;
  if (!isEntry(item)) return `${head} = noise ${item.noiseLabel ?? ""}`.trimEnd();
  const args = item.inputs.map((t) => `t${t.id} ${formatShape(t.shape)}`).join(", ");
  const extra = item.primitive.describe ? ` ${item.primitive.describe(item.params)}` : "";
  return `${head} = ${item.name}(${args})${extra}`;
}

/** The entries and noise leaves a root depends on, oldest first. */
function itemsOf(root: Tensor): Item[] {
  const entries = ancestry(root);
  const noise = new Set<Tensor>();
  if (root.noiseLabel !== null && root.node === null) noise.add(root);
  for (const e of entries) for (const t of e.inputs) if (t.noiseLabel !== null && t.node === null) noise.add(t);
  return [...entries, ...noise].sort((a, b) => outputOf(a).id - outputOf(b).id);
}

/**
 * The process-wide list of recorded ops: `tape.toString()` prints one line per op in execution
 * order, `t7 [2, 3] = mul(t5 [2, 3], t6 [])`, with Gumbel noise leaves marked as noise.
 * @category Autodiff
 */
export const tape = {
  /** One line per live entry, oldest first; with `root`, only the entries `root` depends on. */
  toString(root?: Tensor): string {
    return (root ? itemsOf(root) : liveItems()).map(line).join("\n");
  },
  /** How many entries are listed: recorded, not yet released by backward, not garbage. */
  get length(): number {
    return liveItems().length;
  },
  /** Forgets every listed entry. Graphs held by live tensors still work; they are just no longer listed. */
  clear(): void {
    recent = [];
    recentValues = 0;
    older = [];
  },
};
