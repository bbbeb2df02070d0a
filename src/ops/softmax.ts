// Softmax, the perturbed softmax with a temperature inside gumbelSoftmax, and log-softmax as
// primitives with fused kernels. As composites of logsumexp, sub and exp they cost six or seven
// passes over the data and as many arrays, forward and backward; here each forward is one kernel.
// The softmax vjp is itself a primitive with a fused kernel (softmaxBackward), whose own vjp is
// written in framework ops, so gradients of gradients still work. softmaxBackward and
// perturbedSoftmax are internal: they are gradient-checked, to first and second order, through
// the samples of softmax and gumbelSoftmax.
import { applyPrimitive, errorSample, flatOf, floatArg, normalizeAxis, promote, sample, uniformArg, wrap, zeros, type OpSpec, type Primitive, type Tensor } from "../core/index.js";
import { allocate, aroundAxis, logSoftmaxAlong, perturbedSoftmaxAlong, shiftedPerturbationAlong, softmaxAlong, softmaxBackwardAlong, temperedSoftmaxAlong, type FloatData } from "../kernels/index.js";
import { div, mul, sub } from "./binary.js";
import { sum } from "./reduce.js";
import { exp } from "./unary.js";

type AxisKernel = (x: FloatData, out: FloatData, outer: number, size: number, inner: number) => void;

/** Runs a kernel along `axis`, seeing x as [outer, size, inner]. */
function along(kernel: AxisKernel, x: Tensor, axis: number): Tensor {
  const out = allocate(x.dtype, x.size) as FloatData;
  const [outer, size, inner] = aroundAxis(x.shape, axis);
  kernel(flatOf(x) as FloatData, out, outer, size, inner);
  return wrap(out, x.shape);
}

// y = exp(x − logsumexp(x)) along the axis;  ∂L/∂x = y·(g − Σ_axis g·y)
const Softmax: Primitive<number> = {
  name: "softmax",
  forward: ([x], axis) => along(softmaxAlong, x, axis),
  vjp: (g, _x, y, axis) => [softmaxBackward(y, g, { axis, tau: 1 })],
  describe: (axis) => `axis=${axis}`,
};

interface Tempered {
  axis: number;
  tau: number;
}

/** With perturbedLogits(x, g, axis) when the caller has computed it: the same values, not computed twice. */
interface PerturbedTempered extends Tempered {
  shifted?: Tensor;
}

// y = softmax((x + g)/τ) along the axis (g: Gumbel noise), computed as softmax((x − max x + g)/τ);
//   ∂L/∂x = ∂L/∂g = y·(h − Σ_axis h·y)/τ
const PerturbedSoftmax: Primitive<PerturbedTempered> = {
  name: "perturbedSoftmax",
  forward: ([x, g], { axis, tau, shifted }) => {
    const dtype = promote(x, g);
    const out = allocate(dtype, x.size) as FloatData;
    const [outer, size, inner] = aroundAxis(x.shape, axis);
    // x − max x + g goes straight into the output array, and the softmax runs on it in place; or,
    // when the caller has those values already, the softmax runs on them.
    if (shifted) temperedSoftmaxAlong(flatOf(shifted, dtype) as FloatData, out, outer, size, inner, tau);
    else perturbedSoftmaxAlong(flatOf(x, dtype) as FloatData, flatOf(g, dtype) as FloatData, out, outer, size, inner, tau);
    return wrap(out, x.shape);
  },
  vjp: (h, _inputs, y, { axis, tau }, needs) => {
    const grad = softmaxBackward(y, h, { axis, tau });
    return [needs[0] ? grad : null, needs[1] ? grad : null];
  },
  describe: ({ axis, tau }) => `axis=${axis} tau=${tau}`,
};

/** (x − max_axis x) + g as fresh flat data (no gradient): the perturbed logits of the Gumbel tricks. */
function perturbed(x: Tensor, g: Tensor, axis: number): FloatData {
  const dtype = promote(x, g);
  const out = allocate(dtype, x.size) as FloatData;
  const [outer, size, inner] = aroundAxis(x.shape, axis);
  shiftedPerturbationAlong(flatOf(x, dtype) as FloatData, flatOf(g, dtype) as FloatData, out, outer, size, inner);
  return out;
}

/**
 * The logits shifted by their maximum along the axis and perturbed by the noise, x − max x + g, as a
 * tensor without gradient: where the Gumbel-max sample peaks. x and g have one shape.
 */
export function perturbedLogits(x: Tensor, g: Tensor, axis: number): Tensor {
  return wrap(perturbed(x, g, axis), x.shape);
}

