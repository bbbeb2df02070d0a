// Exact categorical samples by the Gumbel-max trick, and ordered samples without replacement by Gumbel-top-k.
//   argmax_i (ℓ_i + g_i) ~ Categorical(softmax ℓ)   (an additive constant in ℓ does not move the argmax)
//   the k largest ℓ_i + g_i, in order, are a draw of k categories without replacement (Plackett–Luce)
import { describeValue, floatArg, formatShape, GumbelgradError, normalizeAxis, rngArg, Tensor, wrap, type Rng } from "../core/index.js";
import { argmax, perturbedLogits } from "../ops/index.js";
import { gumbel } from "./noise.js";
import { aroundAxis, unravelIndex } from "../kernels/index.js";

/** Options for {@link categorical} and {@link gumbelTopK}. @category Gumbel family */
export interface SampleOptions {
  /** Default: the generator set by manualSeed. */
  rng?: Rng;
  /** The category axis. Default −1. */
  axis?: number;
}

/**
 * Fresh Gumbel noise on the logits shifted by their maximum, ℓ − max ℓ + g, off the tape (the result
 * is an index, which has no gradient). Refuses logits that name no distribution: a NaN, a +∞, or a
 * distribution whose every category is impossible (−∞).
 */
function perturb(op: string, l: Tensor, axis: number, rng: Rng | undefined): Tensor {
  checkSampleable(op, l, axis);
  return perturbedLogits(l.detach(), gumbel(l.shape, { rng: rngArg(op, rng) }), axis);
}

function checkSampleable(op: string, l: Tensor, axis: number): void {
  const v = l.values();
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i]) || v[i] === Infinity) {
      throw new GumbelgradError(op, `logits must be finite or −∞ (an impossible category), but logits has ${v[i]} at ${formatShape(unravelIndex(i, l.shape))}`);
    }
  }
  const possible = possibleCounts(l, axis);
  const empty = possible.indexOf(0);
  if (empty >= 0) {
    throw new GumbelgradError(op, `every distribution needs a possible category, but the one at ${formatShape(unravelIndex(empty, l.shape.filter((_, i) => i !== axis)))} has only −∞ logits`);
  }
}

/** How many categories of each distribution (logits along `axis`) are possible, that is above −∞. */
function possibleCounts(l: Tensor, axis: number): number[] {
  const v = l.values();
  const [outer, size, inner] = aroundAxis(l.shape, axis);
  const counts = new Array<number>(outer * inner).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < size; k++) for (let j = 0; j < inner; j++) if (v[(o * size + k) * inner + j] > -Infinity) counts[o * inner + j]++;
  }
  return counts;
}

/** One category index per distribution along `axis` (int32, the axis removed), drawn from softmax(logits). @category Gumbel family */
export function categorical(logits: Tensor, opts: SampleOptions = {}): Tensor {
  const l = floatArg("categorical", "logits", logits);
  if (opts === null || typeof opts !== "object") throw new GumbelgradError("categorical", `opts must be an object, but got ${describeValue(opts)}`);
  const axis = normalizeAxis("categorical", opts.axis ?? -1, l.ndim, l.shape);
  if (l.shape[axis] === 0) throw new GumbelgradError("categorical", `needs at least one category, but axis ${axis} of logits has size 0`);
  return argmax(perturb("categorical", l, axis, opts.rng), axis);
}

/**
 * k distinct category indices per distribution (int32; the axis keeps its place with size k), in
 * descending order of the perturbed logits: an ordered sample without replacement.
 * @category Gumbel family
 */
export function gumbelTopK(logits: Tensor, k: number, opts: SampleOptions = {}): Tensor {
  const op = "gumbelTopK";
  const l = floatArg(op, "logits", logits);
  if (opts === null || typeof opts !== "object") throw new GumbelgradError(op, `opts must be an object, but got ${describeValue(opts)}`);
  const axis = normalizeAxis(op, opts.axis ?? -1, l.ndim, l.shape);
  const size = l.shape[axis];
  if (!Number.isInteger(k) || k < 1 || k > size) {
    throw new GumbelgradError(op, `k must be an integer with 1 ≤ k ≤ ${size} (the size of axis ${axis}), but got k=${typeof k === "number" ? k : describeValue(k)}`);
  }
  checkSampleable(op, l, axis);
  const fewest = Math.min(...possibleCounts(l, axis));
  if (k > fewest) {
    throw new GumbelgradError(op, `k=${k} is more than the ${fewest} possible categories (logits above −∞) of some distribution: a sample without replacement cannot draw an impossible category`);
  }
  const perturbed = perturb(op, l, axis, opts.rng).values();
  const [outer, , inner] = aroundAxis(l.shape, axis);
  const out = new Int32Array(outer * k * inner);
  const order = new Array<number>(size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (i: number) => perturbed[(o * size + i) * inner + j];
      for (let i = 0; i < size; i++) order[i] = i;
      order.sort((a, b) => at(b) - at(a) || a - b);
      for (let r = 0; r < k; r++) out[(o * k + r) * inner + j] = order[r];
    }
  }
  return wrap(out, l.shape.map((d, i) => (i === axis ? k : d)));
}
