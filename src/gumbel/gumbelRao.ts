// The Gumbel-Rao estimator as an op (Paulus et al. 2021, GR-MC_K): straight-through, Rao-Blackwellised
// over the noise given the category.
//   forward D = one_hot(argmax(ℓ + g)), g ~ Gumbel(0, 1)    (the sample categorical(ℓ) draws, exactly one-hot)
//   vjp: ∂L/∂ℓ = (1/K) Σ_k J_k ∂L/∂D,  J_k = ∂softmax((ℓ + g̃_k)/τ)/∂ℓ,  g̃_k ~ Gumbel | argmax(ℓ + g̃_k) = D
// E[vjp] is straight-through Gumbel-softmax's, and its variance is no larger. The noise given the argmax
// comes from the truncated-Gumbel construction (Maddison et al. 2014, "A* sampling"), for z = ℓ + g:
//   max_k z_k ~ Gumbel(logsumexp ℓ), independent of which k attains it;
//   given argmax = c and the max m, every other z_k is a Gumbel(ℓ_k) truncated to z_k ≤ m:
//   z = −logaddexp(−m, −(ℓ_k + g′)), g′ ~ Gumbel(0, 1)   (its CDF exp(e^{ℓ_k−m} − e^{ℓ_k−z}) = u, solved for z)
import {
  checkSize, describeValue, errorSample, floatArg, formatShape, GumbelgradError, isRecording, normalizeAxis, numberIn, optionsArg,
  positiveInteger, rngArg, sample, ShapeError, tensor, uniformArg, wrap, zeros, Rng, type OpSpec, type Tensor,
} from "../core/index.js";
import { broadcastTo, cast, checkedAgainst, mean, mul, perturbedSoftmax, readIndices, straightThrough } from "../ops/index.js";
import { allocate, aroundAxis, sameShape, type FloatData } from "../kernels/index.js";
import { gumbel, gumbelOf, noiseLeaf, type UniformSource } from "./noise.js";
import { oneHotAlong, oneHotOfPerturbedMax } from "./onehot.js";
import { gumbelSoftmax } from "./gumbelSoftmax.js";

/** Options for {@link gumbelRao}. @category Gumbel family */
export interface GumbelRaoOptions {
  /** The temperature τ of the relaxation whose Jacobian is averaged: a positive finite number. Default 1. */
  tau?: number;
  /** K, the draws of the noise given the category that the backward averages: a positive integer. Default 10 (or the length of `conditionalNoise`). */
  samples?: number;
  /** The category axis. Default −1. */
  axis?: number;
  /** Where the noise comes from when `noise` or `conditionalNoise` is not given. Default: the generator set by manualSeed. */
  rng?: Rng;
  /** Gumbel noise of the logits' shape that picks the category, D = one_hot(argmax(ℓ + noise)), instead of sampling it. */
  noise?: Tensor;
  /**
   * The K draws of noise given the category, shape [K, ...logits' shape] (from {@link conditionalGumbel}),
   * instead of sampling them: with `noise`, the op is deterministic (this is how it is gradient-checked).
   */
  conditionalNoise?: Tensor;
}

/**
 * A categorical sample along `axis` as an exact one-hot (float, the logits' shape and dtype) whose
 * backward is the Gumbel-Rao estimator: the straight-through Gumbel-softmax gradient averaged over
 * K draws of the Gumbel noise conditioned on the sampled category. Same expectation as
 * `gumbelSoftmax(logits, { tau, hard: true })`, less variance (much less at low τ), for K times the
 * softmax work. The forward is the sample `categorical(logits, { rng, axis })` draws from the same
 * generator. Any batch shape; −∞ logits are impossible categories (never drawn, gradient 0); a NaN
 * or +∞ makes its whole distribution NaN, forward and backward, as in `gumbelSoftmax`. When the
 * logits need no gradient (or inside noGrad) only the category is drawn, so the generator advances
 * by one draw per element instead of K + 1. The backward is recorded like any composite, so
 * `createGraph` differentiates it again.
 * @throws GumbelgradError for τ ≤ 0 or NaN, samples that are not a positive integer, an axis out of range, or noise of the wrong shape.
 * @category Gumbel family
 */
