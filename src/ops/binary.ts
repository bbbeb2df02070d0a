// Binary elementwise primitives with NumPy broadcasting, plus clamp and where.
// A vjp sums the gradient back over the axes along which its input was broadcast.
import { applyPrimitive, awayFrom, broadcastMessage, checkSize, compute, describeValue, errorSample, fixed, flatAs, flatOf, floatArg, floatPair, GumbelgradError, promote, sample, ShapeError, Tensor, uniformArg, wrap, zeros, type OpSpec, type Primitive, type Rng, type TensorLike } from "../core/index.js";
import * as K from "../kernels/index.js";
import { allocate, broadcastShapes, isPacked, sameShape, sizeOf, type Binary, type Data, type DType } from "../kernels/index.js";
import ndarray from "ndarray";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";
import { neg, log } from "./unary.js";

/** The broadcast shape of the operands, or a ShapeError naming the op. */
function broadcastOrThrow(op: string, shapes: Record<string, readonly number[]>): number[] {
  let out: number[] | null = [];
  for (const s of Object.values(shapes)) out = out && broadcastShapes(out, s);
  if (!out) throw new ShapeError(op, "shapes must broadcast (NumPy rules)", shapes);
  checkSize(op, out);
  return out;
}

/**
 * Sums g over the axes along which an input of `shape` was broadcast, so the gradient has the
 * input's shape: leading axes that broadcasting added, and axes where the input had size 1.
 */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  return reshape(sum(g, axes, false), [...shape]);
}

function binaryPrimitive(name: string, kernels: K.PerDType<Binary>, vjp: Primitive["vjp"], linear = false): Primitive {
  return { name, forward: ([a, b]) => runBinary(kernels, a, b), vjp, linear };
}

/**
 * Runs a binary kernel in the broadcast shape. Operands are read in place: the kernel's steps
 * express a scalar, a row of values repeated down the rows, or a column repeated across them.
 * Only broadcasts that no single split of the axes expresses copy an operand out to full size.
 */
function runBinary(kernels: K.PerDType<Binary>, a: Tensor, b: Tensor): Tensor {
  const shape = resultShape(a, b)!;
  const dtype = promote(a, b);
  const kernel = kernels[dtype as K.FloatDTypeName];
  const out = allocate(dtype, sizeOf(shape));
  const n = out.length;
  if (n === 0) return wrap(out, shape);
  if (runWholeOrScalar(kernel, a, b, dtype, out)) return wrap(out, shape);
  const [da, ash] = operand(a, dtype), [db, bsh] = operand(b, dtype);
  for (let k = 0; k < shape.length || k === 0; k++) {
    const inner = n / sizeOf(shape.slice(0, k));
    const sa = stepsOf(ash, shape, k, inner), sb = stepsOf(bsh, shape, k, inner);
    if (sa && sb) {
      kernel(da, sa[0], sa[1], db, sb[0], sb[1], out, n / inner, inner);
      return wrap(out, shape);
    }
  }
  kernel(flatAs(a, shape, dtype), 0, 1, flatAs(b, shape, dtype), 0, 1, out, 1, n);
  return wrap(out, shape);
}

/**
 * The common cases first, without working out steps: packed operands of the output's dtype that
 * are either whole (as many values as the output, so the same row-major layout) or one value.
 * Small ops are mostly bookkeeping, so skipping it here is what keeps the per-op cost low.
 */
function runWholeOrScalar(kernel: Binary, a: Tensor, b: Tensor, dtype: DType, out: Data): boolean {
  const da = a.packedData, db = b.packedData, n = out.length;
  if (da === null || db === null || a.dtype !== dtype || b.dtype !== dtype) return false;
  const stepA = a.size === n ? 1 : a.size === 1 ? 0 : -1;
  const stepB = b.size === n ? 1 : b.size === 1 ? 0 : -1;
  if (stepA < 0 || stepB < 0) return false;
  kernel(da, 0, stepA, db, 0, stepB, out, 1, n);
  return true;
}

