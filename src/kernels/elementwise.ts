// Elementwise kernels over flat row-major data. Each loop is written out on its own line:
// one small monomorphic loop per function is what V8 optimises best.
import { dtypeOf, type Data, type FloatData } from "./layout.js";

export type Unary = (x: Data, out: Data) => void;
/**
 * A binary kernel sees the output as [outer, inner] and reads each operand at
 * a[o·ao + j·ai], b[o·bo + j·bi]. Steps of (inner, 1) walk an operand of the output's shape,
 * (0, 0) repeat a single value, (1, 0) one value per row ([R, 1] against [R, C]) and (0, 1) one
 * row for all rows ([C] against [R, C]): the common broadcasts run without copying an operand out
 * to full size. The inner loop only adds steps, so it stays as tight as a plain loop.
 */
export type Binary = (a: Data, ao: number, ai: number, b: Data, bo: number, bi: number, out: Data, outer: number, inner: number) => void;

export const neg: Unary = (x, out) => { for (let i = 0; i < x.length; i++) out[i] = -x[i]; };
export const exp: Unary = (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]); };
export const log: Unary = (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]); };
export const sqrt: Unary = (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]); };
export const abs: Unary = (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]); };
/** −1, 0 or 1; 0 for NaN, as PyTorch's sign, so that abs passes a NaN input no gradient. */
export const sign: Unary = (x, out) => { for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0; };
export const tanh: Unary = (x, out) => { for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]); };
/** max(x, 0); a NaN stays NaN (NaN < 0 is false), as in PyTorch, so anomaly checks can see it. */
export const relu: Unary = (x, out) => { for (let i = 0; i < x.length; i++) out[i] = x[i] < 0 ? 0 : x[i]; };

/** σ(x) = 1 / (1 + e^−x), evaluated so that neither branch overflows. */
export const sigmoid: Unary = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
    else { const e = Math.exp(v); out[i] = e / (1 + e); }
  }
};

/** softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), finite for any x. */
export const softplus: Unary = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
};

export const add: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] + b[pb];
};
export const sub: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] - b[pb];
};
export const mul: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] * b[pb];
};
export const div: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] / b[pb];
};
export const pow: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = Math.pow(a[pa], b[pb]);
};
export const maximum: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] >= b[pb] || a[pa] !== a[pa] ? a[pa] : b[pb]; // a NaN on either side wins
};
export const minimum: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] <= b[pb] || a[pa] !== a[pa] ? a[pa] : b[pb]; // a NaN on either side wins
};
/** 1 where a < b, else 0 (0 where either is NaN). */
export const less: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] < b[pb] ? 1 : 0;
};
/** 1 where a > b, else 0 (0 where either is NaN). */
export const greater: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] > b[pb] ? 1 : 0;
};
/** 1 where a = b, else 0 (0 where either is NaN). */
export const equal: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] === b[pb] ? 1 : 0;
};
/** 1 where b = 0: where pow's derivative in its base is 0 by definition (d/dx x⁰ = 0, also at x = 0). */
export const secondIsZero: Binary = (_a, _ao, _ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pb = o * bo; j < inner; j++, pb += bi) out[w++] = b[pb] === 0 ? 1 : 0;
};
/** 1 where a = 0 and b ≥ 0: where pow's derivative in its exponent is 0 (0^y is constant for y > 0). */
export const zeroBaseNonNegativeExponent: Binary = (a, ao, ai, b, bo, bi, out, outer, inner) => {
  for (let o = 0, w = 0; o < outer; o++) for (let j = 0, pa = o * ao, pb = o * bo; j < inner; j++, pa += ai, pb += bi) out[w++] = a[pa] === 0 && b[pb] >= 0 ? 1 : 0;
};

/** g where x > 0, else 0: relu's gradient in one pass (0 at the kink; where x is NaN, g passes, as in PyTorch). */
export function reluGradient(g: Data, x: Data, out: Data): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i] <= 0 ? 0 : g[i];
}

/** out = cond ? a : b, with cond read as "non-zero"; an operand of one value stands for all of out. */
export function select(cond: Data, a: Data, b: Data, out: Data): void {
  const stepA = a.length === 1 ? 0 : 1, stepB = b.length === 1 ? 0 : 1;
  for (let i = 0, ia = 0, ib = 0; i < out.length; i++, ia += stepA, ib += stepB) out[i] = cond[i] !== 0 ? a[ia] : b[ib];
}

/** out = min(max(x, lo), hi). */
export function clamp(x: Data, lo: number, hi: number, out: Data): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
}

/** 1 where lo ≤ x ≤ hi, else 0: where clamp passes its input through. */
export function inside(x: Data, lo: number, hi: number, out: Data): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] >= lo && x[i] <= hi ? 1 : 0;
}

export type FloatDTypeName = "float64" | "float32";
export type PerDType<F> = Record<FloatDTypeName, F>;

/** The copy of a per-dtype kernel that serves `data`. */
export function kernelFor<F>(kernels: PerDType<F>, data: FloatData): F {
  return kernels[dtypeOf(data) as FloatDTypeName];
}

/**
 * One copy of `kernel` per float dtype. V8 optimises a loop for the typed-array types it has
 * seen; a loop fed both Float64Array and Float32Array falls back to slower polymorphic loads and
 * stores for both. Compiling the same source a second time gives float32 its own copy, with its
 * own type feedback, so each dtype runs a monomorphic loop. Kernels passed here must use nothing
 * but their arguments and globals such as Math. Where code generation is not allowed (a strict
 * Content-Security-Policy), both dtypes share the one kernel.
 */
export function perDType<F extends Function>(kernel: F): PerDType<F> {
  return { float64: kernel, float32: recompiled(kernel) };
}

function recompiled<F extends Function>(kernel: F): F {
  try {
    return new Function(`"use strict"; return (${kernel.toString()});`)() as F;
  } catch {
    return kernel;
  }
}
