// The Gumbel-softmax (Concrete) relaxation of a categorical sample, soft or straight-through hard.
//   y = softmax((ℓ + g)/τ) along the axis, g ~ Gumbel(0, 1);  ∂y/∂ℓ, ∂y/∂τ through softmax and the division
//   hard: forward one_hot(argmax y), backward ∂y (the straight-through estimator)
import { describeValue, errorSample, floatArg, fullArg, GumbelgradError, normalizeAxis, rngArg, sample, ShapeError, tensor, Tensor, uniformArg, wrap, zeros, type OpSpec, type Rng } from "../core/index.js";
import { add, cast, checkedAgainst, div, max, mul, perturbedLogits, perturbedSoftmax, softmax, stopGradient, straightThrough, sub, where } from "../ops/index.js";
import { sameShape } from "../kernels/index.js";
import { gumbel } from "./noise.js";
import { oneHotOfMax } from "./onehot.js";
import { checkTau, checkTauShape, type Tau } from "./tau.js";

/** Options for {@link gumbelSoftmax}. @category Gumbel family */
export interface GumbelSoftmaxOptions {
  /** Temperature: a positive number, or a Tensor (learnable) that broadcasts to the logits' shape, size 1 along the axis. Default 1. */
  tau?: Tau;
  /** Forward a one-hot, backward the soft gradient (straight-through). Default false. */
  hard?: boolean;
  /** The category axis. Default −1. */
  axis?: number;
  /** Where the Gumbel noise comes from when `noise` is not given. Default: the generator set by manualSeed. */
  rng?: Rng;
  /** Gumbel noise of the logits' shape to use instead of sampling (makes the op deterministic). */
  noise?: Tensor;
}

/**
 * A relaxed one-hot sample from Categorical(softmax(logits)) along `axis`. Differentiable in the
 * logits and in τ. Stable for logits of ±1e3 and τ down to 1e-3: the logits are shifted by their
 * (constant) maximum before the noise is added, so every exponent is at most 0, and logits as large
 * as 1e16 keep their noise. −∞ logits (impossible categories) get probability 0 and gradient 0; a
 * NaN makes its whole sample NaN, soft or hard, as in PyTorch. With a number τ the relaxation is one
 * fused primitive (perturbedSoftmax), forward and backward. The result's dtype is the logits' and
 * τ's, promoted (float32 only when both are).
 * @category Gumbel family
 */
export function gumbelSoftmax(logits: Tensor, opts: GumbelSoftmaxOptions = {}): Tensor {
  const op = "gumbelSoftmax";
  const l = floatArg(op, "logits", logits);
  if (opts === null || typeof opts !== "object") throw new GumbelgradError(op, `opts must be an object, but got ${describeValue(opts)}`);
  const axis = normalizeAxis(op, opts.axis ?? -1, l.ndim, l.shape);
  const tau = checkTau(op, opts.tau ?? 1);
  checkTauShape(op, tau, l.shape, "logits", axis);
  const g = opts.noise === undefined ? gumbel(l.shape, { rng: rngArg(op, opts.rng), dtype: l.dtype === "float32" ? "float32" : "float64" }) : checkNoise(l, opts.noise);
  if (!opts.hard) return typeof tau === "number" ? perturbedSoftmax(l, g, tau, axis) : softmaxOverTensorTau(l, g, tau, axis);
  // The category is where ℓ − max ℓ + g peaks (the argmax of y, free of the ties that rounding in exp
  // can make); with a number τ, the soft sample is the softmax of those same values over τ.
  const shifted = perturbedLogits(l, g, axis);
  const soft = typeof tau === "number" ? perturbedSoftmax(l, g, tau, axis, shifted) : softmaxOverTensorTau(l, g, tau, axis);
  return straightThrough(cast(oneHotOfMax(shifted, axis), soft.dtype), soft);
}

/**
 * softmax((ℓ − max ℓ + g)/τ) for a learnable τ, from primitives so that τ gets its gradient too; the
 * max needs no gradient, since a constant shift leaves the softmax unchanged. An impossible category
 * (ℓ = −∞) must give τ no gradient: its score is −∞, and ∂(s/τ)/∂τ = −s/τ² would be 0·∞ = NaN. So
 * the scores are divided by τ only where they are finite, with −∞ put back around the division (a
 * where on each side: the gradient of the branch that is not taken is 0, never 0·∞).
 */
function softmaxOverTensorTau(logits: Tensor, g: Tensor, tau: Tensor, axis: number): Tensor {
  const perturbed = add(sub(logits, max(stopGradient(logits), axis, true)), g);
  const possible = notMinusInfinity(perturbed);
  return softmax(where(possible, div(where(possible, perturbed, 0), tau), -Infinity), axis);
}

/** 1 where x is not −∞ (NaN included, so it propagates), else 0: a constant mask. */
function notMinusInfinity(x: Tensor): Tensor {
  const v = x.values();
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] === -Infinity ? 0 : 1;
  return wrap(out, x.shape);
}