/**
 * An operand's flat data and the shape it has there. A broadcast view (what a sum's vjp makes)
 * is read from its source data: its broadcast axes count as size 1, and the kernel's steps repeat
 * them, so a gradient spread over a large shape is never copied out.
 */
function operand(t: Tensor, dtype: DType): [Data, readonly number[]] {
  if (t.packedData === null && t.dtype === dtype) {
    const nd = t.data;
    const compact = nd.shape.map((d, i) => (nd.stride[i] === 0 ? 1 : d));
    const source = ndarray(nd.data, compact, nd.stride, nd.offset);
    if (isPacked(source)) return [nd.data, compact];
  }
  return [flatOf(t, dtype), t.shape];
}

/**
 * The steps [outer, inner] that read an operand of shape `s`, broadcast to `shape`, when the
 * output is split into [outer, inner] before axis k; null when the operand is neither whole nor
 * all ones on each side of the split.
 */
function stepsOf(s: readonly number[], shape: readonly number[], k: number, inner: number): [number, number] | null {
  const lead = shape.length - s.length;
  let innerWhole = true, innerOnes = true, outerWhole = true, outerOnes = true;
  for (let i = 0; i < shape.length; i++) {
    const d = i < lead ? 1 : s[i - lead];
    if (i >= k) {
      innerWhole &&= d === shape[i];
      innerOnes &&= d === 1;
    } else {
      outerWhole &&= d === shape[i];
      outerOnes &&= d === 1;
    }
  }
  if (!innerWhole && !innerOnes) return null;
  const ai = innerWhole ? 1 : 0;
  if (outerOnes) return [0, ai];
  return outerWhole ? [ai ? inner : 1, ai] : null;
}

/** The broadcast shape of a and b, or null; the common cases (same shape, a scalar operand) without allocating. */
function resultShape(a: Tensor, b: Tensor): number[] | null {
  if (sameShape(a.shape, b.shape)) return a.shape;
  if (b.size === 1 && b.ndim <= a.ndim) return a.shape;
  if (a.size === 1 && a.ndim <= b.ndim) return b.shape;
  return broadcastShapes(a.shape, b.shape);
}

function applyBinary(primitive: Primitive, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = floatPair(primitive.name, a, b);
  const shape = resultShape(ta, tb);
  // Broadcasting can make a result far larger than either operand: [1e5, 1] with [1, 1e5].
  if (shape !== ta.shape && shape !== tb.shape) broadcastOrThrow(primitive.name, { a: ta.shape, b: tb.shape });
  return applyPrimitive(primitive, [ta, tb], undefined);
}