export function gumbelRao(logits: Tensor, opts: GumbelRaoOptions = {}): Tensor {
  const op = "gumbelRao";
  const l = floatArg(op, "logits", logits);
  const o = optionsArg(op, opts);
  const axis = normalizeAxis(op, o.axis ?? -1, l.ndim, l.shape);
  const tau = numberIn(op, "tau", o.tau ?? 1, { above: 0 });
  const given = o.conditionalNoise === undefined ? null : floatArg(op, "conditionalNoise", o.conditionalNoise);
  const samples = positiveInteger(op, "samples", o.samples ?? given?.shape[0] ?? 10);
  if (l.shape[axis] === 0) throw new GumbelgradError(op, `needs at least one category, but axis ${axis} of logits has size 0`);
  const hard = categoryOf(op, l, axis, o.noise, o.rng);
  if (!l.requiresGrad || !isRecording()) return hard;
  const shape = [samples, ...l.shape];
  checkSize(op, shape);
  let noise: Tensor;
  if (given) {
    if (!sameShape(given.shape, shape)) {
      throw new ShapeError(op, `conditionalNoise must have shape [samples, ...logits' shape] = ${formatShape(shape)}`, { logits: l.shape, conditionalNoise: given.shape });
    }
    noise = given;
  } else {
    const data = conditionalNoise(l.values(), l.shape, axis, hard.values(), samples, rngArg(op, o.rng), l.dtype === "float32" ? "float32" : "float64");
    noise = noiseLeaf(data, shape, "gumbel | argmax");
  }
  const soft = mean(perturbedSoftmax(broadcastTo(l, shape), noise, tau, axis + 1), 0);
  return straightThrough(hard, soft);
}

/**
 * D = one_hot(argmax(ℓ − max ℓ + g)) along the axis, in the logits' dtype, with g the given noise or
 * a fresh float64 draw: the very sample categorical(ℓ, { rng, axis }) takes from the same generator.
 * Shared with reinmax.
 */
export function categoryOf(op: string, l: Tensor, axis: number, noise: Tensor | undefined, rng: Rng | undefined): Tensor {
  let g: Tensor;
  if (noise === undefined) {
    g = gumbel(l.shape, { rng: rngArg(op, rng) });
  } else {
    g = floatArg(op, "noise", noise);
    if (!sameShape(g.shape, l.shape)) throw new ShapeError(op, "noise must have the shape of logits", { logits: l.shape, noise: g.shape });
  }
  return cast(oneHotOfPerturbedMax(l.detach(), g, axis), l.dtype);
}

/**
 * K draws of Gumbel noise given the argmax, as flat data of shape [K, ...shape]: draw k holds, for every distribution
 * along `axis` of the logits θ, noise g̃ with argmax(θ + g̃) at the 1 of the one-hot `hard`. One uniform
 * per element, taken in row-major order of [K, ...shape with the axis removed], the chosen category's
 * (the maximum's) first and then the others' in order along the axis. A distribution whose one-hot
 * holds NaN (NaN or +∞ logits) gets NaN noise; an impossible category (θ = −∞) gets 0, as θ + g̃ is
 * −∞ whatever g̃ is.
 */
function conditionalNoise(theta: ArrayLike<number>, shape: readonly number[], axis: number, hard: ArrayLike<number>,
  samples: number, rng: UniformSource, dtype: "float64" | "float32"): FloatData {
  const [outer, size, inner] = aroundAxis(shape, axis);
  const n = outer * size * inner;
  const u = new Float64Array(samples * n);
  if (rng instanceof Rng) rng.fillUniform(u);
  else for (let i = 0; i < u.length; i++) u[i] = rng.uniform();
  const chosen = new Int32Array(outer * inner);
  const lse = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (k: number) => (o * size + k) * inner + j;
      let c = -1, top = -Infinity, nan = false;
      for (let k = 0; k < size; k++) {
        if (hard[at(k)] === 1) c = k;
        else if (hard[at(k)] !== 0) nan = true; // a NaN distribution has no category
        top = Math.max(top, theta[at(k)]);
      }
      if (nan) c = -1;
      let s = 0;
      for (let k = 0; k < size; k++) s += Math.exp(theta[at(k)] - top);
      chosen[o * inner + j] = c < 0 ? -1 : c;
      lse[o * inner + j] = c < 0 ? NaN : top + Math.log(s);
    }
  }
  const out = allocate(dtype, samples * n) as FloatData;
  let next = 0;
  for (let m = 0; m < samples; m++) {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const c = chosen[o * inner + j];
        const base = m * n + o * size * inner + j;
        if (c < 0) {
          for (let k = 0; k < size; k++) out[base + k * inner] = NaN;
          next += size;
          continue;
        }
        const cat = (o * size + c) * inner + j;
        const max = lse[o * inner + j] + gumbelOf(u[next++]);
        out[base + c * inner] = max - theta[cat];
        for (let k = 0; k < size; k++) {
          if (k === c) continue;
          const t = theta[(o * size + k) * inner + j];
          const g = u[next++];
          out[base + k * inner] = t === -Infinity ? 0 : truncatedDraw(t, max, g) - t;
        }
      }
    }
  }
  return out;
}

