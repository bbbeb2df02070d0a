// Shape primitives: transpose and broadcastTo are views (no copy); reshape copies only when the
// data is not packed; concat, slice and cast write new data.
import { applyPrimitive, checkShape, checkSize, describeValue, errorSample, floatArg, formatShape, GumbelgradError, normalizeAxis, sample, ShapeError, show, tensor, Tensor, uniformArg, wrap, zeros, type OpSpec, type Primitive } from "../core/index.js";
import ops from "ndarray-ops";
import { allocate, broadcastShapes, broadcastView, packed, packedCopy, permuted, sameShape, sizeOf, view, type DType } from "../kernels/index.js";
import { unbroadcast } from "./binary.js";

// y = xᵀ (axes permuted);  the vjp permutes g back with the inverse permutation
const Transpose: Primitive<number[]> = {
  name: "transpose",
  linear: true,
  forward: ([x], axes) => new Tensor(permuted(x.data, axes)),
  vjp: (g, _x, _y, axes) => [transpose(g, axes.map((_, i) => axes.indexOf(i)))],
  describe: (axes) => `axes=[${axes.join(", ")}]`,
};

/** Permutes the axes; with no `axes`, reverses them (x.T). @category Shapes */
export function transpose(x: Tensor, axes?: number[]): Tensor {
  const tx = floatArg("transpose", "x", x);
  if (axes !== undefined && !Array.isArray(axes)) throw new GumbelgradError("transpose", `axes must be an array of axes, but got ${describeValue(axes)}`);
  const perm = axes === undefined ? tx.shape.map((_, i) => tx.ndim - 1 - i) : axes.map((a) => normalizeAxis("transpose", a, tx.ndim, tx.shape));
  if (perm.length !== tx.ndim || new Set(perm).size !== perm.length) {
    throw new GumbelgradError("transpose", `axes must be a permutation of the ${tx.ndim} axes of x, but got [${(axes ?? []).map(show).join(", ")}] for x of shape ${formatShape(tx.shape)}`);
  }
  return applyPrimitive(Transpose, [tx], perm);
}

// y = x with a new shape (same elements in row-major order);  the vjp reshapes g back
const Reshape: Primitive<number[]> = {
  name: "reshape",
  linear: true,
  forward: ([x], shape) => wrap(packed(x.data), shape),
  vjp: (g, [x]) => [reshape(g, x.shape)],
  describe: (shape) => `shape=${formatShape(shape)}`,
};

/** The same elements in a new shape; one entry may be −1, inferred from the size. @category Shapes */
export function reshape(x: Tensor, shape: number[]): Tensor {
  const tx = floatArg("reshape", "x", x);
  const target = inferShape(tx, shape);
  if (sameShape(target, tx.shape)) return tx;
  return applyPrimitive(Reshape, [tx], target);
}

function inferShape(x: Tensor, shape: number[]): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < -1) || shape.filter((d) => d === -1).length > 1) {
    throw new GumbelgradError("reshape", `shape must be a list of non-negative integers with at most one −1, but got ${Array.isArray(shape) ? `[${shape.map(show).join(", ")}]` : describeValue(shape)}`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (sizeOf(out) !== x.size || !out.every(Number.isInteger)) {
    throw new GumbelgradError("reshape", `cannot reshape ${x.size} elements into shape ${formatShape(shape)}, but x has shape ${formatShape(x.shape)}`);
  }
  return out;
}

// y = x repeated along new leading axes and size-1 axes (a stride-0 view);  the vjp sums g back
const BroadcastTo: Primitive<number[]> = {
  name: "broadcastTo",
  linear: true,
  forward: ([x], shape) => new Tensor(broadcastView(x.data, shape)),
  vjp: (g, [x]) => [unbroadcast(g, x.shape)],
  describe: (shape) => `shape=${formatShape(shape)}`,
};

/**
 * x repeated along new leading axes and its size-1 axes to fill `shape` (NumPy rules), as a view,
 * without copying; the gradient is summed back to x's shape.
 * @category Shapes
 */
export function broadcastTo(x: Tensor, shape: number[]): Tensor {
  const tx = floatArg("broadcastTo", "x", x);
  checkShape("broadcastTo", shape);
  const fits = broadcastShapes(tx.shape, shape);
  if (!fits || !sameShape(fits, shape)) {
    throw new ShapeError("broadcastTo", "x must broadcast to the target shape (NumPy rules)", { x: tx.shape, target: shape });
  }
  if (sameShape(tx.shape, shape)) return tx;
  return applyPrimitive(BroadcastTo, [tx], [...shape]);
}

// y = x[start:end] along one axis;  the vjp pads g with zeros back to x's shape
const Slice: Primitive<{ axis: number; start: number; end: number }> = {
  name: "slice",
  linear: true,
  forward: ([x], { axis, start, end }) => {
    const lo = x.shape.map((_, i) => (i === axis ? start : 0));
    const hi = x.shape.map((d, i) => (i === axis ? end - start : d));
    return wrap(packedCopy(x.data.lo(...lo).hi(...hi)), hi);
  },
  vjp: (g, [x], _y, { axis, start, end }) => {
    const pad = (n: number) => zeros(x.shape.map((d, i) => (i === axis ? n : d)), { dtype: x.dtype });
    return [concat([pad(start), g, pad(x.shape[axis] - end)], axis)];
  },
  describe: ({ axis, start, end }) => `axis=${axis} ${start}:${end}`,
};

/** The elements with index start ≤ i < end along `axis`. @category Shapes */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const tx = floatArg("slice", "x", x);
  const a = normalizeAxis("slice", axis, tx.ndim, tx.shape);
  const n = tx.shape[a];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new GumbelgradError("slice", `needs integers 0 ≤ start ≤ end ≤ ${n} for axis ${a} of x with shape ${formatShape(tx.shape)}, but got start=${show(start)} and end=${show(end)}`);
  }
  return applyPrimitive(Slice, [tx], { axis: a, start, end });
}

