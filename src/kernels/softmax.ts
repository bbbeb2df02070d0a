// Fused softmax kernels along one axis of packed data seen as [outer, size, inner] (everything
// before the axis, the axis, everything after).
//
//   softmax:          one pass finds the maximum m, one writes e = exp(x − m) and sums it, one
//                     multiplies by 1/Σ (one division a row, as a division costs several products;
//                     within an ulp of e/Σ). One exp per element and one output array, where the
//                     composite exp(x − logsumexp(x)) makes five sweeps, three arrays and two exps.
//   log-softmax:      x − m − log Σ exp(x − m).
//   tempered softmax: softmax(x/τ), the relaxation inside Gumbel-softmax, as exp((x − m)/τ)·(1/Σ).
//   softmax vjp:      y·(g − Σ g·y)/τ, one pass for the sum and one for the result.
//   perturbed softmax: softmax(((x − max x) + g)/τ), the Gumbel perturbation and then the tempered
//                     softmax on the same rows, while they are in WebAssembly memory.
//
// Shifting by the maximum keeps every exponent ≤ 0, so nothing overflows, for logits of ±1e3 and
// τ down to 1e-3 alike. When the axis is not the last (inner > 1), the passes walk whole rows of
// `inner` contiguous values and keep one running maximum and sum per column, so the reads stay
// sequential instead of striding by `inner`. A row holding +∞ comes out NaN (∞ − ∞ in the
// shift), so that anomaly checks see it.
import type { FloatData } from "./layout.js";
import { kernelFor, perDType } from "./elementwise.js";
import { exp32 } from "./exp32.js";
import { FastPathSwitch } from "./wasmModule.js";
import { logSoftmaxRowsWasm, perturbedSoftmaxRowsWasm, shiftedPerturbationRowsWasm, softmaxBackwardRowsWasm, softmaxRowsWasm } from "./softmaxWasm.js";

const rowKernels = perDType(softmaxRows);
const columnKernels = perDType(softmaxColumns);
const backwardRowKernels = perDType(softmaxBackwardRows);
const backwardColumnKernels = perDType(softmaxBackwardColumns);

/** out = softmax(x) along the middle axis. */
export function softmaxAlong(x: FloatData, out: FloatData, outer: number, size: number, inner: number): void {
  temperedSoftmaxAlong(x, out, outer, size, inner, 1);
}

/** out = softmax(x/τ) along the middle axis, for τ > 0. */
export function temperedSoftmaxAlong(x: FloatData, out: FloatData, outer: number, size: number, inner: number, tau: number): void {
  if (inner === 1) {
    if (!fastPath.on || !softmaxRowsWasm(x, out, outer, size, tau)) softmaxRowsReference(x, out, outer, size, tau);
  }
  else kernelFor(columnKernels, x)(x, out, outer, size, inner, tau, false);
}

/** out = log softmax(x) = x − max − log Σ exp(x − max) along the middle axis. */
export function logSoftmaxAlong(x: FloatData, out: FloatData, outer: number, size: number, inner: number): void {
  if (inner === 1) {
    if (!fastPath.on || !logSoftmaxRowsWasm(x, out, outer, size)) logSoftmaxRowsReference(x, out, outer, size);
  } else kernelFor(columnKernels, x)(x, out, outer, size, inner, 1, true);
}

/** out = log softmax(x) along contiguous rows in plain TypeScript: what the WebAssembly kernel must match bit for bit. */
export function logSoftmaxRowsReference(x: FloatData, out: FloatData, rows: number, size: number): void {
  kernelFor(rowKernels, x)(x, out, rows, size, 1, true);
}

/** out = y·(g − Σ_axis g·y)/τ along the middle axis: the softmax vjp. */
export function softmaxBackwardAlong(y: FloatData, g: FloatData, out: FloatData, outer: number, size: number, inner: number, tau: number): void {
  if (inner === 1) {
    if (!fastPath.on || !softmaxBackwardRowsWasm(y, g, out, outer, size, tau)) softmaxBackwardRowsReference(y, g, out, outer, size, tau);
  } else kernelFor(backwardColumnKernels, y)(y, g, out, outer, size, inner, tau);
}