function checkNoise(logits: Tensor, noise: Tensor): Tensor {
  const g = floatArg("gumbelSoftmax", "noise", noise);
  if (!sameShape(g.shape, logits.shape)) {
    throw new ShapeError("gumbelSoftmax", "noise must have the shape of logits", { logits: logits.shape, noise: g.shape });
  }
  return g;
}

// ---- gradient-check samples and error samples --------------------------------------------------

/** Fixed Gumbel noise (no grad) for a deterministic sample. */
function noiseFor(rng: Rng, shape: number[]): Tensor {
  return gumbel(shape, { rng }).detach();
}

/** The fixed noise in the dtype of the logits, so the float32 rerun stays in float32. */
const like = (noise: Tensor, logits: Tensor): Tensor => cast(noise, logits.dtype);


export const gumbelSoftmaxSpec: OpSpec = {
  name: "gumbelSoftmax",
  fn: gumbelSoftmax,
  samples: (rng) => {
    const g34 = noiseFor(rng, [3, 4]);
    const g23 = noiseFor(rng, [2, 3]);
    const g3x1 = noiseFor(rng, [3, 1]);
    return [
      sample("soft [3, 4], tau 1", [uniformArg(rng, [3, 4], -2, 2)], (l) => gumbelSoftmax(l, { noise: like(g34, l) })),
      sample("soft along axis 0", [uniformArg(rng, [3, 4], -2, 2)], (l) => gumbelSoftmax(l, { noise: like(g34, l), axis: 0, tau: 0.5 })),
      sample("learnable scalar tau", [uniformArg(rng, [3, 4], -2, 2), fullArg(0.7)], (l, t) => gumbelSoftmax(l, { noise: like(g34, l), tau: t })),
      sample("tau per row [3, 1]", [uniformArg(rng, [3, 4], -2, 2), fullArg(1.3, [3, 1])], (l, t) => gumbelSoftmax(l, { noise: like(g34, l), tau: t })),
      sample("hard, against its soft surrogate", [uniformArg(rng, [2, 3], -2, 2), fullArg(0.8)], (l, t) =>
        checkedAgainst(gumbelSoftmax(l, { noise: like(g23, l), tau: t, hard: true }), gumbelSoftmax(l, { noise: like(g23, l), tau: t }))),
      // Zero noise and logits within ±1e-3, so that at τ = 1e-3 the softmax is not saturated and the check has teeth.
      sample("tiny tau 1e-3", [uniformArg(rng, [2, 3], -1e-3, 1e-3)], (l) => gumbelSoftmax(l, { noise: zeros([2, 3], { dtype: l.dtype }), tau: 1e-3 })),
      sample("logits ±1e3", [uniformArg(rng, [2, 3], -2, 2)], (l) => gumbelSoftmax(mul(l, 500), { noise: like(g23, l), tau: 0.5 })),
      sample("size-1 class axis [3, 1]", [uniformArg(rng, [3, 1])], (l) => gumbelSoftmax(l, { noise: like(g3x1, l) })),
    ];
  },
  errors: () => [
    errorSample("tau 0", () => gumbelSoftmax(zeros([2, 3]), { tau: 0 }), "gumbelSoftmax: tau must be a positive finite number, but got 0"),
    errorSample("negative tau", () => gumbelSoftmax(zeros([2, 3]), { tau: -0.5 }), "gumbelSoftmax: tau must be a positive finite number, but got -0.5"),
    errorSample("NaN tau", () => gumbelSoftmax(zeros([2, 3]), { tau: NaN }), "gumbelSoftmax: tau must be a positive finite number, but got NaN"),
    errorSample("tensor tau with a negative element", () => gumbelSoftmax(zeros([2, 3]), { tau: tensor([[1], [-2]]) }),
      "gumbelSoftmax: tau must hold positive finite numbers, but tau has -2 at flat index 1"),
    errorSample("tau that does not broadcast", () => gumbelSoftmax(zeros([2, 3]), { tau: tensor([1, 2]) }),
      "gumbelSoftmax: tau must broadcast to the shape of logits, but logits has shape [2, 3] and tau has shape [2]"),
    errorSample("a temperature per class", () => gumbelSoftmax(zeros([2, 3]), { tau: tensor([1, 2, 3]) }),
      "gumbelSoftmax: tau must have size 1 along the category axis 1 (one temperature per distribution), but logits has shape [2, 3] and tau has shape [3]"),
    errorSample("noise of another shape", () => gumbelSoftmax(zeros([2, 3]), { noise: zeros([3]) }),
      "gumbelSoftmax: noise must have the shape of logits, but logits has shape [2, 3] and noise has shape [3]"),
    errorSample("axis out of range", () => gumbelSoftmax(zeros([2, 3]), { axis: 2 }),
      "gumbelSoftmax: axis 2 is out of range for a tensor of rank 2 (shape [2, 3])"),
    errorSample("int32 logits", () => gumbelSoftmax(tensor([1, 2], { dtype: "int32" })),
      "gumbelSoftmax: logits must be a floating tensor (float64 or float32), but has dtype int32"),
  ],
};

