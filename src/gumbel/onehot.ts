// One-hot masks along any axis. Plain values, no gradient: the building block of hard samples.
import { wrap, type Tensor } from "../core/index.js";
import { allocate, aroundAxis, sizeOf, type DType } from "../kernels/index.js";
import { argmax } from "../ops/index.js";

/**
 * A tensor of `shape` that is 1 where the position along `axis` equals `index` and 0 elsewhere.
 * `index` holds one class per position of `shape` with the axis removed, in row-major order.
 */
export function oneHotAlong(index: ArrayLike<number>, shape: readonly number[], axis: number, dtype: DType = "float64"): Tensor {
  const [outer, size, inner] = aroundAxis(shape, axis);
  const out = allocate(dtype, sizeOf(shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) out[(o * size + index[o * inner + j]) * inner + j] = 1;
  }
  return wrap(out, shape);
}

/**
 * 1 at the first maximum of x along `axis`, 0 elsewhere, in x's dtype. A distribution whose values
 * hold a NaN has no maximum: its one-hot is all NaN, so the NaN is seen, not hidden behind a clean
 * one-hot (PyTorch's hard Gumbel-softmax gives NaN there too).
 */
export function oneHotOfMax(x: Tensor, axis: number): Tensor {
  const index = argmax(x.detach(), axis).values();
  const hard = oneHotAlong(index, x.shape, axis, x.dtype);
  const v = x.values(), out = hard.values();
  const [outer, size, inner] = aroundAxis(x.shape, axis);
  // argmax picks a NaN over every number, so a distribution holds a NaN exactly when its argmax is one
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      if (!Number.isNaN(v[(o * size + index[o * inner + j]) * inner + j])) continue;
      for (let k = 0; k < size; k++) out[(o * size + k) * inner + j] = NaN;
    }
  }
  return hard;
}
