// Matrix product: 2-D @ 2-D, and batched (…, n, k) @ (…, k, m) with broadcast batch axes.
import { applyPrimitive, checkSize, errorSample, flatAs, floatArg, promote, sample, ShapeError, tensor, uniformArg, wrap, zeros, type OpSpec, type Primitive, type Tensor } from "../core/index.js";
import { allocate, broadcastShapes, matmulKernel, packedOperand, sizeOf, type FloatData, type MatrixOperand } from "../kernels/index.js";
import { unbroadcast } from "./binary.js";
import { transpose } from "./shape.js";

/**
 * A matrix operand for the kernel. A plain matrix is read through its own strides, so a
 * transposed view is not copied, and a batch stride of 0 shares it with every batch entry; a
 * batched operand whose batch must be broadcast is packed first.
 */
function operandOf(x: Tensor, shape: number[]): MatrixOperand {
  const [rows, cols] = shape.slice(-2);
  if (x.ndim === 2) {
    const own = x.packedData as FloatData | null;
    if (own) return { ...packedOperand(own, rows, cols), batchStride: 0 };
    const nd = x.data;
    return { data: nd.data as FloatData, offset: nd.offset, batchStride: 0, rowStride: nd.stride[0], colStride: nd.stride[1] };
  }
  return packedOperand(flatAs(x, shape, x.dtype) as FloatData, rows, cols);
}

/** Swaps the last two axes (the matrix transpose of every batch entry). */
function swapLast(x: Tensor): Tensor {
  const axes = x.shape.map((_, i) => i);
  [axes[x.ndim - 2], axes[x.ndim - 1]] = [axes[x.ndim - 1], axes[x.ndim - 2]];
  return transpose(x, axes);
}

// C = A·B;  ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G (summed over broadcast batch axes)
const MatMul: Primitive = {
  name: "matmul",
  forward: ([a, b]) => {
    const [n, k] = a.shape.slice(-2);
    const m = b.shape[b.ndim - 1];
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2))!;
    const count = sizeOf(batch);
    const out = allocate(promote(a, b), count * n * m) as FloatData;
    matmulKernel(operandOf(a, [...batch, n, k]), operandOf(b, [...batch, k, m]), out, count, n, k, m);
    return wrap(out, [...batch, n, m]);
  },
  vjp: (g, [a, b], _c, _p, needs) => [
    needs[0] ? unbroadcast(matmul(g, swapLast(b)), a.shape) : null,
    needs[1] ? unbroadcast(matmul(swapLast(a), g), b.shape) : null,
  ],
};



/**
 * The matrix product a @ b: [n, k] @ [k, m] gives [n, m], and batched (…, n, k) @ (…, k, m)
 * with batch axes that broadcast.
 * @throws ShapeError when an operand has fewer than 2 axes, the inner sizes differ, or the batch axes do not broadcast.
 * @category Linear algebra and indexing
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const ta = floatArg("matmul", "a", a);
  const tb = floatArg("matmul", "b", b);
  if (ta.ndim < 2 || tb.ndim < 2) {
    throw new ShapeError("matmul", "both operands need at least 2 axes (…, n, k) and (…, k, m)", { a: ta.shape, b: tb.shape });
  }
  if (ta.shape[ta.ndim - 1] !== tb.shape[tb.ndim - 2]) {
    throw new ShapeError("matmul", "the last axis of a must match the second-to-last axis of b", { a: ta.shape, b: tb.shape });
  }
  const batch = broadcastShapes(ta.shape.slice(0, -2), tb.shape.slice(0, -2));
  if (!batch) {
    throw new ShapeError("matmul", "the batch axes must broadcast (NumPy rules)", { a: ta.shape, b: tb.shape });
  }
  checkSize("matmul", [...batch, ta.shape[ta.ndim - 2], tb.shape[tb.ndim - 1]]);
  return applyPrimitive(MatMul, [ta, tb], undefined);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const matmulSpec: OpSpec = {
  name: "matmul",
  fn: matmul,
  samples: (rng) => [
    sample("[3, 4] @ [4, 2]", [uniformArg(rng, [3, 4]), uniformArg(rng, [4, 2])], matmul),
    sample("[1, 1] @ [1, 3]", [uniformArg(rng, [1, 1]), uniformArg(rng, [1, 3])], matmul),
    sample("batched [2, 3, 4] @ [2, 4, 2]", [uniformArg(rng, [2, 3, 4]), uniformArg(rng, [2, 4, 2])], matmul),
    sample("broadcast batch [2, 1, 3, 2] @ [3, 2, 2]", [uniformArg(rng, [2, 1, 3, 2]), uniformArg(rng, [3, 2, 2])], matmul),
    sample("a matrix times a batch [3, 2] @ [2, 2, 4]", [uniformArg(rng, [3, 2]), uniformArg(rng, [2, 2, 4])], matmul),
    sample("transposed view xᵀx", [uniformArg(rng, [3, 2])], (x) => matmul(x.T, x)),
  ],
  errors: () => [
    errorSample("inner sizes differ", () => matmul(zeros([2, 3]), zeros([4, 5])), "matmul: the last axis of a must match the second-to-last axis of b, but a has shape [2, 3] and b has shape [4, 5]"),
    errorSample("a vector", () => matmul(zeros([3]), zeros([3, 2])), "matmul: both operands need at least 2 axes (…, n, k) and (…, k, m), but a has shape [3] and b has shape [3, 2]"),
    errorSample("a rank-0 operand", () => matmul(zeros([2, 2]), zeros([])), "matmul: both operands need at least 2 axes (…, n, k) and (…, k, m), but a has shape [2, 2] and b has shape []"),
    errorSample("int32 operand", () => matmul(zeros([2, 2]), tensor([[1, 2], [3, 4]], { dtype: "int32" })), "matmul: b must be a floating tensor (float64 or float32), but has dtype int32"),
    errorSample("batch axes that do not broadcast", () => matmul(zeros([2, 2, 3]), zeros([3, 3, 1])), "matmul: the batch axes must broadcast (NumPy rules), but a has shape [2, 2, 3] and b has shape [3, 3, 1]"),
  ],
};
