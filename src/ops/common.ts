// Argument checks and dtype rules shared by the primitives.
export { describeValue, positiveInteger };
import { GumbelgradError, formatShape } from "../core/errors.js";
import { Tensor, asTensor, wrap, type TensorLike } from "../core/tensor.js";
import { describeValue, positiveInteger, show } from "../core/checks.js";
import { allocate, packed, packedAs, sameShape, sizeOf, type Data, type DType } from "../kernels/layout.js";


/** A floating tensor argument; a plain number becomes a rank-0 tensor of `dtype`. */
export function floatArg(op: string, arg: string, x: TensorLike, dtype: DType = "float64"): Tensor {
  if (typeof x === "number") return asTensor(x, dtype);
  if (!(x instanceof Tensor)) {
    throw new GumbelgradError(op, `${arg} must be a Tensor or a number, but got ${describeValue(x)}`);
  }
  if (!x.isFloating) {
    throw new GumbelgradError(op, `${arg} must be a floating tensor (float64 or float32), but has dtype ${x.dtype}`);
  }
  return x;
}

/** Two operands of a binary op. A plain number takes the dtype of the tensor beside it. */
export function floatPair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const ta = floatArg(op, "a", a, typeof b === "number" ? "float64" : dtypeOfArg(b));
  const tb = floatArg(op, "b", b, ta.dtype);
  return [ta, tb];
}

function dtypeOfArg(x: unknown): DType {
  return x instanceof Tensor && x.isFloating ? x.dtype : "float64";
}


/** float32 only when every operand is float32; mixing promotes to float64. */
export function promote(a: Tensor, b: Tensor): DType {
  return a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
}

/** A fresh tensor of the shape, filled by `fill` writing into flat row-major data. */
export function compute(dtype: DType, shape: readonly number[], fill: (out: Data) => void): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  fill(out);
  return wrap(out, shape);
}

/** Normalises one axis (negative counts from the end), or throws naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number, shape: readonly number[]): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new GumbelgradError(op, `axis ${show(axis)} is out of range for a tensor of rank ${ndim} (shape ${formatShape(shape)})`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises an axis list (undefined means every axis), sorted, without duplicates. */
export function normalizeAxes(op: string, axis: number | number[] | undefined, shape: readonly number[]): number[] {
  const ndim = shape.length;
  if (axis === undefined) return shape.map((_, i) => i);
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis(op, a, ndim, shape));
  if (new Set(list).size !== list.length) {
    throw new GumbelgradError(op, `axes must not repeat, but got [${(Array.isArray(axis) ? axis : [axis]).map(show).join(", ")}]`);
  }
  return list.sort((p, q) => p - q);
}

/** x's values as flat row-major data of `dtype`: its own buffer when it is packed and of that dtype, else a copy. */
export function flatOf(x: Tensor, dtype: DType = x.dtype): Data {
  const own = x.packedData;
  return own !== null && x.dtype === dtype ? own : packed(x.data, dtype);
}

/** x's values broadcast to `shape`, as flat row-major data of `dtype` (copied only when needed). */
export function flatAs(x: Tensor, shape: readonly number[], dtype: DType): Data {
  return sameShape(x.shape, shape) ? flatOf(x, dtype) : packedAs(x.data, shape, dtype);
}
