// Exact categorical samples by the Gumbel-max trick, and ordered samples without replacement by Gumbel-top-k.
//   argmax_i (ℓ_i + g_i) ~ Categorical(softmax ℓ)   (an additive constant in ℓ does not move the argmax)
//   the k largest ℓ_i + g_i, in order, are a draw of k categories without replacement (Plackett–Luce)
import { Tensor, fromData } from "../core/tensor.js";
import { GumbelgradError } from "../core/errors.js";
import type { Rng } from "../core/random.js";
import { noGrad } from "../core/tape.js";
import { add, argmax } from "../ops/index.js";
import { floatArg, normalizeAxis } from "../ops/common.js";
import { gumbel } from "./noise.js";
import { aroundAxis } from "../kernels/layout.js";

export interface SampleOptions {
  /** Default: the generator set by manualSeed. */
  rng?: Rng;
  /** The category axis. Default −1. */
  axis?: number;
}

/** Checked logits plus fresh Gumbel noise, off the tape (the result is an index, which has no gradient). */
function perturb(op: string, l: Tensor, rng: Rng | undefined): Tensor {
  const values = l.values();
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new GumbelgradError(op, `logits must not be NaN, but logits has NaN at flat index ${i}`);
  }
  return noGrad(() => add(l.detach(), gumbel(l.shape, { rng })));
}

/** One category index per distribution along `axis` (int32, the axis removed), drawn from softmax(logits). */
export function categorical(logits: Tensor, opts: SampleOptions = {}): Tensor {
  const l = floatArg("categorical", "logits", logits);
  const axis = normalizeAxis("categorical", opts.axis ?? -1, l.ndim, l.shape);
  if (l.shape[axis] === 0) throw new GumbelgradError("categorical", `needs at least one category, but axis ${axis} of logits has size 0`);
  return argmax(perturb("categorical", l, opts.rng), axis);
}

/**
 * k distinct category indices per distribution (int32; the axis keeps its place with size k), in
 * descending order of the perturbed logits: an ordered sample without replacement.
 */
export function gumbelTopK(logits: Tensor, k: number, opts: SampleOptions = {}): Tensor {
  const l = floatArg("gumbelTopK", "logits", logits);
  const axis = normalizeAxis("gumbelTopK", opts.axis ?? -1, l.ndim, l.shape);
  const size = l.shape[axis];
  if (!Number.isInteger(k) || k < 1 || k > size) {
    throw new GumbelgradError("gumbelTopK", `k must be an integer with 1 ≤ k ≤ ${size} (the size of axis ${axis}), but got k=${k}`);
  }
  const perturbed = perturb("gumbelTopK", l, opts.rng).values();
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
  return fromData(out, l.shape.map((d, i) => (i === axis ? k : d)));
}