// z = a + b;  ∂z/∂a = 1, ∂z/∂b = 1
const Add = binaryPrimitive("add", K.withWasm("add", K.add), (g, [a, b], _z, _p, needs) => [
  needs[0] ? unbroadcast(g, a.shape) : null,
  needs[1] ? unbroadcast(g, b.shape) : null,
], true);
// z = a − b;  ∂z/∂a = 1, ∂z/∂b = −1
const Sub = binaryPrimitive("sub", K.withWasm("sub", K.sub), (g, [a, b], _z, _p, needs) => [
  needs[0] ? unbroadcast(g, a.shape) : null,
  needs[1] ? unbroadcast(neg(g), b.shape) : null,
], true);
// z = a·b;  ∂z/∂a = b, ∂z/∂b = a
const Mul = binaryPrimitive("mul", K.withWasm("mul", K.mul), (g, [a, b], _z, _p, needs) => [
  needs[0] ? unbroadcast(mul(g, b), a.shape) : null,
  needs[1] ? unbroadcast(mul(g, a), b.shape) : null,
]);
// z = a/b;  ∂z/∂a = 1/b, ∂z/∂b = −a/b² = −z/b
const Div = binaryPrimitive("div", K.withWasm("div", K.div), (g, [a, b], z, _p, needs) => [
  needs[0] ? unbroadcast(div(g, b), a.shape) : null,
  needs[1] ? unbroadcast(neg(div(mul(g, z), b)), b.shape) : null,
]);
// z = aᵇ;  ∂z/∂a = b·aᵇ⁻¹ (0 where b = 0, also at a = 0),  ∂z/∂b = aᵇ·log a (0 where a = 0 and b ≥ 0),
//   PyTorch's choices at the points where the formulas give 0·∞
const Pow = binaryPrimitive("pow", K.perDType(K.pow), (g, [a, b], z, _p, needs) => [
  needs[0] ? unbroadcast(where(maskOf(IS_ZERO_EXPONENT, a, b), 0, mul(g, mul(b, pow(a, sub(b, 1))))), a.shape) : null,
  needs[1] ? unbroadcast(where(maskOf(ZERO_BASE_NON_NEGATIVE_EXPONENT, a, b), 0, mul(g, mul(z, log(a)))), b.shape) : null,
]);
// z = max(a, b);  the gradient goes to the larger operand, half to each on a tie, and to both where
//   either is NaN (as PyTorch). It is selected with where, not multiplied by a mask: an ∞ or NaN
//   upstream gradient must not leak into the operand that was not chosen (0·∞ is NaN).
const Maximum = binaryPrimitive("maximum", K.perDType(K.maximum), (g, [a, b]) => {
  const ties = maskOf(EQUAL, a, b), half = mul(g, 0.5);
  return [
    unbroadcast(where(maskOf(LESS, a, b), 0, where(ties, half, g)), a.shape),
    unbroadcast(where(maskOf(GREATER, a, b), 0, where(ties, half, g)), b.shape),
  ];
});
// z = min(a, b);  the gradient goes to the smaller operand, half to each on a tie, to both where either is NaN
const Minimum = binaryPrimitive("minimum", K.perDType(K.minimum), (g, [a, b]) => {
  const ties = maskOf(EQUAL, a, b), half = mul(g, 0.5);
  return [
    unbroadcast(where(maskOf(GREATER, a, b), 0, where(ties, half, g)), a.shape),
    unbroadcast(where(maskOf(LESS, a, b), 0, where(ties, half, g)), b.shape),
  ];
});

const LESS = K.perDType(K.less);
const GREATER = K.perDType(K.greater);
const EQUAL = K.perDType(K.equal);
const IS_ZERO_EXPONENT = K.perDType(K.secondIsZero);
const ZERO_BASE_NON_NEGATIVE_EXPONENT = K.perDType(K.zeroBaseNonNegativeExponent);

/** A 0/1 comparison of a and b in their broadcast shape: a constant, no gradient. */
function maskOf(kernels: K.PerDType<Binary>, a: Tensor, b: Tensor): Tensor {
  return runBinary(kernels, a.detach(), b.detach());
}

/**
 * a + b elementwise. Like every binary op, the operands broadcast with NumPy's rules ([3, 1] with
 * [1, 4] gives [3, 4]) and either may be a plain number: `add(x, 1)`.
 * @throws ShapeError when the shapes do not broadcast.
 * @category Elementwise ops
 */
export const add = (a: TensorLike, b: TensorLike): Tensor => applyBinary(Add, a, b);
/** a − b elementwise, broadcast; either operand may be a plain number. @category Elementwise ops */
export const sub = (a: TensorLike, b: TensorLike): Tensor => applyBinary(Sub, a, b);
/** a·b elementwise (not the matrix product: that is {@link matmul}), broadcast; either operand may be a plain number. @category Elementwise ops */
export const mul = (a: TensorLike, b: TensorLike): Tensor => applyBinary(Mul, a, b);
/** a/b elementwise, broadcast; either operand may be a plain number: `div(x, 2)`. @category Elementwise ops */
export const div = (a: TensorLike, b: TensorLike): Tensor => applyBinary(Div, a, b);
/** aᵇ elementwise, broadcast; either operand may be a plain number: `pow(x, 2)`. @category Elementwise ops */
export const pow = (a: TensorLike, b: TensorLike): Tensor => applyBinary(Pow, a, b);
/** The larger of a and b, elementwise, broadcast; on a tie each gets half the gradient. @category Elementwise ops */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => applyBinary(Maximum, a, b);
/** The smaller of a and b, elementwise, broadcast; on a tie each gets half the gradient. @category Elementwise ops */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => applyBinary(Minimum, a, b);

