// Gathering rows by index (a codebook lookup E[idx]) and its adjoint, the scatter-add.
import { applyPrimitive, checkSize, describeValue, errorSample, fixed, floatArg, formatShape, GumbelgradError, normalizeAxis, positiveInteger, sample, ShapeError, tensor, Tensor, uniformArg, wrap, zeros, type OpSpec, type Primitive } from "../core/index.js";
import { allocate, aroundAxis } from "../kernels/index.js";

interface IndexParams {
  axis: number;
  indices: Int32Array;
  /** Length of the indexed axis of the source (for the scatter-add: of its output). */
  size: number;
}

// y[…, i, …] = x[…, idx[i], …];  the vjp scatter-adds g back: repeated indices accumulate
const IndexSelect: Primitive<IndexParams> = {
  name: "indexSelect",
  linear: true,
  forward: ([x], { axis, indices }) => {
    const [outer, size, inner] = aroundAxis(x.shape, axis);
    const src = x.values();
    const n = indices.length;
    const out = allocate(x.dtype, outer * n * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const from = (o * size + indices[i]) * inner;
        out.set(src.subarray(from, from + inner), (o * n + i) * inner);
      }
    }
    return wrap(out, x.shape.map((d, k) => (k === axis ? n : d)));
  },
  vjp: (g, _x, _y, params) => [indexAdd(g, params)],
  describe: ({ axis, indices }) => `axis=${axis} indices=[${indices.length > 8 ? `${indices.slice(0, 8).join(", ")}, …` : indices.join(", ")}]`,
};

// y[…, idx[i], …] += g[…, i, …], into zeros of the source's shape;  the vjp gathers: indexSelect
const IndexAdd: Primitive<IndexParams> = {
  name: "indexAdd",
  linear: true,
  forward: ([g], { axis, indices, size }) => {
    const [outer, n, inner] = aroundAxis(g.shape, axis);
    const src = g.values();
    const out = allocate(g.dtype, outer * size * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const from = (o * n + i) * inner;
        const to = (o * size + indices[i]) * inner;
        for (let j = 0; j < inner; j++) out[to + j] += src[from + j];
      }
    }
    return wrap(out, g.shape.map((d, k) => (k === axis ? size : d)));
  },
  vjp: (gg, _g, _y, params) => [applyPrimitive(IndexSelect, [gg], params)],
  describe: IndexSelect.describe,
};

function indexAdd(g: Tensor, params: IndexParams): Tensor {
  return applyPrimitive(IndexAdd, [g], params);
}

interface GatherParams {
  axis: number;
  /** One index per output element, in the output's row-major order. */
  index: Int32Array;
  /** The output's shape: x's, with the gathered axis as long as the index's. */
  shape: number[];
  /** Length of the gathered axis of x. */
  size: number;
}

// y[…, i, …] = x[…, idx[…, i, …], …] along the axis (PyTorch's gather);  the vjp scatter-adds g back.
//   Picking the target's log-probability this way, rather than multiplying by a one-hot, keeps a
//   −∞ (an impossible class) out of the result: −∞·0 would be NaN.
const Gather: Primitive<GatherParams> = {
  name: "gather",
  linear: true,
  forward: ([x], { axis, index, shape, size }) => {
    const [outer, n, inner] = aroundAxis(shape, axis);
    const src = x.values();
    const out = allocate(x.dtype, index.length);
    for (let o = 0, at = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) for (let j = 0; j < inner; j++, at++) out[at] = src[(o * size + index[at]) * inner + j];
    }
    return wrap(out, shape);
  },
  vjp: (g, [x], _y, params) => [applyPrimitive(ScatterAdd, [g], { ...params, shape: x.shape })],
  describe: ({ axis }) => `axis=${axis}`,
};

// y[…, idx[…, i, …], …] += g[…, i, …], into zeros of x's shape (`shape` here);  the vjp gathers
const ScatterAdd: Primitive<GatherParams> = {
  name: "scatterAdd",
  linear: true,
  forward: ([g], { axis, index, shape, size }) => {
    const [outer, n, inner] = aroundAxis(g.shape, axis);
    const src = g.values();
    const out = allocate(g.dtype, outer * size * inner);
    for (let o = 0, at = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) for (let j = 0; j < inner; j++, at++) out[(o * size + index[at]) * inner + j] += src[at];
    }
    return wrap(out, shape);
  },
  vjp: (gg, [g], _y, params) => [applyPrimitive(Gather, [gg], { ...params, shape: g.shape })],
  describe: ({ axis }) => `axis=${axis}`,
};

