// Reductions over one axis, several, or all, with keepdim and negative axes.
import { applyPrimitive, compute, errorSample, flatOf, floatArg, formatShape, GumbelgradError, normalizeAxes, normalizeAxis, sample, uniformArg, zeros, type OpSpec, type Primitive, type Rng, type Sample, type Tensor } from "../core/index.js";
import * as R from "../kernels/index.js";
import { packedCopy, permuted, sizeOf, type Data } from "../kernels/index.js";
import { broadcastTo, reshape } from "./shape.js";
import { div, mul, sub, where } from "./binary.js";
import { exp } from "./unary.js";

export interface ReduceParams {
  axes: number[];
  keepdim: boolean;
}

type RowKernel = (x: Data, inner: number, out: Data) => void;

/** The shape after reducing `axes`: removed, or kept with size 1. */
function reducedShape(shape: readonly number[], axes: number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * Lays x out as [kept…, reduced…] in one packed copy, so each output element reduces one
 * contiguous row, and runs the row kernel over it.
 */
function reduceRows(x: Tensor, { axes, keepdim }: ReduceParams, kernel: RowKernel, dtype = x.dtype): Tensor {
  const inner = sizeOf(axes.map((a) => x.shape[a]));
  return compute(dtype, reducedShape(x.shape, axes, keepdim), (out) => kernel(rowsOf(x, axes), inner, out));
}

/** x laid out as [kept…, reduced…]: x's own data when the reduced axes are already the trailing ones. */
function rowsOf(x: Tensor, axes: number[]): Data {
  const trailing = axes.every((a, i) => a === x.ndim - axes.length + i);
  if (trailing) return flatOf(x);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return packedCopy(permuted(x.data, [...kept, ...axes]));
}

/** Whether the axes are the first ones, 0, 1, …: then the kept values are contiguous columns. */
function isLeading(axes: number[]): boolean {
  return axes.every((a, i) => a === i);
}

/** A sum over the leading axes, read in place row by row instead of through a permuted copy. */
function sumLeading(x: Tensor, p: ReduceParams): Tensor {
  const rows = sizeOf(p.axes.map((a) => x.shape[a]));
  return compute(x.dtype, reducedShape(x.shape, p.axes, p.keepdim), (out) => R.sumColumns(flatOf(x), rows, out));
}

/** g (of the reduced shape) spread back over x's shape. */
function expand(g: Tensor, x: Tensor, { axes }: ReduceParams): Tensor {
  return broadcastTo(reshape(g, reducedShape(x.shape, axes, true)), x.shape);
}

/**
 * The share of the gradient each element of x gets from max or min: 1/n at each of the n elements
 * equal to the extreme value y of its row (ties split it evenly, as PyTorch's max and amax), 0
 * elsewhere. A NaN row's share goes to its NaNs. A constant, no gradient.
 */
function extremeShare(x: Tensor, y: Tensor, p: ReduceParams): Tensor {
  const hits = compute(x.dtype, x.shape, (out) => R.equalOrBothNaN(flatOf(x), flatOf(expand(y.detach(), x, p), x.dtype), out));
  return div(hits, expand(sum(hits, p.axes, true), x, { ...p, keepdim: true }));
}

const describe = ({ axes, keepdim }: ReduceParams) => `axis=[${axes.join(", ")}]${keepdim ? " keepdim" : ""}`;

// y = Σ_axes x;  ∂y/∂x = 1 for every summed element
const Sum: Primitive<ReduceParams> = {
  name: "sum",
  linear: true,
  forward: ([x], p) => (isLeading(p.axes) && p.axes.length < x.ndim ? sumLeading(x, p) : reduceRows(x, p, R.sumRows)),
  vjp: (g, [x], _y, p) => [expand(g, x, p)],
  describe,
};
// y = max_axes x (NaN if the row holds one);  the gradient goes to the maximal elements, split evenly on a tie
//   (selected with where, so an ∞ upstream gradient does not reach the others as 0·∞ = NaN)
const Max: Primitive<ReduceParams> = {
  name: "max",
  forward: ([x], p) => reduceRows(x, p, R.maxRows),
  vjp: (g, [x], y, p) => [spreadToExtremes(g, x, y, p)],
  describe,
};
// y = min_axes x (NaN if the row holds one);  the gradient goes to the minimal elements, split evenly on a tie
const Min: Primitive<ReduceParams> = {
  name: "min",
  forward: ([x], p) => reduceRows(x, p, R.minRows),
  vjp: (g, [x], y, p) => [spreadToExtremes(g, x, y, p)],
  describe,
};

function spreadToExtremes(g: Tensor, x: Tensor, y: Tensor, p: ReduceParams): Tensor {
  const share = extremeShare(x, y, p);
  return where(share, mul(expand(g, x, p), share), 0);
}

// y = log Σ exp x (shifted by the max, so it never overflows; −∞ over an empty axis);  ∂y/∂x = exp(x − y) = softmax(x)
const LogSumExp: Primitive<ReduceParams> = {
  name: "logsumexp",
  forward: ([x], p) => reduceRows(x, p, R.logsumexpRows),
  vjp: (g, [x], y, p) => [mul(expand(g, x, p), exp(sub(x, expand(y, x, p))))],
  describe,
};

function reduction(primitive: Primitive<ReduceParams>, x: Tensor, axis: number | number[] | undefined, keepdim: boolean): Tensor {
  const tx = floatArg(primitive.name, "x", x);
  const axes = normalizeAxes(primitive.name, axis, tx.shape);
  if ((primitive === Max || primitive === Min) && tx.size === 0) {
    throw new GumbelgradError(primitive.name, `cannot reduce an empty tensor, but x has shape ${formatShape(tx.shape)}`);
  }
  return applyPrimitive(primitive, [tx], { axes, keepdim: !!keepdim });
}

/**
 * The sum over `axis` (a number or a list; negative counts from the end), or over every axis when
 * it is left out. keepdim keeps the reduced axes with size 1: `sum(x [N, K], 1, true)` is [N, 1].
 * @category Reductions and softmax
 */
export const sum = (x: Tensor, axis?: number | number[], keepdim = false): Tensor => reduction(Sum, x, axis, keepdim);
/** The largest value over `axis` (every axis when left out); NaN if the row holds one. Ties split the gradient evenly. @category Reductions and softmax */
export const max = (x: Tensor, axis?: number | number[], keepdim = false): Tensor => reduction(Max, x, axis, keepdim);
/** The smallest value over `axis` (every axis when left out); NaN if the row holds one. Ties split the gradient evenly. @category Reductions and softmax */
export const min = (x: Tensor, axis?: number | number[], keepdim = false): Tensor => reduction(Min, x, axis, keepdim);
/**
 * log Σ exp x over `axis` (every axis when left out), shifted by the maximum so it never
 * overflows; −∞ over an empty axis. Its gradient is softmax(x).
 * @category Reductions and softmax
 */
export const logsumexp = (x: Tensor, axis?: number | number[], keepdim = false): Tensor => reduction(LogSumExp, x, axis, keepdim);

/** The mean over the axes (all by default): sum / count, a composite of sum and div. @category Reductions and softmax */
export function mean(x: Tensor, axis?: number | number[], keepdim = false): Tensor {
  const tx = floatArg("mean", "x", x);
  const axes = normalizeAxes("mean", axis, tx.shape);
  const count = sizeOf(axes.map((a) => tx.shape[a]));
  if (count === 0) throw new GumbelgradError("mean", `cannot average over zero elements, but x has shape ${formatShape(tx.shape)}`);
  return div(sum(tx, axes, keepdim), count);
}

/** Index of the first maximum along `axis`, as int32; a NaN counts as the maximum, as in PyTorch. No gradient. @category Reductions and softmax */
export function argmax(x: Tensor, axis: number): Tensor {
  return argReduce("argmax", x, axis, R.argmaxRows);
}

/** Index of the first minimum along `axis`, as int32; a NaN counts as the minimum, as in PyTorch. No gradient. @category Reductions and softmax */
export function argmin(x: Tensor, axis: number): Tensor {
  return argReduce("argmin", x, axis, R.argminRows);
}

function argReduce(op: string, x: Tensor, axis: number, kernel: RowKernel): Tensor {
  const tx = floatArg(op, "x", x);
  if (axis === undefined) throw new GumbelgradError(op, "needs an axis");
  const a = normalizeAxis(op, axis, tx.ndim, tx.shape);
  if (tx.shape[a] === 0) throw new GumbelgradError(op, `cannot take ${op} over an empty axis, but x has shape ${formatShape(tx.shape)}`);
  return reduceRows(tx, { axes: [a], keepdim: false }, kernel, "int32");
}

// ---- gradient-check samples and error samples --------------------------------------------------

type ReduceFn = (x: Tensor, axis?: number | number[], keepdim?: boolean) => Tensor;

/** Distinct values (no ties), so max and min have a derivative at every sample. */
function distinct(rng: Rng, shape: number[], scale = 1): Tensor {
  const t = uniformArg(rng, shape);
  const v = t.values();
  const order = Array.from(v.keys());
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  order.forEach((rank, i) => { v[i] = scale * (rank - order.length / 2) * 0.1 + 0.01 * rng.uniform(); });
  return t;
}

function reduceSpec(name: string, fn: ReduceFn, extra: (rng: Rng) => Sample[] = () => []): OpSpec {
  return {
    name,
    fn,
    samples: (rng) => [
      sample("all axes", [distinct(rng, [3, 4])], (x) => fn(x)),
      sample("axis 1", [distinct(rng, [3, 4])], (x) => fn(x, 1)),
      sample("axis -1 keepdim", [distinct(rng, [3, 4])], (x) => fn(x, -1, true)),
      sample("axes [0, 2] of [2, 3, 4]", [distinct(rng, [2, 3, 4])], (x) => fn(x, [0, 2])),
      sample("axes [-1, 0] keepdim", [distinct(rng, [2, 3, 4])], (x) => fn(x, [-1, 0], true)),
      sample("size-1 axis of [3, 1]", [distinct(rng, [3, 1])], (x) => fn(x, 1)),
      sample("rank 0", [distinct(rng, [])], (x) => fn(x)),
      ...extra(rng),
    ],
    errors: () => [
      errorSample("axis out of range", () => fn(zeros([2, 3]), 2), `${name}: axis 2 is out of range for a tensor of rank 2 (shape [2, 3])`),
      errorSample("negative axis out of range", () => fn(zeros([2, 3]), -3), `${name}: axis -3 is out of range for a tensor of rank 2 (shape [2, 3])`),
      errorSample("repeated axes", () => fn(zeros([2, 3]), [1, -1]), `${name}: axes must not repeat, but got [1, -1]`),
      errorSample("fractional axis", () => fn(zeros([2, 3]), 0.5), `${name}: axis 0.5 is out of range for a tensor of rank 2 (shape [2, 3])`),
      ...(name === "max" || name === "min" ? [errorSample("an empty tensor", () => fn(zeros([0, 3])), `${name}: cannot reduce an empty tensor, but x has shape [0, 3]`)] : []),
    ],
  };
}

export const sumSpec = reduceSpec("sum", sum);
export const maxSpec = reduceSpec("max", max);
export const minSpec = reduceSpec("min", min);
export const logsumexpSpec = reduceSpec("logsumexp", logsumexp, (rng) => [
  sample("large logits ±1e3", [distinct(rng, [2, 5], 1e4)], (x) => logsumexp(x, 1)),
]);

export const meanSpec: OpSpec = {
  name: "mean",
  fn: mean,
  samples: (rng) => [
    sample("all", [uniformArg(rng, [3, 4])], (x) => mean(x)),
    sample("axis -1 keepdim", [uniformArg(rng, [3, 4])], (x) => mean(x, -1, true)),
    sample("axes [0, 2]", [uniformArg(rng, [2, 3, 2])], (x) => mean(x, [0, 2])),
  ],
  errors: () => [errorSample("axis out of range", () => mean(zeros([2, 3]), 5), "mean: axis 5 is out of range for a tensor of rank 2 (shape [2, 3])")],
};