// y = min(max(x, lo), hi);  ∂y/∂x = 1 where lo ≤ x ≤ hi, else 0 (selected, so an ∞ upstream stays out)
const Clamp: Primitive<{ min: number; max: number }> = {
  name: "clamp",
  forward: ([x], { min, max }) => compute(x.dtype, x.shape, (out) => K.clamp(x.values(), min, max, out)),
  vjp: (g, [x], _y, { min, max }) => [where(compute(x.dtype, x.shape, (out) => K.inside(x.values(), min, max, out)), g, 0)],
  describe: ({ min, max }) => `min=${min} max=${max}`,
};

/** x limited to [min, max]; max may be left out (no upper bound), as in PyTorch's clamp(x, min). @category Elementwise ops */
export function clamp(x: Tensor, min: number, max = Infinity): Tensor {
  const tx = floatArg("clamp", "x", x);
  if (typeof min !== "number" || typeof max !== "number" || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new GumbelgradError("clamp", `needs numbers min ≤ max, but got min=${describeBound(min)} and max=${describeBound(max)}`);
  }
  return applyPrimitive(Clamp, [tx], { min, max });
}

function describeBound(v: unknown): string {
  return typeof v === "number" ? String(v) : describeValue(v);
}

// z = cond ? a : b (cond read as non-zero);  ∂z/∂a = cond, ∂z/∂b = 1 − cond; cond gets no gradient
const Where: Primitive = {
  name: "where",
  forward: ([cond, a, b]) => {
    const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape)!, b.shape)!;
    const dtype = promote(a, b);
    const branch = (t: Tensor) => (t.size === 1 ? flatOf(t, dtype) : flatAs(t, shape, dtype)); // one value is not spread out
    return compute(dtype, shape, (out) => K.select(flatAs(cond, shape, cond.dtype), branch(a), branch(b), out));
  },
  vjp: (g, [cond, a, b]) => [null, unbroadcast(where(cond, g, 0), a.shape), unbroadcast(where(cond, 0, g), b.shape)],
};

