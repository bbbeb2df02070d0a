// One-hot masks along any axis. Plain values, no gradient: the building block of hard samples.
import { wrap, type Tensor } from "../core/index.js";
import { allocate, aroundAxis, sizeOf, type DType } from "../kernels/index.js";
import { argmax, perturbedLogits } from "../ops/index.js";

/**
 * A tensor of `shape` that is 1 where the position along `axis` equals `index` and 0 elsewhere.
 * `index` holds one class per position of `shape` with the axis removed, in row-major order; an
 * index of −1 marks a distribution that has no class (it held a NaN), which comes out all NaN.
 */
export function oneHotAlong(index: ArrayLike<number>, shape: readonly number[], axis: number, dtype: DType = "float64"): Tensor {
  const [outer, size, inner] = aroundAxis(shape, axis);
  const out = allocate(dtype, sizeOf(shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const k = index[o * inner + j];
      if (k >= 0) out[(o * size + k) * inner + j] = 1;
      else for (let n = 0; n < size; n++) out[(o * size + n) * inner + j] = NaN;
    }
  }
  return wrap(out, shape);
}

/**
 * The Gumbel-max one-hot: 1 at the first maximum of the perturbed logits (x − max x) + g along
 * `axis` (perturbedLogits, as rounded in x's and g's dtype, promoted), 0 elsewhere. A distribution
 * whose perturbed logits hold a NaN has no maximum: its one-hot is all NaN, so the NaN is seen, not
 * hidden behind a clean one-hot (PyTorch's hard Gumbel-softmax gives NaN there too). x and g have
 * one shape.
 */
export function oneHotOfPerturbedMax(x: Tensor, g: Tensor, axis: number): Tensor {
  return oneHotOfMax(perturbedLogits(x, g, axis), axis);
}

/** 1 at the first maximum of `perturbed` along `axis`, 0 elsewhere, all NaN where it holds a NaN (see above). */
export function oneHotOfMax(perturbed: Tensor, axis: number): Tensor {
  const index = argmax(perturbed, axis).values() as Int32Array, v = perturbed.values();
  const [, size, inner] = aroundAxis(perturbed.shape, axis);
  // argmax picks a NaN over every number, so a distribution holds a NaN exactly when its argmax is one
  for (let p = 0; p < index.length; p++) {
    if (Number.isNaN(v[(Math.floor(p / inner) * size + index[p]) * inner + (p % inner)])) index[p] = -1;
  }
  return oneHotAlong(index, perturbed.shape, axis, perturbed.dtype);
}