const fastPath = new FastPathSwitch();

/** Turns the WebAssembly softmax and its vjp off (or back on), e.g. to compare the two. Returns the previous setting. */
export const setWasmSoftmax = fastPath.set;

/** out = softmax(x/τ) along contiguous rows in plain TypeScript: what the WebAssembly kernel must match bit for bit. */
export function softmaxRowsReference(x: FloatData, out: FloatData, rows: number, size: number, tau: number): void {
  if (x instanceof Float32Array && out instanceof Float32Array) softmaxRowsFloat32(x, out, rows, size, tau);
  else kernelFor(rowKernels, x)(x, out, rows, size, tau, false);
}

/**
 * Float32 rows in float32 arithmetic, as the WebAssembly kernel computes them four at a time:
 * e = exp32(f(x − m)/f(τ)), summed in float64 in four partial sums (element i into sum i mod 4),
 * the tail after them in order, then e·(1/Σ) in float64, rounded once.
 */
function softmaxRowsFloat32(x: Float32Array, out: Float32Array, rows: number, size: number, tau: number): void {
  const f = Math.fround, t = f(tau), quads = size - (size % 4), partial = new Float64Array(4);
  for (let r = 0, base = 0; r < rows; r++, base += size) {
    const end = base + size;
    let m = -Infinity;
    for (let i = base; i < end; i++) if (x[i] > m) m = x[i];
    partial.fill(0);
    for (let i = base; i < base + quads; i++) {
      out[i] = exp32(f(f(x[i] - m) / t));
      partial[(i - base) & 3] += out[i];
    }
    let s = partial[0] + partial[1] + (partial[2] + partial[3]);
    for (let i = base + quads; i < end; i++) {
      out[i] = exp32(f(f(x[i] - m) / t));
      s += out[i];
    }
    const inverse = 1 / s;
    for (let i = base; i < end; i++) out[i] = out[i] * inverse;
  }
}

/** out = y·(g − Σ g·y)/τ along contiguous rows in plain TypeScript: what the WebAssembly kernel must match bit for bit. */
export function softmaxBackwardRowsReference(y: FloatData, g: FloatData, out: FloatData, rows: number, size: number, tau: number): void {
  kernelFor(backwardRowKernels, y)(y, g, out, rows, size, tau);
}

/** The axis is the last one: each row is contiguous. With `log`, the result stays in log space. */
function softmaxRows(x: FloatData, out: FloatData, rows: number, size: number, tau: number, log: boolean): void {
  for (let r = 0, base = 0; r < rows; r++, base += size) {
    const end = base + size;
    let m = -Infinity;
    for (let i = base; i < end; i++) if (x[i] > m) m = x[i];
    let s = 0;
    for (let i = base; i < end; i++) {
      out[i] = Math.exp((x[i] - m) / tau);
      s += out[i];
    }
    if (log) {
      const lse = m + Math.log(s);
      for (let i = base; i < end; i++) out[i] = x[i] - lse;
    } else {
      const inverse = 1 / s;
      for (let i = base; i < end; i++) out[i] = out[i] * inverse;
    }
  }
}

/** The axis is not the last: element k of column j sits at (o·size + k)·inner + j. */
function softmaxColumns(x: FloatData, out: FloatData, outer: number, size: number, inner: number, tau: number, log: boolean): void {
  const m = new Float64Array(inner), s = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    m.fill(-Infinity);
    s.fill(0);
    for (let k = 0, at = base; k < size; k++) for (let j = 0; j < inner; j++, at++) if (x[at] > m[j]) m[j] = x[at];
    for (let k = 0, at = base; k < size; k++) {
      for (let j = 0; j < inner; j++, at++) {
        out[at] = Math.exp((x[at] - m[j]) / tau);
        s[j] += out[at];
      }
    }
    if (log) for (let j = 0; j < inner; j++) m[j] += Math.log(s[j]);
    else for (let j = 0; j < inner; j++) s[j] = 1 / s[j];
    for (let k = 0, at = base; k < size; k++) {
      for (let j = 0; j < inner; j++, at++) out[at] = log ? x[at] - m[j] : out[at] * s[j];
    }
  }
}

