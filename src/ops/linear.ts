// The affine map of a layer, as one primitive (PyTorch's F.linear): the product and the bias add in
// one pass over the output, and the weight's gradient computed in the weight's own layout.
import { applyPrimitive, errorSample, fixed, flatOf, floatArg, sample, ShapeError, uniformArg, wrap, zeros, type OpSpec, type Primitive, type Tensor } from "../core/index.js";
import { allocate, matmulAddRows, matmulKernel, packedOperand, sizeOf, type DType, type FloatData, type MatrixOperand } from "../kernels/index.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { reshape, transpose } from "./shape.js";

// y = x·Wᵀ + b for x [..., in], W [out, in], b [out];
//   ∂L/∂x = G·W,  ∂L/∂W = Gᵀ·x,  ∂L/∂b = Σ G over every axis but the last (x and G seen as [rows, ·])
const Linear: Primitive = {
  name: "linear",
  forward: (inputs) => {
    const [x, w, b] = inputs;
    const [outFeatures, inFeatures] = w.shape;
    const rows = sizeOf(x.shape.slice(0, -1));
    const dtype = commonDType(inputs);
    const out = allocate(dtype, rows * outFeatures) as FloatData;
    const xs = packedOperand(flatOf(x, dtype) as FloatData, rows, inFeatures);
    // Wᵀ read in place: element (p, j) of Wᵀ is W[j, p]
    const wt: MatrixOperand = { data: flatOf(w, dtype) as FloatData, offset: 0, batchStride: 0, rowStride: 1, colStride: inFeatures };
    if (b) matmulAddRows(xs, wt, out, rows, inFeatures, outFeatures, flatOf(b, dtype) as FloatData);
    else matmulKernel(xs, wt, out, 1, rows, inFeatures, outFeatures);
    return wrap(out, [...x.shape.slice(0, -1), outFeatures]);
  },
  vjp: (g, inputs, _y, _p, needs) => {
    const [x, w] = inputs;
    const rowsOf = (t: Tensor) => reshape(t, [sizeOf(t.shape.slice(0, -1)), t.shape[t.ndim - 1]]);
    const g2 = rowsOf(g);
    return [
      needs[0] ? reshape(matmul(g2, w), x.shape) : null,
      needs[1] ? matmul(transpose(g2), rowsOf(x)) : null,
      ...(inputs.length === 3 ? [needs[2] ? sum(g2, 0) : null] : []),
    ];
  },
};

/** float32 only when every input is float32. */
function commonDType(inputs: Tensor[]): DType {
  return inputs.every((t) => t.dtype === "float32") ? "float32" : "float64";
}

/**
 * x·Wᵀ + b, the affine map of a layer with weight W [out, in] and bias b [out] (or none), as
 * PyTorch's `F.linear`: x is [..., in] and the result [..., out]. One primitive, where
 * `x.matmul(w.T).add(b)` is two, with an intermediate the size of the output.
 * @throws ShapeError when W is not a matrix, x's last axis is not W's second, or b is not [out].
 * @category Linear algebra and indexing
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const tx = floatArg("linear", "x", x);
  const tw = floatArg("linear", "weight", weight);
  const tb = bias === undefined || bias === null ? null : floatArg("linear", "bias", bias);
  if (tw.ndim !== 2) throw new ShapeError("linear", "weight must be a matrix [out, in]", { weight: tw.shape });
  if (tx.ndim < 1 || tx.shape[tx.ndim - 1] !== tw.shape[1]) {
    throw new ShapeError("linear", "the last axis of x must be weight's second axis (in)", { x: tx.shape, weight: tw.shape });
  }
  if (tb && (tb.ndim !== 1 || tb.shape[0] !== tw.shape[0])) {
    throw new ShapeError("linear", "bias must be [out], weight's first axis", { weight: tw.shape, bias: tb.shape });
  }
  // an empty x with in > 0 gives an empty result; x [rows, 0] gives rows of b (a sum of no products, plus b), as PyTorch's
  const outShape = [...tx.shape.slice(0, -1), tw.shape[0]];
  if (sizeOf(outShape) === 0) return zeros(outShape, { dtype: commonDType(tb ? [tx, tw, tb] : [tx, tw]) });
  return applyPrimitive(Linear, tb ? [tx, tw, tb] : [tx, tw], undefined);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const linearSpec: OpSpec = {
  name: "linear",
  fn: linear,
  samples: (rng) => [
    sample("x [5, 3], W [2, 3], b [2]", [uniformArg(rng, [5, 3]), uniformArg(rng, [2, 3]), uniformArg(rng, [2])], (x, w, b) => linear(x, w, b)),
    sample("no bias", [uniformArg(rng, [4, 3]), uniformArg(rng, [5, 3])], (x, w) => linear(x, w)),
    sample("a batch of batches x [2, 3, 4]", [uniformArg(rng, [2, 3, 4]), uniformArg(rng, [3, 4]), uniformArg(rng, [3])], (x, w, b) => linear(x, w, b)),
    sample("x [3] (one row)", [uniformArg(rng, [3]), uniformArg(rng, [2, 3]), uniformArg(rng, [2])], (x, w, b) => linear(x, w, b)),
    sample("a fixed weight", [uniformArg(rng, [3, 4])], (x) => linear(x, fixed([[1, 0, -1, 2], [0.5, 0.5, 0, 1]]).cast(x.dtype))),
  ],
  errors: () => [
    errorSample("x's last axis is not in", () => linear(zeros([2, 3]), zeros([4, 5])), "linear: the last axis of x must be weight's second axis (in), but x has shape [2, 3] and weight has shape [4, 5]"),
    errorSample("a bias of the wrong length", () => linear(zeros([2, 3]), zeros([4, 3]), zeros([3])), "linear: bias must be [out], weight's first axis, but weight has shape [4, 3] and bias has shape [3]"),
    errorSample("a weight that is not a matrix", () => linear(zeros([2, 3]), zeros([3])), "linear: weight must be a matrix [out, in], but weight has shape [3]"),
  ],
};