// y = [x₁, x₂, …] joined along an axis;  the vjp slices g into the pieces
const Concat: Primitive<number> = {
  name: "concat",
  linear: true,
  forward: (xs, axis) => {
    const shape = xs[0].shape.map((d, i) => (i === axis ? xs.reduce((s, x) => s + x.shape[axis], 0) : d));
    const dtype = xs.every((x) => x.dtype === "float32") ? "float32" : "float64";
    const out = allocate(dtype, sizeOf(shape));
    const target = view(out, shape);
    let at = 0;
    for (const x of xs) {
      if (x.size > 0) {
        const lo = shape.map((_, i) => (i === axis ? at : 0));
        ops.assign(target.lo(...lo).hi(...x.shape), x.data);
      }
      at += x.shape[axis];
    }
    return wrap(out, shape);
  },
  vjp: (g, xs, _y, axis, needs) => {
    let at = 0;
    return xs.map((x, k) => {
      const piece = needs[k] ? slice(g, axis, at, at + x.shape[axis]) : null;
      at += x.shape[axis];
      return piece;
    });
  },
  describe: (axis) => `axis=${axis}`,
};

/** Joins tensors along an existing axis (default 0); their other axes must match. @category Shapes */
export function concat(xs: Tensor[], axis = 0): Tensor {
  const ts = checkList("concat", xs);
  const a = normalizeAxis("concat", axis, ts[0].ndim, ts[0].shape);
  ts.forEach((t, k) => {
    if (t.ndim !== ts[0].ndim || t.shape.some((d, i) => i !== a && d !== ts[0].shape[i])) {
      throw new ShapeError("concat", `all tensors must have the same shape except along axis ${axis}`, { "xs[0]": ts[0].shape, [`xs[${k}]`]: t.shape });
    }
  });
  if (ts.length === 1) return ts[0];
  checkSize("concat", ts[0].shape.map((d, i) => (i === a ? ts.reduce((n, t) => n + t.shape[a], 0) : d)));
  return applyPrimitive(Concat, ts, a);
}

/** Joins tensors of one shape along a new axis. @category Shapes */
export function stack(xs: Tensor[], axis = 0): Tensor {
  const ts = checkList("stack", xs);
  ts.forEach((t, k) => {
    if (!sameShape(t.shape, ts[0].shape)) throw new ShapeError("stack", "all tensors must have the same shape", { "xs[0]": ts[0].shape, [`xs[${k}]`]: t.shape });
  });
  const a = normalizeAxis("stack", axis, ts[0].ndim + 1, [...ts[0].shape, 1]);
  const withAxis = [...ts[0].shape.slice(0, a), 1, ...ts[0].shape.slice(a)];
  return concat(ts.map((t) => reshape(t, withAxis)), a);
}

function checkList(op: string, xs: Tensor[]): Tensor[] {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new GumbelgradError(op, `needs a non-empty array of tensors, but got ${Array.isArray(xs) ? "an empty array" : describeValue(xs)}`);
  }
  return xs.map((x, k) => floatArg(op, `xs[${k}]`, x));
}