/** d = Σ g·y over the row, then out = y·(g − d)/τ. */
function softmaxBackwardRows(y: FloatData, g: FloatData, out: FloatData, rows: number, size: number, tau: number): void {
  const quads = size - (size % 4);
  for (let r = 0, base = 0; r < rows; r++, base += size) {
    const end = base + size;
    // d = Σ g·y in four running sums (product i into sum i mod 4), then the tail, as sum adds a row
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = base;
    for (; i < base + quads; i += 4) {
      s0 += g[i] * y[i];
      s1 += g[i + 1] * y[i + 1];
      s2 += g[i + 2] * y[i + 2];
      s3 += g[i + 3] * y[i + 3];
    }
    let d = (s0 + s1) + (s2 + s3);
    for (; i < end; i++) d += g[i] * y[i];
    for (let i = base; i < end; i++) out[i] = (y[i] * (g[i] - d)) / tau;
  }
}

/** The same along a middle axis, with one running d per column. */
function softmaxBackwardColumns(y: FloatData, g: FloatData, out: FloatData, outer: number, size: number, inner: number, tau: number): void {
  const d = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    d.fill(0);
    for (let k = 0, at = base; k < size; k++) for (let j = 0; j < inner; j++, at++) d[j] += g[at] * y[at];
    for (let k = 0, at = base; k < size; k++) for (let j = 0; j < inner; j++, at++) out[at] = (y[at] * (g[at] - d[j])) / tau;
  }
}

/**
 * out = (x − max_axis x) + g along the middle axis: logits shifted by their maximum, then perturbed
 * by Gumbel noise g. The shift changes neither the Gumbel-max sample nor the softmax, but it keeps
 * the noise: added to logits of 1e16, a draw of g ≈ 1 would be lost in rounding.
 */
export function shiftedPerturbationAlong(x: FloatData, g: FloatData, out: FloatData, outer: number, size: number, inner: number): void {
  if (inner === 1 && fastPath.on && shiftedPerturbationRowsWasm(x, g, out, outer, size)) return;
  shiftedPerturbationReference(x, g, out, outer, size, inner);
}

/**
 * out = softmax(((x − max x) + g)/τ) along the middle axis: the perturbation above, then the
 * tempered softmax on it in place; for contiguous rows, both in one trip through WebAssembly memory.
 */
export function perturbedSoftmaxAlong(x: FloatData, g: FloatData, out: FloatData, outer: number, size: number, inner: number, tau: number): void {
  if (inner === 1 && fastPath.on && perturbedSoftmaxRowsWasm(x, g, out, outer, size, tau)) return;
  shiftedPerturbationAlong(x, g, out, outer, size, inner);
  temperedSoftmaxAlong(out, out, outer, size, inner, tau);
}

/** The same in plain TypeScript: what the WebAssembly kernel must match bit for bit. */
export function shiftedPerturbationReference(x: FloatData, g: FloatData, out: FloatData, outer: number, size: number, inner: number): void {
  kernelFor(shiftKernels, out)(x, g, out, outer, size, inner);
}

const shiftKernels = perDType(shiftedPerturbation);

// The maximum ignores NaN, and m + 0 turns a maximum of −0 into +0, so the result does not depend on
// which of two zeros came first.
function shiftedPerturbation(x: FloatData, g: FloatData, out: FloatData, outer: number, size: number, inner: number): void {
  if (inner === 1) {
    // Contiguous rows (the usual last axis): one running maximum, no per-column bookkeeping.
    for (let base = 0, end = size; base < outer * size; base = end, end += size) {
      let m = -Infinity;
      for (let i = base; i < end; i++) if (x[i] > m) m = x[i];
      m += 0;
      for (let i = base; i < end; i++) out[i] = x[i] - m + g[i];
    }
    return;
  }
  const m = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    m.fill(-Infinity);
    for (let k = 0, at = base; k < size; k++) for (let j = 0; j < inner; j++, at++) if (x[at] > m[j]) m[j] = x[at];
    for (let j = 0; j < inner; j++) m[j] += 0;
    for (let k = 0, at = base; k < size; k++) for (let j = 0; j < inner; j++, at++) out[at] = x[at] - m[j] + g[at];
  }
}