// The softmax vjp as one primitive: out = y·(g − d)/τ with d = Σ_axis g·y.
//   ∂L/∂g = y·(h − Σ_axis h·y)/τ (the same map applied to h);  ∂L/∂y = (h·(g − d) − g·Σ_axis h·y)/τ
const SoftmaxBackward: Primitive<Tempered> = {
  name: "softmaxBackward",
  forward: ([y, g], { axis, tau }) => {
    const out = allocate(y.dtype, y.size) as FloatData;
    const [outer, size, inner] = aroundAxis(y.shape, axis);
    softmaxBackwardAlong(flatOf(y) as FloatData, flatOf(g, y.dtype) as FloatData, out, outer, size, inner, tau);
    return wrap(out, y.shape);
  },
  vjp: (h, [y, g], _out, params, needs) => {
    const { axis, tau } = params;
    const toY = needs[0] ? div(sub(mul(h, sub(g, sum(mul(g, y), axis, true))), mul(g, sum(mul(h, y), axis, true))), tau) : null;
    const toG = needs[1] ? softmaxBackward(y, h, params) : null;
    return [toY, toG];
  },
  describe: ({ axis, tau }) => `axis=${axis} tau=${tau}`,
};

function softmaxBackward(y: Tensor, g: Tensor, params: Tempered): Tensor {
  return applyPrimitive(SoftmaxBackward, [y, g], params);
}

// y = x − logsumexp(x) along the axis;  ∂L/∂x = g − exp(y)·Σ_axis g
const LogSoftmax: Primitive<number> = {
  name: "logSoftmax",
  forward: ([x], axis) => along(logSoftmaxAlong, x, axis),
  vjp: (g, _x, y, axis) => [sub(g, mul(exp(y), sum(g, axis, true)))],
  describe: (axis) => `axis=${axis}`,
};

/** log softmax(x) = x − logsumexp(x) along the axis: stable for logits of any size. @category Reductions and softmax */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const tx = floatArg("logSoftmax", "x", x);
  const a = normalizeAxis("logSoftmax", axis, tx.ndim, tx.shape);
  return applyPrimitive(LogSoftmax, [tx], a);
}

/** softmax(x)_i = exp(x_i − logsumexp(x)) along the axis: never overflows, and sums to 1. @category Reductions and softmax */
export function softmax(x: Tensor, axis = -1): Tensor {
  const tx = floatArg("softmax", "x", x);
  const a = normalizeAxis("softmax", axis, tx.ndim, tx.shape);
  return applyPrimitive(Softmax, [tx], a);
}

/**
 * softmax((x + g)/τ) along a normalized axis, for floating x, g of x's shape and a number τ > 0
 * (the caller, gumbelSoftmax, checks them all): the relaxation inside gumbelSoftmax, in one kernel and without an array for x + g.
 * Shifting by the maximum first keeps it exact for logits of ±1e3 and τ of 1e-3. `shifted`, when
 * given, must be perturbedLogits(x, g, axis): the softmax then starts from it, with the same bits.
 */
export function perturbedSoftmax(x: Tensor, g: Tensor, tau: number, axis: number, shifted?: Tensor): Tensor {
  return applyPrimitive(PerturbedSoftmax, [x, g], shifted ? { axis, tau, shifted } : { axis, tau });
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const softmaxSpec: OpSpec = {
  name: "softmax",
  fn: softmax,
  samples: (rng) => [
    sample("last axis", [uniformArg(rng, [3, 4], -2, 2)], (x) => softmax(x)),
    sample("axis 0", [uniformArg(rng, [3, 4], -2, 2)], (x) => softmax(x, 0)),
    sample("logits ±1e3", [uniformArg(rng, [2, 3], -2, 2)], (x) => softmax(mul(x, 500))),
    sample("size-1 axis", [uniformArg(rng, [3, 1])], (x) => softmax(x, 1)),
    sample("middle axis of [2, 3, 4]", [uniformArg(rng, [2, 3, 4], -2, 2)], (x) => softmax(x, 1)),
    sample("a transposed (non-contiguous) view", [uniformArg(rng, [4, 3], -2, 2)], (x) => softmax(x.T)),
  ],
  errors: () => [errorSample("axis out of range", () => softmax(zeros([2, 3]), 2), "softmax: axis 2 is out of range for a tensor of rank 2 (shape [2, 3])")],
};

export const logSoftmaxSpec: OpSpec = {
  name: "logSoftmax",
  fn: logSoftmax,
  samples: (rng) => [
    sample("last axis", [uniformArg(rng, [3, 4], -2, 2)], (x) => logSoftmax(x)),
    sample("axis -2 of [2, 3, 4]", [uniformArg(rng, [2, 3, 4], -2, 2)], (x) => logSoftmax(x, -2)),
    sample("logits ±1e3", [uniformArg(rng, [2, 3], -2, 2)], (x) => logSoftmax(mul(x, 500))),
    sample("axis 0 of a transposed view", [uniformArg(rng, [4, 3], -2, 2)], (x) => logSoftmax(x.T, 0)),
  ],
  errors: () => [errorSample("axis out of range", () => logSoftmax(zeros([2, 3]), -3), "logSoftmax: axis -3 is out of range for a tensor of rank 2 (shape [2, 3])")],
};