/**
 * Picks one element of x along `axis` per index, as PyTorch's gather: indices is an int32 Tensor
 * of x's rank, with x's shape except along the axis, and the result has the indices' shape.
 * @category Linear algebra and indexing
 */
export function gather(x: Tensor, axis: number, indices: Tensor): Tensor {
  const tx = floatArg("gather", "x", x);
  const a = normalizeAxis("gather", axis, tx.ndim, tx.shape);
  if (!(indices instanceof Tensor)) throw new GumbelgradError("gather", `indices must be an int32 Tensor, but got ${describeValue(indices)}`);
  if (indices.ndim !== tx.ndim || indices.shape.some((d, k) => k !== a && d !== tx.shape[k])) {
    throw new ShapeError("gather", `indices must have the shape of x except along axis ${a}`, { x: tx.shape, indices: indices.shape });
  }
  const index = readIndices("gather", "indices", indices, tx.shape[a], `axis ${a}`);
  return applyPrimitive(Gather, [tx], { axis: a, index, shape: [...indices.shape], size: tx.shape[a] });
}

/** Rows (or slices along `axis`) of x picked by index. indices: int32 Tensor or number[], one axis. @category Linear algebra and indexing */
export function indexSelect(x: Tensor, axis: number, indices: Tensor | number[]): Tensor {
  const tx = floatArg("indexSelect", "x", x);
  const a = normalizeAxis("indexSelect", axis, tx.ndim, tx.shape);
  const idx = readIndices("indexSelect", "indices", indices, tx.shape[a], `axis ${a}`);
  if (indices instanceof Tensor && indices.ndim !== 1) {
    throw new GumbelgradError("indexSelect", `indices must have one axis, but indices has shape ${formatShape(indices.shape)}`);
  }
  checkSize("indexSelect", tx.shape.map((d, k) => (k === a ? idx.length : d)));
  return applyPrimitive(IndexSelect, [tx], { axis: a, indices: idx, size: tx.shape[a] });
}

/**
 * Checks indices (int32 Tensor or number[]) against a range [0, size) and returns them flat.
 * `arg` is the argument's name in the caller's signature ("indices", "targets"); `what` names the
 * range in the message: "axis 0", "numClasses".
 */
export function readIndices(op: string, arg: string, indices: Tensor | number[], size: number, what: string): Int32Array {
  let flat: ArrayLike<number>;
  if (indices instanceof Tensor) {
    if (indices.dtype !== "int32") {
      throw new GumbelgradError(op, `${arg} must be an int32 tensor or an array of integers, but ${arg} has dtype ${indices.dtype}`);
    }
    flat = indices.values();
  } else if (Array.isArray(indices)) {
    flat = indices;
  } else {
    throw new GumbelgradError(op, `${arg} must be an int32 tensor or an array of integers, but got ${describeValue(indices)}`);
  }
  const out = new Int32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (!Number.isInteger(v)) throw new GumbelgradError(op, `${arg} must be integers, but index ${i} is ${typeof v === "number" ? v : describeValue(v)}`);
    if (v < 0 || v >= size) throw new GumbelgradError(op, `index ${v} is out of range for ${what} of size ${size}`);
    out[i] = v;
  }
  return out;
}

/** one_hot(idx)[…, k] = 1 if idx[…] = k else 0, as float64, with a new last axis of numClasses. No gradient. @category Linear algebra and indexing */
export function oneHot(indices: Tensor | number[], numClasses: number): Tensor {
  positiveInteger("oneHot", "numClasses", numClasses);
  const idx = readIndices("oneHot", "indices", indices, numClasses, "numClasses");
  const shape = indices instanceof Tensor ? indices.shape : [idx.length];
  checkSize("oneHot", [...shape, numClasses]);
  const out = new Float64Array(idx.length * numClasses);
  idx.forEach((k, i) => { out[i * numClasses + k] = 1; });
  return wrap(out, [...shape, numClasses]);
}