/** Gumbel(location) truncated to ≤ bound, from one uniform u: min(b, a) − log1p(exp(−|b − a|)), a = location + g′. */
function truncatedDraw(location: number, bound: number, u: number): number {
  const a = location + gumbelOf(u);
  return Math.min(bound, a) - Math.log1p(Math.exp(-Math.abs(bound - a)));
}

/**
 * A draw of Gumbel(location) conditioned on being ≤ bound, from one uniform u in (0, 1). In the
 * logaddexp form min(b, a) − log1p(exp(−|b − a|)), a = location + g′: no exp overflows, no log(0).
 * @category Gumbel family
 */
export function truncatedGumbel(location: number, bound: number, u: number): number {
  const op = "truncatedGumbel";
  numberIn(op, "location", location, { finite: false });
  numberIn(op, "bound", bound, { finite: false });
  numberIn(op, "u", u, { above: 0, below: 1 });
  return truncatedDraw(location, bound, u);
}

/**
 * Gumbel noise g (logits' shape) distributed as i.i.d. Gumbel noise conditioned on
 * argmax(logits + g) = index along `axis` (default the last), one index per distribution in row-major
 * order of the other axes. Pass it to gumbelSoftmax as `noise`; stacked K deep, to gumbelRao as
 * `conditionalNoise`.
 * @category Gumbel family
 */
export function conditionalGumbel(logits: Tensor, index: Tensor | number[], opts: { rng?: UniformSource; axis?: number } = {}): Tensor {
  const op = "conditionalGumbel";
  const l = floatArg(op, "logits", logits);
  const o = optionsArg(op, opts);
  if (l.ndim === 0) throw new GumbelgradError(op, `logits need a non-empty category axis (the last), but logits has shape ${formatShape(l.shape)}`);
  const axis = normalizeAxis(op, o.axis ?? -1, l.ndim, l.shape);
  const size = l.shape[axis];
  if (size === 0) throw new GumbelgradError(op, `logits need a non-empty category axis, but axis ${axis} of logits has shape ${formatShape(l.shape)}`);
  const rows = l.size / size;
  const chosen = readIndices(op, "index", index, size, axis === l.ndim - 1 ? "the last axis of logits" : `axis ${axis} of logits`);
  if (chosen.length !== rows) throw new GumbelgradError(op, `needs one index per row of logits (${rows}), but got ${chosen.length}`);
  const rng = o.rng ?? rngArg(op, undefined);
  if (typeof rng?.uniform !== "function") throw new GumbelgradError(op, `rng must be an Rng (new Rng(seed)), but got ${describeValue(rng)}`);
  const hard = oneHotAlong(chosen, l.shape, axis);
  return noiseLeaf(conditionalNoise(l.values(), l.shape, axis, hard.values(), 1, rng, "float64"), l.shape, "gumbel | argmax");
}

// ---- gradient-check samples and error samples --------------------------------------------------

/** Fixed noise for a sample: D's Gumbel noise, and K draws given D, both off the tape. */
function fixedNoise(rng: Rng, logits: Tensor, samples: number, axis: number): { g: Tensor; given: Tensor } {
  const g = gumbel(logits.shape, { rng }).detach();
  const hard = oneHotOfPerturbedMax(logits.detach(), g, axis);
  const given = wrap(conditionalNoise(logits.values(), logits.shape, axis, hard.values(), samples, rng, "float64"), [samples, ...logits.shape]);
  return { g, given };
}

