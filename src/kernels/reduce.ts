// Reductions over the inner axis of data laid out as [outer, inner] (row-major).
// The caller first permutes the reduced axes to the end and packs the view.
import type { Data, FloatData } from "./layout.js";
import { argbestRowsWasm } from "./argbestWasm.js";
import { perDType, type PerDType } from "./elementwise.js";
import { sumColumnsWasm } from "./elementwiseWasm.js";

type Reduction = (x: Data, n: number, out: Data) => void;

/**
 * The copy of a reduction compiled for x's dtype (see perDType), so that its loop stays monomorphic.
 * Not kernelFor: that has no copy for int32 data, which takes the float64 copy here.
 */
function forDType(kernels: PerDType<Reduction>): Reduction {
  return (x, n, out) => (x instanceof Float32Array ? kernels.float32 : kernels.float64)(x, n, out);
}

/** out[r] = Σ_j x[r·inner + j]: the sum of each row (see sumRowsLoop for the order). */
export const sumRows = forDType(perDType(sumRowsLoop));
/** out[j] = Σ_r x[r·cols + j] for data laid out as [rows, cols] (see sumColumnsLoop): in WebAssembly where it runs, with the same bits. */
export function sumColumns(x: Data, rows: number, out: Data): void {
  if (!sumColumnsWasm(x, rows, out)) sumColumnsReference(x, rows, out);
}
/** The plain loop alone: what the WebAssembly path must match bit for bit. */
export const sumColumnsReference = forDType(perDType(sumColumnsLoop));
/** The largest value of each row; NaN if the row holds one. */
export const maxRows = forDType(perDType(maxRowsLoop));
/** The smallest value of each row; NaN if the row holds one. */
export const minRows = forDType(perDType(minRowsLoop));
/** logsumexp of each row (see logsumexpRowsLoop). */
export const logsumexpRows = forDType(perDType(logsumexpRowsLoop));

// Four running sums (element j goes into sum j mod 4), added pairwise at the end, then the tail:
// four independent chains of additions, so the loop is not held up by each add waiting for the
// last, and the rounding error grows more slowly than along one chain.
function sumRowsLoop(x: Data, inner: number, out: Data): void {
  const quads = inner - (inner % 4);
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, j = 0;
    for (; j < quads; j += 4) {
      s0 += x[base + j];
      s1 += x[base + j + 1];
      s2 += x[base + j + 2];
      s3 += x[base + j + 3];
    }
    let s = (s0 + s1) + (s2 + s3);
    for (; j < inner; j++) s += x[base + j];
    out[r] = s;
  }
}

/**
 * Σ (a[i] − b[i])² over two flat arrays of one length and float dtype, rounded as sub, square and
 * sum round it one after another: each difference and each square in the dtype, the squares added
 * in the four running sums of sumRowsLoop. The forward pass of the mean squared error in one sweep.
 */
export function sumOfSquaredDifferences(a: FloatData, b: FloatData): number {
  return a instanceof Float32Array ? squaredDifferencesFloat32(a, b) : squaredDifferencesFloat64(a, b);
}

function squaredDifferencesFloat64(a: FloatData, b: FloatData): number {
  const n = a.length, quads = n - (n % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i < quads; i += 4) {
    const d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  let s = (s0 + s1) + (s2 + s3);
  for (; i < n; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

/** The same for float32, where the composite stores each difference and each square as a float32 (Math.fround). */
function squaredDifferencesFloat32(a: FloatData, b: FloatData): number {
  const f = Math.fround, n = a.length, quads = n - (n % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i < quads; i += 4) {
    const d0 = f(a[i] - b[i]), d1 = f(a[i + 1] - b[i + 1]), d2 = f(a[i + 2] - b[i + 2]), d3 = f(a[i + 3] - b[i + 3]);
    s0 += f(d0 * d0);
    s1 += f(d1 * d1);
    s2 += f(d2 * d2);
    s3 += f(d3 * d3);
  }
  let s = (s0 + s1) + (s2 + s3);
  for (; i < n; i++) {
    const d = f(a[i] - b[i]);
    s += f(d * d);
  }
  return s;
}

/**
 * out[j] = Σ_r x[r·cols + j]: the sum over the leading axis of data laid out as [rows, cols], read
 * row by row (the bias gradient of a layer sums its upstream gradient over the batch this way).
 */
function sumColumnsLoop(x: Data, rows: number, out: Data): void {
  const cols = out.length;
  out.fill(0);
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    for (let j = 0; j < cols; j++) out[j] += x[base + j];
  }
}

function maxRowsLoop(x: Data, inner: number, out: Data): void {
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let m = -Infinity;
    for (let j = 0; j < inner; j++) if (x[base + j] > m || Number.isNaN(x[base + j])) m = x[base + j];
    out[r] = m;
  }
}

function minRowsLoop(x: Data, inner: number, out: Data): void {
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let m = Infinity;
    for (let j = 0; j < inner; j++) if (x[base + j] < m || Number.isNaN(x[base + j])) m = x[base + j];
    out[r] = m;
  }
}

/** Index of the first maximum in each row (the first one wins a tie; the first NaN wins over all); in WebAssembly where it runs. */
export function argmaxRows(x: Data, inner: number, out: Data): void {
  if (!argbestRowsWasm("argmax", x, inner, out)) argmaxRowsReference(x, inner, out);
}

/** The same in plain TypeScript: what the WebAssembly kernel must agree with. */
export function argmaxRowsReference(x: Data, inner: number, out: Data): void {
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let best = 0, top = x[base];
    for (let j = 1; j < inner && top === top; j++) {
      const v = x[base + j];
      if (v > top || v !== v) { best = j; top = v; }
    }
    out[r] = best;
  }
}

/** Index of the first minimum in each row (the first one wins a tie; the first NaN wins over all); in WebAssembly where it runs. */
export function argminRows(x: Data, inner: number, out: Data): void {
  if (!argbestRowsWasm("argmin", x, inner, out)) argminRowsReference(x, inner, out);
}

/** The same in plain TypeScript: what the WebAssembly kernel must agree with. */
export function argminRowsReference(x: Data, inner: number, out: Data): void {
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let best = 0, bottom = x[base];
    for (let j = 1; j < inner && bottom === bottom; j++) {
      const v = x[base + j];
      if (v < bottom || v !== v) { best = j; bottom = v; }
    }
    out[r] = best;
  }
}

/** 1 where x equals y (both of one shape), or where both are NaN; else 0. */
export function equalOrBothNaN(x: Data, y: Data, out: Data): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] === y[i] || (x[i] !== x[i] && y[i] !== y[i]) ? 1 : 0;
}

/**
 * logsumexp of each row, shifted by the row maximum so that exp never overflows. A NaN makes the
 * row NaN; a row of −∞ (or an empty one) gives −∞, and one holding +∞ gives +∞, as in PyTorch.
 */
function logsumexpRowsLoop(x: Data, inner: number, out: Data): void {
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let m = -Infinity;
    for (let j = 0; j < inner; j++) if (x[base + j] > m || x[base + j] !== x[base + j]) m = x[base + j];
    if (m !== m || m === -Infinity || m === Infinity) { out[r] = m; continue; }
    let s = 0;
    for (let j = 0; j < inner; j++) s += Math.exp(x[base + j] - m);
    out[r] = m + Math.log(s);
  }
}