/** The same values with no gradient flowing back: PyTorch's detach, JAX's stop_gradient. @category Autodiff */
export function stopGradient(x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new GumbelgradError("stopGradient", `x must be a Tensor, but got ${describeValue(x)}`);
  return x.detach();
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const indexSelectSpec: OpSpec = {
  name: "indexSelect",
  fn: indexSelect,
  samples: (rng) => [
    sample("codebook rows E[idx]", [uniformArg(rng, [5, 3])], (e) => indexSelect(e, 0, [4, 0, 2])),
    sample("repeated indices accumulate", [uniformArg(rng, [4, 2])], (e) => indexSelect(e, 0, fixed([1, 1, 3, 1], "int32"))),
    sample("axis −1 of [2, 3, 4]", [uniformArg(rng, [2, 3, 4])], (x) => indexSelect(x, -1, [3, 3, 0])),
    sample("size-1 axis", [uniformArg(rng, [1, 3])], (x) => indexSelect(x, 0, [0, 0])),
  ],
  errors: () => [
    errorSample("index out of range", () => indexSelect(zeros([5, 2]), 0, [1, 7]), "indexSelect: index 7 is out of range for axis 0 of size 5"),
    errorSample("negative index", () => indexSelect(zeros([5, 2]), 0, [-1]), "indexSelect: index -1 is out of range for axis 0 of size 5"),
    errorSample("fractional index", () => indexSelect(zeros([5, 2]), 0, [1.5]), "indexSelect: indices must be integers, but index 0 is 1.5"),
    errorSample("float indices", () => indexSelect(zeros([5, 2]), 0, tensor([1, 2])), "indexSelect: indices must be an int32 tensor or an array of integers, but indices has dtype float64"),
    errorSample("indices with two axes", () => indexSelect(zeros([5, 2]), 0, fixed([[1], [2]], "int32")), "indexSelect: indices must have one axis, but indices has shape [2, 1]"),
    errorSample("string indices", () => indexSelect(zeros([5, 2]), 0, ["1"] as unknown as number[]), 'indexSelect: indices must be integers, but index 0 is the string "1"'),
    errorSample("NaN index", () => indexSelect(zeros([5, 2]), 0, [NaN]), "indexSelect: indices must be integers, but index 0 is NaN"),
    errorSample("axis out of range", () => indexSelect(zeros([5, 2]), 2, [0]), "indexSelect: axis 2 is out of range for a tensor of rank 2 (shape [5, 2])"),
  ],
};

export const gatherSpec: OpSpec = {
  name: "gather",
  fn: gather,
  samples: (rng) => [
    sample("one per row along axis 1 (a target's log-probability)", [uniformArg(rng, [4, 3])], (x) => gather(x, 1, fixed([[2], [0], [0], [1]], "int32"))),
    sample("repeated indices accumulate", [uniformArg(rng, [2, 3])], (x) => gather(x, 1, fixed([[1, 1, 1, 0], [2, 2, 0, 2]], "int32"))),
    sample("along axis 0 of [3, 2, 2]", [uniformArg(rng, [3, 2, 2])], (x) => gather(x, 0, fixed([[[2, 0], [1, 1]]], "int32"))),
    sample("rank 1", [uniformArg(rng, [5])], (x) => gather(x, -1, fixed([4, 4, 0], "int32"))),
  ],
  errors: () => [
    errorSample("index out of range", () => gather(zeros([2, 3]), 1, fixed([[0], [3]], "int32")), "gather: index 3 is out of range for axis 1 of size 3"),
    errorSample("float indices", () => gather(zeros([2, 3]), 1, tensor([[0], [1]])), "gather: indices must be an int32 tensor or an array of integers, but indices has dtype float64"),
    errorSample("indices of another shape", () => gather(zeros([2, 3]), 1, fixed([[0], [1], [2]], "int32")),
      "gather: indices must have the shape of x except along axis 1, but x has shape [2, 3] and indices has shape [3, 1]"),
    errorSample("indices of another rank", () => gather(zeros([2, 3]), 1, fixed([0, 1], "int32")),
      "gather: indices must have the shape of x except along axis 1, but x has shape [2, 3] and indices has shape [2]"),
    errorSample("a plain array", () => gather(zeros([2, 3]), 1, [0, 1] as unknown as Tensor), "gather: indices must be an int32 Tensor, but got an array (wrap it with tensor(...))"),
  ],
};