/** The surrogate Gumbel-Rao claims: the mean over the K fixed draws of softmax((ℓ + g̃_k)/τ), through gumbelSoftmax. */
function surrogate(l: Tensor, given: Tensor, tau: number, axis: number): Tensor {
  const shape = given.shape;
  return mean(gumbelSoftmax(broadcastTo(l, shape), { noise: cast(given, l.dtype), tau, axis: axis + 1 }), 0);
}

/** One sample: gumbelRao with fixed noise, its gradient checked against the surrogate's derivative. */
function againstSurrogate(label: string, rng: Rng, logits: Tensor, opts: { tau: number; samples: number; axis?: number }, scale = 1): ReturnType<typeof sample> {
  const axis = opts.axis ?? -1;
  const a = axis < 0 ? axis + logits.ndim : axis;
  const { g, given } = fixedNoise(rng, scale === 1 ? logits : mul(logits.detach(), scale), opts.samples, a);
  return sample(label, [logits], (l) => {
    const scaled = scale === 1 ? l : mul(l, scale);
    return checkedAgainst(
      gumbelRao(scaled, { tau: opts.tau, axis, noise: cast(g, l.dtype), conditionalNoise: cast(given, l.dtype) }),
      surrogate(scaled, given, opts.tau, a));
  });
}

export const gumbelRaoSpec: OpSpec = {
  name: "gumbelRao",
  fn: gumbelRao,
  samples: (rng) => [
    againstSurrogate("[2, 3], tau 1, 4 draws", rng, uniformArg(rng, [2, 3], -2, 2), { tau: 1, samples: 4 }),
    againstSurrogate("axis 0 of [3, 2], tau 0.5", rng, uniformArg(rng, [3, 2], -2, 2), { tau: 0.5, samples: 3, axis: 0 }),
    againstSurrogate("middle axis of [2, 3, 2]", rng, uniformArg(rng, [2, 3, 2], -2, 2), { tau: 0.8, samples: 2, axis: 1 }),
    againstSurrogate("one draw", rng, uniformArg(rng, [4], -2, 2), { tau: 2, samples: 1 }),
    againstSurrogate("logits ±20", rng, uniformArg(rng, [2, 3], -2, 2), { tau: 0.5, samples: 3 }, 10),
    againstSurrogate("size-1 class axis [3, 1]", rng, uniformArg(rng, [3, 1]), { tau: 1, samples: 2 }),
  ],
  errors: () => [
    errorSample("tau 0", () => gumbelRao(zeros([2, 3]), { tau: 0 }), "gumbelRao: tau must be a positive finite number, but got 0"),
    errorSample("negative tau", () => gumbelRao(zeros([2, 3]), { tau: -1 }), "gumbelRao: tau must be a positive finite number, but got -1"),
    errorSample("NaN tau", () => gumbelRao(zeros([2, 3]), { tau: NaN }), "gumbelRao: tau must be a positive finite number, but got NaN"),
    errorSample("samples 0", () => gumbelRao(zeros([2, 3]), { samples: 0 }), "gumbelRao: samples must be a positive integer, but got 0"),
    errorSample("samples 2.5", () => gumbelRao(zeros([2, 3]), { samples: 2.5 }), "gumbelRao: samples must be a positive integer, but got 2.5"),
    errorSample("axis out of range", () => gumbelRao(zeros([2, 3]), { axis: 2 }), "gumbelRao: axis 2 is out of range for a tensor of rank 2 (shape [2, 3])"),
    errorSample("noise of another shape", () => gumbelRao(zeros([2, 3]), { noise: zeros([3]) }),
      "gumbelRao: noise must have the shape of logits, but logits has shape [2, 3] and noise has shape [3]"),
    errorSample("conditional noise without the draws' axis", () => gumbelRao(zeros([2, 3], { requiresGrad: true }), { samples: 2, conditionalNoise: zeros([2, 3]) }),
      "gumbelRao: conditionalNoise must have shape [samples, ...logits' shape] = [2, 2, 3], but logits has shape [2, 3] and conditionalNoise has shape [2, 3]"),
    errorSample("int32 logits", () => gumbelRao(tensor([1, 2], { dtype: "int32" })),
      "gumbelRao: logits must be a floating tensor (float64 or float32), but has dtype int32"),
  ],
};
