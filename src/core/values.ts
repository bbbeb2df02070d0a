// Reading and writing a tensor's flat values. Reading: `tensor.values()` (public), and for ops,
// flatOf (in a given dtype) and flatAs (broadcast to a shape), both copying only when they must.
// Writing in place: writableValues and overwrite, which bump the storage's version (versions.ts) so
// that a backward through the old values refuses to run. Only packed tensors can be written in place,
// and every parameter and buffer made in nn is packed.
import { wrap, type Tensor } from "./tensor.js";
import { GumbelgradError, formatShape } from "./errors.js";
import { markModified } from "./versions.js";
import { allocate, isPacked, packed, packedAs, sameShape, sizeOf, type Data, type DType } from "../kernels/index.js";

/** A fresh tensor of the shape, filled by `fill` writing into flat row-major data. */
export function compute(dtype: DType, shape: readonly number[], fill: (out: Data) => void): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  fill(out);
  return wrap(out, shape);
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

/**
 * Throws unless t can be updated in place, and touches nothing. A load checks every target with
 * this before it writes into the first, so a bad target never leaves a half-loaded module.
 */
export function checkWritable(op: string, t: Tensor): void {
  if (!isPacked(t.data)) {
    throw new GumbelgradError(op, `can only update a packed tensor in place, but got a strided view of shape ${formatShape(t.shape)}`);
  }
}

/**
 * The tensor's own flat data, to be written into. Throws for a view that is not packed. Bumps the
 * storage's version, so a backward through a graph that used the old values refuses to run.
 */
export function writableValues(op: string, t: Tensor): Data {
  checkWritable(op, t);
  markModified(t);
  return t.data.data;
}

/** Copies `values` (row-major, same number of elements) into t, converting them to t's dtype. */
export function overwrite(op: string, t: Tensor, values: ArrayLike<number>): void {
  const out = writableValues(op, t);
  if (values.length !== out.length) {
    throw new GumbelgradError(op, `expected ${out.length} values for shape ${formatShape(t.shape)}, but got ${values.length}`);
  }
  out.set(values);
}
