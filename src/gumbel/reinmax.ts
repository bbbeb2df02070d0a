// The ReinMax estimator as an op (Liu et al. 2023, Algorithm 2: Heun's method, second order).
//   π0 = softmax(θ); D ~ π0 (one-hot); π1 = (D + softmax(θ/τ))/2; π1 ← softmax(stopGradient(ln π1 − θ) + θ);
//   π2 = 2·π1 − ½·π0; output π2 − stopGradient(π2) + D: forward D (exactly), vjp (2·J(π1) − ½·J(π0))ᵀ ∂L/∂D
// with J(p) = diag(p) − ppᵀ, the softmax Jacobian at p. π0 is neither tempered nor detached.
import {
  errorSample, floatArg, GumbelgradError, isRecording, noGrad, normalizeAxis, numberIn, optionsArg, sample, tensor,
  uniformArg, wrap, zeros, type OpSpec, type Rng, type Tensor,
} from "../core/index.js";
import { add, cast, checkedAgainst, div, log, logSoftmax, mul, softmax, stopGradient, straightThrough, sub } from "../ops/index.js";
import { allocate, type FloatData } from "../kernels/index.js";
import { gumbel } from "./noise.js";
import { oneHotOfPerturbedMax } from "./onehot.js";
import { categoryOf } from "./gumbelRao.js";

/** Options for {@link reinmax}. @category Gumbel family */
export interface ReinmaxOptions {
  /** The temperature τ of softmax(θ/τ) in π1: a positive finite number. Default 1. */
  tau?: number;
  /** The category axis. Default −1. */
  axis?: number;
  /** Where the Gumbel noise comes from when `noise` is not given. Default: the generator set by manualSeed. */
  rng?: Rng;
  /** Gumbel noise of the logits' shape that picks the category, D = one_hot(argmax(θ + noise)), instead of sampling it (makes the op deterministic). */
  noise?: Tensor;
}

/**
 * A categorical sample along `axis` as an exact one-hot (float, the logits' shape and dtype) whose
 * backward is ReinMax, Liu et al.'s Algorithm 2 as written: (2·J(π1) − ½·J(π0))ᵀ applied to the
 * upstream gradient, with π0 = softmax(θ) and π1 = (D + softmax(θ/τ))/2. A second-order (Heun)
 * estimate of the gradient of E[f(D)], where straight-through is first order; it needs no extra
 * draws. The forward is the sample `categorical(logits, { rng, axis })` draws from the same
 * generator. Any batch shape. −∞ logits are impossible categories: never drawn, gradient 0 (the
 * authors' formula, ln π1 − θ = −∞ − (−∞), would make the whole gradient NaN there). A NaN or +∞
 * makes its whole distribution NaN, forward and backward. The backward is recorded, so `createGraph`
 * differentiates it again, holding stopGradient(ln π1 − θ) fixed as PyTorch does.
 * @throws GumbelgradError for τ ≤ 0 or NaN, an axis out of range, or noise of the wrong shape.
 * @category Gumbel family
 */
export function reinmax(logits: Tensor, opts: ReinmaxOptions = {}): Tensor {
  const op = "reinmax";
  const l = floatArg(op, "logits", logits);
  const o = optionsArg(op, opts);
  const axis = normalizeAxis(op, o.axis ?? -1, l.ndim, l.shape);
  const tau = numberIn(op, "tau", o.tau ?? 1, { above: 0 });
  if (l.shape[axis] === 0) throw new GumbelgradError(op, `needs at least one category, but axis ${axis} of logits has size 0`);
  const hard = categoryOf(op, l, axis, o.noise, o.rng);
  if (!l.requiresGrad || !isRecording()) return hard;
  const shift = noGrad(() => halfwayShift(l, hard, tau, axis));
  const pi1 = softmax(add(shift, l), axis);
  const pi2 = sub(mul(pi1, 2), mul(softmax(l, axis), 0.5));
  return straightThrough(hard, pi2);
}

/**
 * ln π1 − θ, π1 = (D + softmax(θ/τ))/2, as a constant in θ's dtype. ln π1 without log(0): ln ½ + logSoftmax(θ/τ)
 * off the sample, log1p(softmax(θ/τ)) − ln 2 on it. An impossible category (θ = −∞) gets −∞, so θ + shift stays −∞.
 */
