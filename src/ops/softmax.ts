// Softmax and log-softmax as primitives with fused forward kernels. As composites of logsumexp,
// sub and exp they cost six or seven passes over the data and as many arrays, forward and
// backward; here the forward is one kernel and each vjp is three framework ops, still written
// in framework ops, so they can be differentiated again.
import { applyPrimitive, type Primitive } from "../core/tape.js";
import { fromData, type Tensor } from "../core/tensor.js";
import { allocate, sizeOf, type FloatData } from "../kernels/layout.js";
import { logSoftmaxAlong, softmaxAlong } from "../kernels/softmax.js";
import { flatOf } from "./common.js";
import { mul, sub } from "./binary.js";
import { sum } from "./reduce.js";
import { exp } from "./unary.js";

type AxisKernel = (x: FloatData, out: FloatData, outer: number, size: number, inner: number) => void;

/** Runs a kernel along `axis`, seeing x as [outer, size, inner]. */
function along(kernel: AxisKernel, x: Tensor, axis: number): Tensor {
  const out = allocate(x.dtype, x.size) as FloatData;
  const outer = sizeOf(x.shape.slice(0, axis)), inner = sizeOf(x.shape.slice(axis + 1));
  kernel(flatOf(x) as FloatData, out, outer, x.shape[axis], inner);
  return fromData(out, x.shape);
}

// y = exp(x − logsumexp(x)) along the axis;  ∂L/∂x = y·(g − Σ_axis g·y)
const Softmax: Primitive<number> = {
  name: "softmax",
  forward: ([x], axis) => along(softmaxAlong, x, axis),
  vjp: (g, _x, y, axis) => [mul(y, sub(g, sum(mul(g, y), axis, true)))],
  describe: (axis) => `axis=${axis}`,
};

// y = x − logsumexp(x) along the axis;  ∂L/∂x = g − exp(y)·Σ_axis g
const LogSoftmax: Primitive<number> = {
  name: "logSoftmax",
  forward: ([x], axis) => along(logSoftmaxAlong, x, axis),
  vjp: (g, _x, y, axis) => [sub(g, mul(exp(y), sum(g, axis, true)))],
  describe: (axis) => `axis=${axis}`,
};

/** softmax along a normalised axis; the argument checks are the caller's (composites/basic.ts). */
export function softmaxAlongAxis(x: Tensor, axis: number): Tensor {
  return applyPrimitive(Softmax, [x], axis);
}

/** log softmax along a normalised axis; the argument checks are the caller's (composites/basic.ts). */
export function logSoftmaxAlongAxis(x: Tensor, axis: number): Tensor {
  return applyPrimitive(LogSoftmax, [x], axis);
}