// y = x in another floating dtype;  the vjp casts g back
const Cast: Primitive<DType> = {
  name: "cast",
  linear: true,
  forward: ([x], dtype) => wrap(packedCopy(x.data, dtype), x.shape),
  vjp: (g, [x]) => [cast(g, x.dtype)],
  describe: (dtype) => dtype,
};

/** Converts to another dtype. Between float64 and float32 the gradient flows; to int32 it does not. @category Shapes */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!(x instanceof Tensor)) throw new GumbelgradError("cast", `x must be a Tensor, but got ${describeValue(x)}`);
  if (dtype !== "float64" && dtype !== "float32" && dtype !== "int32") {
    throw new GumbelgradError("cast", `dtype must be "float64", "float32" or "int32", but got ${describeValue(dtype)}`);
  }
  if (x.dtype === dtype) return x;
  if (dtype === "int32" || !x.isFloating) return wrap(packedCopy(x.data, dtype), x.shape);
  return applyPrimitive(Cast, [x], dtype);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const transposeSpec: OpSpec = {
  name: "transpose",
  fn: transpose,
  samples: (rng) => [
    sample("reverse [3, 4]", [uniformArg(rng, [3, 4])], (x) => transpose(x)),
    sample("axes [1, 2, 0]", [uniformArg(rng, [2, 3, 4])], (x) => transpose(x, [1, 2, 0])),
    sample("negative axes [-1, 0, 1]", [uniformArg(rng, [2, 3, 4])], (x) => transpose(x, [-1, 0, 1])),
    sample("then an op on the view", [uniformArg(rng, [3, 4])], (x) => transpose(x).mul(transpose(x))),
  ],
  errors: () => [
    errorSample("not a permutation", () => transpose(zeros([2, 3]), [0, 0]), "transpose: axes must be a permutation of the 2 axes of x, but got [0, 0] for x of shape [2, 3]"),
    errorSample("too few axes", () => transpose(zeros([2, 3, 4]), [1, 0]), "transpose: axes must be a permutation of the 3 axes of x, but got [1, 0] for x of shape [2, 3, 4]"),
    errorSample("axis out of range", () => transpose(zeros([2, 3]), [0, 2]), "transpose: axis 2 is out of range for a tensor of rank 2 (shape [2, 3])"),
  ],
};

export const reshapeSpec: OpSpec = {
  name: "reshape",
  fn: reshape,
  samples: (rng) => [
    sample("[3, 4] to [2, 6]", [uniformArg(rng, [3, 4])], (x) => reshape(x, [2, 6])),
    sample("with −1", [uniformArg(rng, [2, 3, 2])], (x) => reshape(x, [-1, 3])),
    sample("of a transposed view", [uniformArg(rng, [3, 4])], (x) => reshape(transpose(x), [12])),
    sample("to rank 0", [uniformArg(rng, [1, 1])], (x) => reshape(x, [])),
  ],
  errors: () => [
    errorSample("wrong size", () => reshape(zeros([2, 3]), [4, 2]), "reshape: cannot reshape 6 elements into shape [4, 2], but x has shape [2, 3]"),
    errorSample("two −1 entries", () => reshape(zeros([2, 3]), [-1, -1]), "reshape: shape must be a list of non-negative integers with at most one −1, but got [-1, -1]"),
    errorSample("a fractional size", () => reshape(zeros([2, 3]), [1.5, 4]), "reshape: shape must be a list of non-negative integers with at most one −1, but got [1.5, 4]"),
  ],
};

export const broadcastToSpec: OpSpec = {
  name: "broadcastTo",
  fn: broadcastTo,
  samples: (rng) => [
    sample("[3, 1] to [2, 3, 4]", [uniformArg(rng, [3, 1])], (x) => broadcastTo(x, [2, 3, 4])),
    sample("rank 0 to [2, 2]", [uniformArg(rng, [])], (x) => broadcastTo(x, [2, 2])),
    sample("[1] to [5]", [uniformArg(rng, [1])], (x) => broadcastTo(x, [5])),
  ],
  errors: () => [
    errorSample("incompatible", () => broadcastTo(zeros([2, 3]), [3, 3]), "broadcastTo: x must broadcast to the target shape (NumPy rules), but x has shape [2, 3] and target has shape [3, 3]"),
    errorSample("a target of lower rank", () => broadcastTo(zeros([2, 3]), [3]), "broadcastTo: x must broadcast to the target shape (NumPy rules), but x has shape [2, 3] and target has shape [3]"),
  ],
};