/**
 * `cond ? a : b` elementwise, with cond read as non-zero; the three broadcast together. The
 * gradient goes to a where cond holds and to b elsewhere; cond gets none.
 * @category Elementwise ops
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(cond instanceof Tensor)) throw new GumbelgradError("where", `cond must be a Tensor, but got ${describeValue(cond)}`);
  const [ta, tb] = floatPair("where", a, b);
  broadcastOrThrow("where", { cond: cond.shape, a: ta.shape, b: tb.shape });
  return applyPrimitive(Where, [cond.detach(), ta, tb], undefined);
}

// ---- gradient-check samples and error samples --------------------------------------------------

const BROADCAST_PAIRS: [number[], number[], string][] = [
  [[3, 4], [3, 4], "same shape [3, 4]"],
  [[3, 4], [4], "[3, 4] with [4]"],
  [[3, 1], [1, 4], "[3, 1] with [1, 4]"],
  [[2, 3], [], "[2, 3] with a rank-0 tensor"],
  [[1], [1], "size-1 [1] with [1]"],
];

function binarySpec(name: string, fn: (a: TensorLike, b: TensorLike) => Tensor, draw: (rng: Rng, shape: number[]) => Tensor): OpSpec {
  return {
    name,
    fn,
    samples: (rng) => [
      ...BROADCAST_PAIRS.map(([sa, sb, label]) => sample(label, [draw(rng, sa), draw(rng, sb)], fn)),
      sample("b a plain number", [draw(rng, [2, 3])], (a) => fn(a, 1.5)),
      sample("a a plain number", [draw(rng, [2, 3])], (b) => fn(1.5, b)),
      sample("only b requires grad", [draw(rng, [2, 3]).detach(), draw(rng, [3])], fn),
    ],
    errors: () => [
      errorSample("shapes that do not broadcast", () => fn(zeros([2, 3]), zeros([4])), broadcastMessage(name, [2, 3], [4])),
      errorSample("int32 operand", () => fn(fixed([1, 2], "int32"), 1), `${name}: a must be a floating tensor (float64 or float32), but has dtype int32`),
      errorSample("int32 second operand", () => fn(1, fixed([1, 2], "int32")), `${name}: b must be a floating tensor (float64 or float32), but has dtype int32`),
      errorSample("a string operand", () => fn(zeros([2]), "2" as unknown as number), `${name}: b must be a Tensor or a number, but got the string "2"`),
    ],
  };
}


const anyReal = (rng: Rng, shape: number[]) => uniformArg(rng, shape, -2, 2);
const nonZero = (rng: Rng, shape: number[]) => awayFrom(rng, shape, 0, 0.5);
const positive = (rng: Rng, shape: number[]) => uniformArg(rng, shape, 0.5, 2);

export const addSpec = binarySpec("add", add, anyReal);
export const subSpec = binarySpec("sub", sub, anyReal);
export const mulSpec = binarySpec("mul", mul, anyReal);
export const divSpec = binarySpec("div", div, nonZero);
export const powSpec = binarySpec("pow", pow, positive);
// maximum and minimum: values far apart, so no pair sits on the tie
export const maximumSpec = binarySpec("maximum", maximum, (rng, shape) => spreadOut(rng, shape));
export const minimumSpec = binarySpec("minimum", minimum, (rng, shape) => spreadOut(rng, shape));

/** Distinct values on a grid with random offsets, so a and b never tie. */
function spreadOut(rng: Rng, shape: number[]): Tensor {
  const t = uniformArg(rng, shape, -2, 2);
  const v = t.values();
  for (let i = 0; i < v.length; i++) v[i] = Math.round(v[i] * 4) / 4 + 0.05 + 0.1 * rng.uniform();
  return t;
}

export const clampSpec: OpSpec = {
  name: "clamp",
  fn: clamp,
  samples: (rng) => [
    sample("[3, 4] in (−0.5, 0.5)", [awayFrom(rng, [3, 4], 0.5, 0.05)], (x) => clamp(x, -0.5, 0.5)),
    sample("rank 0", [uniformArg(rng, [], -0.4, 0.4)], (x) => clamp(x, -0.5, 0.5)),
  ],
  errors: () => [
    errorSample("min > max", () => clamp(zeros([2]), 1, 0), "clamp: needs numbers min ≤ max, but got min=1 and max=0"),
    errorSample("NaN bound", () => clamp(zeros([2]), NaN, 1), "clamp: needs numbers min ≤ max, but got min=NaN and max=1"),
  ],
};

export const whereSpec: OpSpec = {
  name: "where",
  fn: where,
  samples: (rng) => [
    sample("cond [3, 4]", [uniformArg(rng, [3, 4]), uniformArg(rng, [3, 4])], (a, b) => where(fixed([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]]), a, b)),
    sample("broadcast cond [4], a [3, 1], b [4]", [uniformArg(rng, [3, 1]), uniformArg(rng, [4])], (a, b) => where(fixed([1, 0, 0, 1]), a, b)),
  ],
  errors: () => [
    errorSample("cond that does not broadcast", () => where(fixed([1, 0, 1]), zeros([2, 2]), 0),
      "where: shapes must broadcast (NumPy rules), but cond has shape [3] and a has shape [2, 2] and b has shape []"),
  ],
};
