// Fused softmax and log-softmax along one axis of packed data seen as [outer, size, inner]
// (everything before the axis, the axis, everything after). One pass finds the maximum, one sums
// exp(x − max), one writes the result: three sweeps and one output array, where the composite
// exp(x − logsumexp(x)) makes five sweeps and three arrays. Shifting by the maximum keeps every
// exponent ≤ 0, so nothing overflows.
//
// The result is bit for bit the composite's, in float64 and float32 alike: the shift
// lse = max + log Σ exp(x − max) and the difference x − lse are rounded to the output's dtype
// (by storing them in the output array) before exp, exactly as the composite's intermediate
// arrays round them. So seeded runs and printed numbers do not change with the fusion.
import type { FloatData } from "./layout.js";
import { perDType, type FloatDTypeName } from "./elementwise.js";

const rowKernels = perDType(softmaxRows);
const columnKernels = perDType(softmaxColumns);

/** out = softmax(x) along the middle axis. */
export function softmaxAlong(x: FloatData, out: FloatData, outer: number, size: number, inner: number): void {
  const dtype = dtypeName(x);
  if (inner === 1) rowKernels[dtype](x, out, outer, size, false);
  else columnKernels[dtype](x, out, outer, size, inner, false);
}

/** out = log softmax(x) = x − max − log Σ exp(x − max) along the middle axis. */
export function logSoftmaxAlong(x: FloatData, out: FloatData, outer: number, size: number, inner: number): void {
  const dtype = dtypeName(x);
  if (inner === 1) rowKernels[dtype](x, out, outer, size, true);
  else columnKernels[dtype](x, out, outer, size, inner, true);
}

const dtypeName = (x: FloatData): FloatDTypeName => (x instanceof Float32Array ? "float32" : "float64");

/** The axis is the last one: each row is contiguous. With `log`, the result stays in log space. */
function softmaxRows(x: FloatData, out: FloatData, rows: number, size: number, log: boolean): void {
  if (size === 0) return;
  for (let r = 0, base = 0; r < rows; r++, base += size) {
    const end = base + size;
    let m = -Infinity;
    for (let i = base; i < end; i++) if (x[i] > m) m = x[i];
    let s = 0;
    for (let i = base; i < end; i++) s += Math.exp(x[i] - m);
    out[base] = m === -Infinity || m === Infinity ? m : m + Math.log(s); // rounded to the dtype
    const lse = out[base];
    for (let i = base; i < end; i++) {
      out[i] = x[i] - lse; // rounded to the dtype
      if (!log) out[i] = Math.exp(out[i]);
    }
  }
}

/**
 * The axis is not the last: element k of column j sits at (o·size + k)·inner + j. Each pass walks
 * whole rows of `inner` contiguous values, keeping a running maximum and sum per column, so the
 * reads stay sequential instead of striding by `inner`.
 */
function softmaxColumns(x: FloatData, out: FloatData, outer: number, size: number, inner: number, log: boolean): void {
  if (size === 0) return;
  const m = new Float64Array(inner), s = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    m.fill(-Infinity);
    s.fill(0);
    for (let k = 0, at = base; k < size; k++) for (let j = 0; j < inner; j++, at++) if (x[at] > m[j]) m[j] = x[at];
    for (let k = 0, at = base; k < size; k++) for (let j = 0; j < inner; j++, at++) s[j] += Math.exp(x[at] - m[j]);
    for (let j = 0; j < inner; j++) {
      out[base + j] = m[j] === -Infinity || m[j] === Infinity ? m[j] : m[j] + Math.log(s[j]); // rounded to the dtype
      m[j] = out[base + j];
    }
    for (let k = 0, at = base; k < size; k++) {
      for (let j = 0; j < inner; j++, at++) {
        out[at] = x[at] - m[j]; // rounded to the dtype
        if (!log) out[at] = Math.exp(out[at]);
      }
    }
  }
}
