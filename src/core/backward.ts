// Reverse mode: walk a root's entries backwards, spreading vector-Jacobian products.
import { ones, Tensor } from "./tensor.js";
import { GumbelgradError, formatShape } from "./errors.js";
import { withRecording } from "./tape.js";
import type { TapeEntry } from "./entry.js";
import { ancestry } from "./graph.js";
import { anomalyDetectionEnabled, checkGradient, duringBackward } from "./anomaly.js";
import { inPlaceWritesSoFar, versionOf } from "./versions.js";
import { describeValue } from "./checks.js";
import { recycle, sameShape, withAllocationLog } from "../kernels/index.js";

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
    const before = leaf.grad;
    if (before !== null && !(before instanceof Tensor && sameShape(before.shape, leaf.shape))) {
      throw new GumbelgradError("backward", `a leaf's .grad must be null or a Tensor of the leaf's shape ${formatShape(leaf.shape)}, but it is ${before instanceof Tensor ? `a Tensor of shape ${formatShape(before.shape)}` : describeValue(before)}`);
    }
    leaf.grad = before ? withRecording(!!opts.createGraph, () => before.add(g)) : g;
  }
}

/**
 * ∂root/∂input for each input (times `seed`), without touching any `.grad`. Inputs that the root
 * does not depend on get null. This is the engine behind `grad` and `gradcheck`. Only the entries
 * between the inputs and the root run (and are released): an input's own history is left as it was.
 */
export function gradients(root: Tensor, inputs: Tensor[], seed: Tensor | undefined, opts: BackwardOptions): (Tensor | null)[] {
  const found = sweep(root, seed, opts, new Set(inputs));
  return inputs.map((t) => found.get(t) ?? null);
}

/**
 * The reverse sweep over the entries that lead from `wanted` to the root, newest first (every entry
 * the root depends on, when wanted is null). Returns the gradients that reached the wanted tensors,
 * or, when wanted is null, the leaves.
 */
function sweep(root: Tensor, seed: Tensor | undefined, opts: BackwardOptions, wanted: Set<Tensor> | null): Map<Tensor, Tensor> {
  if (!(root instanceof Tensor)) throw new GumbelgradError("backward", `needs a Tensor to start from, but got ${describeValue(root)}`);
  const createGraph = !!opts?.createGraph;
  const retain = createGraph || !!opts?.retainGraph;
  if (!root.requiresGrad) {
    throw new GumbelgradError("backward", "the tensor does not require grad: no input of the ops that made it requires grad (or it was made inside noGrad)");
  }
  const pending = new Map<Tensor, Tensor>([[root, seedFor(root, seed)]]);
  const found = new Map<Tensor, Tensor>();
  const { entries, needed } = entriesToRun(root, wanted);
  let userCodeRan = false;
  const run = () => withRecording(createGraph, () => duringBackward(() => {
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      const g = pending.get(entry.output);
      if (!g) continue;
      pending.delete(entry.output);
      if (wanted?.has(entry.output)) found.set(entry.output, g);
      userCodeRan ||= !!entry.primitive.userDefined;
      spread(entry, g, pending, needed);
      if (!retain) entry.release();
    }
    for (const [t, g] of pending) {
      if (wanted ? wanted.has(t) : t.node === null) found.set(t, createGraph ? g : g.detach());
    }
  }));
  if (createGraph) {
    run(); // the gradients are on a tape the caller keeps
  } else {
    const [, made] = withAllocationLog(run);
    if (!userCodeRan) recycle(made, buffersOf(found));
  }
  return found;
}

/**
 * The ArrayBuffers behind the gradients a sweep returns. Every other array made during a
 * first-order sweep of the library's own vjps is unreachable once it ends: the vjps keep nothing,
 * and intermediate gradients are dropped as soon as their entry has run. So those go back to
 * `allocate` for reuse (kernels/recycling.ts).
 */
function buffersOf(found: Map<Tensor, Tensor>): Set<ArrayBufferLike> {
  const keep = new Set<ArrayBufferLike>();
  for (const g of found.values()) keep.add(g.storage.buffer);
  return keep;
}

/**
 * The root's entries that lie on a path from a wanted tensor (all of them when wanted is null), and
 * which tensors need a gradient: those that lead to a wanted tensor, or that require grad.
 */
