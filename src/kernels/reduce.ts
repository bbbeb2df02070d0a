// Reductions over the inner axis of data laid out as [outer, inner] (row-major).
// The caller first permutes the reduced axes to the end and packs the view.
import type { Data } from "./layout.js";
import { argbestRowsWasm } from "./argbestWasm.js";

export function sumRows(x: Data, inner: number, out: Data): void {
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let s = 0;
    for (let j = 0; j < inner; j++) s += x[base + j];
    out[r] = s;
  }
}

/**
 * out[j] = Σ_r x[r·cols + j]: the sum over the leading axis of data laid out as [rows, cols], read
 * row by row (the bias gradient of a layer sums its upstream gradient over the batch this way).
 */
export function sumColumns(x: Data, rows: number, out: Data): void {
  const cols = out.length;
  out.fill(0);
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    for (let j = 0; j < cols; j++) out[j] += x[base + j];
  }
}

export function maxRows(x: Data, inner: number, out: Data): void {
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let m = -Infinity;
    for (let j = 0; j < inner; j++) if (x[base + j] > m || Number.isNaN(x[base + j])) m = x[base + j];
    out[r] = m;
  }
}

export function minRows(x: Data, inner: number, out: Data): void {
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
export function logsumexpRows(x: Data, inner: number, out: Data): void {
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let m = -Infinity;
    for (let j = 0; j < inner; j++) if (x[base + j] > m || x[base + j] !== x[base + j]) m = x[base + j];
    if (m !== m || m === -Infinity || m === Infinity) { out[r] = m; continue; }
    let s = 0;
    for (let j = 0; j < inner; j++) s += Math.exp(x[base + j] - m);
    out[r] = m + Math.log(s);
  }
}