export const sliceSpec: OpSpec = {
  name: "slice",
  fn: slice,
  samples: (rng) => [
    sample("axis 1, 1:3", [uniformArg(rng, [3, 4])], (x) => slice(x, 1, 1, 3)),
    sample("axis −1, empty 2:2 then concat", [uniformArg(rng, [3, 4])], (x) => concat([slice(x, -1, 2, 2), slice(x, -1, 0, 1)], 1)),
    sample("axis 0, whole", [uniformArg(rng, [2, 2])], (x) => slice(x, 0, 0, 2)),
  ],
  errors: () => [
    errorSample("end past the axis", () => slice(zeros([2, 3]), 1, 1, 5), "slice: needs integers 0 ≤ start ≤ end ≤ 3 for axis 1 of x with shape [2, 3], but got start=1 and end=5"),
    errorSample("start after end", () => slice(zeros([2, 3]), 0, 2, 1), "slice: needs integers 0 ≤ start ≤ end ≤ 2 for axis 0 of x with shape [2, 3], but got start=2 and end=1"),
    errorSample("axis of a rank-0 tensor", () => slice(zeros([]), 0, 0, 0), "slice: axis 0 is out of range for a tensor of rank 0 (shape [])"),
  ],
};

export const concatSpec: OpSpec = {
  name: "concat",
  fn: concat,
  samples: (rng) => [
    sample("axis 0", [uniformArg(rng, [2, 3]), uniformArg(rng, [1, 3])], (a, b) => concat([a, b], 0)),
    sample("axis −1, three pieces", [uniformArg(rng, [2, 1]), uniformArg(rng, [2, 3]), uniformArg(rng, [2, 2])], (a, b, c) => concat([a, b, c], -1)),
    sample("the same tensor twice", [uniformArg(rng, [2, 2])], (a) => concat([a, a], 1)),
  ],
  errors: () => [
    errorSample("mismatched shapes", () => concat([zeros([2, 3]), zeros([4, 5])], 0), "concat: all tensors must have the same shape except along axis 0, but xs[0] has shape [2, 3] and xs[1] has shape [4, 5]"),
    errorSample("empty list", () => concat([], 0), "concat: needs a non-empty array of tensors, but got an empty array"),
    errorSample("axis out of range", () => concat([zeros([2, 3]), zeros([2, 3])], 2), "concat: axis 2 is out of range for a tensor of rank 2 (shape [2, 3])"),
    errorSample("different ranks", () => concat([zeros([2, 3]), zeros([2, 3, 1])], 1), "concat: all tensors must have the same shape except along axis 1, but xs[0] has shape [2, 3] and xs[1] has shape [2, 3, 1]"),
    errorSample("an int32 piece", () => concat([zeros([2]), tensor([1], { dtype: "int32" })]), "concat: xs[1] must be a floating tensor (float64 or float32), but has dtype int32"),
  ],
};

export const stackSpec: OpSpec = {
  name: "stack",
  fn: stack,
  samples: (rng) => [
    sample("axis 0", [uniformArg(rng, [2, 3]), uniformArg(rng, [2, 3])], (a, b) => stack([a, b], 0)),
    sample("axis −1", [uniformArg(rng, [3]), uniformArg(rng, [3]), uniformArg(rng, [3])], (a, b, c) => stack([a, b, c], -1)),
  ],
  errors: () => [
    errorSample("mismatched shapes", () => stack([zeros([2, 3]), zeros([3, 2])]), "stack: all tensors must have the same shape, but xs[0] has shape [2, 3] and xs[1] has shape [3, 2]"),
    errorSample("axis out of range", () => stack([zeros([2]), zeros([2])], 2), "stack: axis 2 is out of range for a tensor of rank 2 (shape [2, 1])"),
  ],
};

export const castSpec: OpSpec = {
  name: "cast",
  fn: cast,
  samples: (rng) => [
    // Rounding through float32 moves values by ~1e-7, so the finite-difference step is 1e-2 here;
    // the function is linear, so a large step costs no accuracy.
    { ...sample("float64 → float32 → float64, linear", [uniformArg(rng, [2, 3])], (x) => cast(cast(x, "float32"), "float64").mul(3)), eps: 1e-2, float32: false },
    { ...sample("float64 × a float32 constant promotes to float64", [uniformArg(rng, [2, 3]), cast(uniformArg(rng, [2, 3], -1, 1, false), "float32")], (x, c) => x.mul(c)), float32: false },
  ],
  errors: () => [
    errorSample("unknown dtype", () => cast(zeros([2]), "int8" as DType), 'cast: dtype must be "float64", "float32" or "int32", but got the string "int8"'),
  ],
};