function entriesToRun(root: Tensor, wanted: Set<Tensor> | null): { entries: TapeEntry[]; needed: (t: Tensor) => boolean } {
  const all = ancestry(root);
  if (wanted === null) return { entries: all, needed: (t) => t.requiresGrad };
  const leadsToWanted = new Set<Tensor>(wanted);
  const entries = all.filter((e) => {
    const relevant = e.inputs.some((t) => leadsToWanted.has(t));
    if (relevant) leadsToWanted.add(e.output);
    return relevant;
  });
  return { entries, needed: (t) => leadsToWanted.has(t) };
}

function seedFor(root: Tensor, seed: Tensor | undefined): Tensor {
  if (seed === undefined || seed === null) {
    if (root.size !== 1) {
      throw new GumbelgradError("backward", `a non-scalar needs a grad argument (the vector of the vector-Jacobian product), but the tensor has shape ${formatShape(root.shape)}`);
    }
    return ones(root.shape, { dtype: root.dtype });
  }
  if (!(seed instanceof Tensor)) throw new GumbelgradError("backward", `grad must be a Tensor, but got ${describeValue(seed)}`);
  if (!seed.isFloating) throw new GumbelgradError("backward", `grad must be a floating tensor (float64 or float32), but has dtype ${seed.dtype}`);
  if (!sameShape(seed.shape, root.shape)) {
    throw new GumbelgradError("backward", `grad must have the tensor's shape, but grad has shape ${formatShape(seed.shape)} and the tensor has shape ${formatShape(root.shape)}`);
  }
  return seed;
}

/** Runs one entry's vjp and adds each needed input's share into `pending`. */
function spread(entry: TapeEntry, g: Tensor, pending: Map<Tensor, Tensor>, needed: (t: Tensor) => boolean): void {
  if (entry.released) {
    throw new GumbelgradError("backward", `the graph through ${entry.name} (t${entry.output.id}) was already released by an earlier backward; pass { retainGraph: true } to the first backward to go through it twice`);
  }
  checkUnchanged(entry);
  const inputs = entry.inputs;
  const needs = new Array<boolean>(inputs.length);
  for (let k = 0; k < inputs.length; k++) needs[k] = needed(inputs[k]);
  const grads = entry.primitive.vjp(g, inputs, entry.output, entry.params, needs);
  if (!Array.isArray(grads) || grads.length !== inputs.length) {
    const got = Array.isArray(grads) ? `${grads.length} gradients` : describeValue(grads);
    throw new GumbelgradError(entry.name, `vjp must return one gradient per input (null for none), ${inputs.length} in all, but returned ${got}`);
  }
  for (let k = 0; k < inputs.length; k++) {
    const gk = grads[k];
    if (needs[k] && gk !== null && gk !== undefined) accumulate(entry, k, gk, pending);
  }
}

/** An entry whose values were written in place after it ran would give its gradient at the new values. */
function checkUnchanged(entry: TapeEntry): void {
  if (entry.primitive.linear || inPlaceWritesSoFar() === 0) return;
  const n = entry.inputs.length;
  for (let k = 0; k <= n; k++) {
    const t = k < n ? entry.inputs[k] : entry.output;
    const then = entry.versions?.[k] ?? 0, now = versionOf(t);
    if (now === then) continue;
    const which = k < n ? `input ${k}` : "its output";
    throw new GumbelgradError("backward", `${entry.name} (t${entry.output.id}) needs ${which} (t${t.id}, shape ${formatShape(t.shape)}) as it was in the forward pass, but it was modified in place since (version ${then}, now ${now}); an optimizer.step() or loadStateDict between a forward pass and its backward does this: run backward first`);
  }
}

/** Checks one input's gradient from an entry's vjp and adds it into `pending`. */
function accumulate(entry: TapeEntry, k: number, gk: Tensor, pending: Map<Tensor, Tensor>): void {
  const input = entry.inputs[k];
  if (!(gk instanceof Tensor)) {
    throw new GumbelgradError(entry.name, `vjp returned ${describeValue(gk)} for input ${k}, but a gradient must be a Tensor (or null for none)`);
  }
  if (!sameShape(gk.shape, input.shape)) {
    throw new GumbelgradError(entry.name, `vjp returned a gradient of shape ${formatShape(gk.shape)} for input ${k} of shape ${formatShape(input.shape)}`);
  }
  if (anomalyDetectionEnabled()) checkGradient(entry.name, k, gk, entry.inputs, entry.site);
  const share = gk.dtype === input.dtype ? gk : gk.cast(input.dtype);
  const before = pending.get(input);
  pending.set(input, before ? before.add(share) : share);
}
