// Squared distances between the rows of two matrices, the first step of a codebook lookup.
import { applyPrimitive, checkSize, errorSample, flatOf, floatArg, promote, sample, ShapeError, uniformArg, wrap, zeros, type OpSpec, type Primitive, type Tensor } from "../core/index.js";
import { allocate, matmulDistances, packedOperand, squaredNormsOfRows, type FloatData, type MatrixOperand } from "../kernels/index.js";
import { mul, sub } from "./binary.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { reshape, transpose } from "./shape.js";

// D[i, j] = ‖z_i‖² − 2·z_i·e_j + ‖e_j‖² for z [N, D] and e [K, D]: one product z·eᵀ, then one
// pass over it in place, where the composite makes four [N, K] arrays.
//   ∂L/∂z = 2·(Σ_j G_ij·z_i − G·e),  ∂L/∂e = 2·(Σ_i G_ij·e_j − Gᵀ·z)
const SquaredDistances: Primitive = {
  name: "squaredDistances",
  forward: ([z, e]) => {
    const [n, dim] = z.shape, k = e.shape[0];
    const dtype = promote(z, e);
    const zd = flatOf(z, dtype) as FloatData, ed = flatOf(e, dtype) as FloatData;
    const zz = allocate(dtype, n) as FloatData, ee = allocate(dtype, k) as FloatData;
    squaredNormsOfRows(zd, n, dim, zz);
    squaredNormsOfRows(ed, k, dim, ee);
    const d = allocate(dtype, n * k) as FloatData;
    const eTransposed: MatrixOperand = { data: ed, offset: 0, batchStride: 0, rowStride: 1, colStride: dim };
    matmulDistances(packedOperand(zd, n, dim), eTransposed, d, n, dim, k, { zz, ee });
    return wrap(d, [n, k]);
  },
  vjp: (g, [z, e], _d, _p, needs) => [
    needs[0] ? mul(sub(mul(sum(g, 1, true), z), matmul(g, e)), 2) : null,
    needs[1] ? mul(sub(mul(reshape(sum(g, 0), [e.shape[0], 1]), e), matmul(transpose(g), z)), 2) : null,
  ],
};

/**
 * d[n, k] = ‖z_n − e_k‖² = ‖z_n‖² − 2·z_n·e_k + ‖e_k‖², all pairs at once with one matmul
 * (no loop over pairs), as one fused primitive. z: [N, D], e: [K, D] → [N, K].
 * Rounding can leave tiny negative values.
 * @category Quantizers
 */
export function squaredDistances(z: Tensor, e: Tensor): Tensor {
  const tz = floatArg("squaredDistances", "z", z);
  const te = floatArg("squaredDistances", "e", e);
  if (tz.ndim !== 2 || te.ndim !== 2 || tz.shape[1] !== te.shape[1]) {
    throw new ShapeError("squaredDistances", "z must be [N, D] and e must be [K, D] with the same D", { z: tz.shape, e: te.shape });
  }
  checkSize("squaredDistances", [tz.shape[0], te.shape[0]]);
  return applyPrimitive(SquaredDistances, [tz, te], undefined);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const squaredDistancesSpec: OpSpec = {
  name: "squaredDistances",
  fn: squaredDistances,
  samples: (rng) => [
    sample("z [4, 3] to codes [5, 3]", [uniformArg(rng, [4, 3]), uniformArg(rng, [5, 3])], squaredDistances),
    sample("one code [1, 2]", [uniformArg(rng, [3, 2]), uniformArg(rng, [1, 2])], squaredDistances),
  ],
  errors: () => [
    errorSample("different D", () => squaredDistances(zeros([4, 3]), zeros([5, 2])), "squaredDistances: z must be [N, D] and e must be [K, D] with the same D, but z has shape [4, 3] and e has shape [5, 2]"),
  ],
};