function halfwayShift(l: Tensor, hard: Tensor, tau: number, axis: number): Tensor {
  const theta = l.values();
  const logSoft = logSoftmax(div(l, tau), axis).values();
  const d = hard.values();
  const out = allocate(l.dtype, l.size) as FloatData;
  for (let i = 0; i < out.length; i++) {
    const logPi1 = d[i] === 1 ? Math.log1p(Math.exp(logSoft[i])) - Math.LN2 : logSoft[i] - Math.LN2;
    out[i] = theta[i] === -Infinity ? -Infinity : logPi1 - theta[i];
  }
  return wrap(out, l.shape);
}

// ---- gradient-check samples and error samples --------------------------------------------------

/**
 * ReinMax at fixed noise, its gradient checked against Algorithm 2's π2 with D and the constant
 * c = ln π1 − θ fixed at the sample's logits: 2·softmax(θ + c) − ½·softmax(θ), whose derivative at
 * those logits is the one ReinMax claims, written here from the library's ops (log, softmax, div).
 */
function againstAlgorithm2(label: string, rng: Rng, logits: Tensor, tau: number, axis = -1, scale = 1): ReturnType<typeof sample> {
  const a = axis < 0 ? axis + logits.ndim : axis;
  const at = scale === 1 ? logits.detach() : mul(logits.detach(), scale);
  const g = gumbel(logits.shape, { rng }).detach();
  const d = oneHotOfPerturbedMax(at, g, a);
  const c = noGrad(() => sub(log(div(add(d, softmax(div(at, tau), a)), 2)), at));
  return sample(label, [logits], (l) => {
    const theta = scale === 1 ? l : mul(l, scale);
    const pi2 = sub(mul(softmax(add(stopGradient(cast(c, l.dtype)), theta), a), 2), mul(softmax(theta, a), 0.5));
    return checkedAgainst(reinmax(theta, { tau, axis, noise: cast(g, l.dtype) }), pi2);
  });
}

export const reinmaxSpec: OpSpec = {
  name: "reinmax",
  fn: reinmax,
  // Its vjp at θ holds ln π1 − θ fixed, and that term moves with θ: the gradient it hands on is not the
  // derivative of any function of θ, so finite differences of it have nothing to match to second order.
  secondOrder: false,
  samples: (rng) => [
    againstAlgorithm2("[2, 3], tau 1", rng, uniformArg(rng, [2, 3], -2, 2), 1),
    againstAlgorithm2("axis 0 of [3, 2], tau 0.5", rng, uniformArg(rng, [3, 2], -2, 2), 0.5, 0),
    againstAlgorithm2("middle axis of [2, 3, 2], tau 2", rng, uniformArg(rng, [2, 3, 2], -2, 2), 2, 1),
    againstAlgorithm2("[4], tiny tau 1e-3", rng, uniformArg(rng, [4], -1e-3, 1e-3), 1e-3),
    againstAlgorithm2("logits ±20", rng, uniformArg(rng, [2, 3], -2, 2), 0.5, -1, 10),
    againstAlgorithm2("size-1 class axis [3, 1]", rng, uniformArg(rng, [3, 1]), 1),
  ],
  errors: () => [
    errorSample("tau 0", () => reinmax(zeros([2, 3]), { tau: 0 }), "reinmax: tau must be a positive finite number, but got 0"),
    errorSample("negative tau", () => reinmax(zeros([2, 3]), { tau: -0.5 }), "reinmax: tau must be a positive finite number, but got -0.5"),
    errorSample("NaN tau", () => reinmax(zeros([2, 3]), { tau: NaN }), "reinmax: tau must be a positive finite number, but got NaN"),
    errorSample("axis out of range", () => reinmax(zeros([2, 3]), { axis: -3 }), "reinmax: axis -3 is out of range for a tensor of rank 2 (shape [2, 3])"),
    errorSample("noise of another shape", () => reinmax(zeros([2, 3]), { noise: zeros([2, 1]) }),
      "reinmax: noise must have the shape of logits, but logits has shape [2, 3] and noise has shape [2, 1]"),
    errorSample("int32 logits", () => reinmax(tensor([1, 2], { dtype: "int32" })),
      "reinmax: logits must be a floating tensor (float64 or float32), but has dtype int32"),
  ],
};
