// Matrix product: out[t] = A[t] @ B[t], batch after batch, for float64 or float32 data.
//
// `matmulReference` below is the readable definition. `matmulStrided` computes the same thing
// the way fast BLAS kernels do, within what plain JavaScript allows:
//
// - Register tiles. The innermost loop computes a 4×4 block of the output in 16 local variables,
//   reading 4 values of A and 4 of B per step: 16 multiply-adds for 8 loads, where a plain
//   i-k-j loop does one multiply-add per load and store. 16 accumulators plus 8 operands fit
//   x86-64's 16 vector registers only just; a 4×8 tile spills and runs slower in V8.
// - Packing. Before the tiles run, a block of B (KC rows) is copied into panels of 4 columns and
//   a strip of A (4 rows) into a panel of 4-row columns, both as Float64Array. The tile loop then
//   reads two arrays sequentially — the A panel stays in L1 and the B block in L2 — and it only
//   ever sees Float64Array, so V8 compiles it once, monomorphically, whatever the dtype of the
//   inputs (float32 is widened while packing, and rounded once when the tile is stored).
// - WebAssembly. Where available, matmulKernel runs the same packing with the tile loop in
//   WebAssembly SIMD (src/kernels/matmulWasm.ts); this file remains the readable version and
//   the fallback.
// - Any strides. Packing reads A and B through (offset, row stride, column stride), so a
//   transposed view (the vjp's Bᵀ and Aᵀ) is multiplied without being copied first.

import { matmulWasm } from "./matmulWasm.js";

/** A matrix operand, batch t at element offset + t·batchStride, element (i, j) at + i·rowStride + j·colStride. */
export interface MatrixOperand {
  data: Float64Array | Float32Array;
  offset: number;
  batchStride: number;
  rowStride: number;
  colStride: number;
}

/**
 * The kernel the matmul op calls: WebAssembly SIMD (src/kernels/matmulWasm.ts) for products big
 * enough to repay copying into its memory, where available; otherwise the plain-TS kernel.
 */
export function matmulKernel(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number): void {
  const work = n * k * m;
  if (work < SMALL_WORK) matmulSmall(a, b, out, batch, n, k, m);
  else if (!useWasm || work < WASM_MIN_WORK || !matmulWasm(a, b, out, batch, n, k, m)) matmulStrided(a, b, out, batch, n, k, m);
}

/** Below this many multiply-adds per matrix, packing costs more than it saves: a direct loop wins. */
const SMALL_WORK = 512;

/** A direct i-k-j loop over the strided operands, for tiny products (gradient checks, small models). */
export function matmulSmall(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number): void {
  const row = new Float64Array(m);
  for (let t = 0; t < batch; t++) {
    const aBase = a.offset + t * a.batchStride, bBase = b.offset + t * b.batchStride;
    for (let i = 0; i < n; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = a.data[aBase + i * a.rowStride + p * a.colStride];
        const bRow = bBase + p * b.rowStride;
        for (let j = 0; j < m; j++) row[j] += aip * b.data[bRow + j * b.colStride];
      }
      out.set(row, (t * n + i) * m);
    }
  }
}

/** Below this many multiply-adds per matrix, packing into WebAssembly memory costs more than it saves. */
const WASM_MIN_WORK = 4096;
let useWasm = true;

/** Turns the WebAssembly kernel off (or back on), e.g. to compare the two. Returns the previous setting. */
export function setWasmMatmul(on: boolean): boolean {
  const was = useWasm;
  useWasm = on;
  return was;
}

/** Rows of B packed per block: a 128 × m block of float64 fits L2 for the sizes we meet. */
const KC = 128;

/** out[t] = A[t] @ B[t] with A[t]: n×k, B[t]: k×m, out packed [batch, n, m]. */
export function matmulStrided(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number): void {
  const panelsB = Math.ceil(m / 4), kcMax = Math.min(KC, k);
  const bPacked = new Float64Array(panelsB * kcMax * 4);
  const aPanel = new Float64Array(kcMax * 4);
  const tile = new Float64Array(16);
  for (let t = 0; t < batch; t++) {
    const outOff = t * n * m;
    if (k === 0) out.fill(0, outOff, outOff + n * m);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packB(b, t, p0, kc, m, bPacked);
      for (let i = 0; i < n; i += 4) {
        packA(a, t, i, n, p0, kc, aPanel);
        for (let jp = 0; jp < panelsB; jp++) {
          tile4x4(aPanel, bPacked, jp * kc * 4, kc, tile);
          storeTile(tile, out, outOff, i, jp * 4, n, m, p0 > 0);
        }
      }
    }
  }
}

/** bPacked[(jp·kc + p)·width + c] = B[p0 + p, width·jp + c], zero past the last column. */
export function packB(b: MatrixOperand, t: number, p0: number, kc: number, m: number, bPacked: Float64Array | Float32Array, width = 4): void {
  const { data, rowStride, colStride } = b;
  const base = b.offset + t * b.batchStride + p0 * rowStride;
  for (let j0 = 0, w = 0; j0 < m; j0 += width) {
    const cols = Math.min(width, m - j0);
    for (let p = 0; p < kc; p++, w += width) {
      const row = base + p * rowStride + j0 * colStride;
      for (let c = 0; c < width; c++) bPacked[w + c] = c < cols ? data[row + c * colStride] : 0;
    }
  }
}

/** aPanel[p·4 + r] = A[i + r, p0 + p], zero past the last row. */
export function packA(a: MatrixOperand, t: number, i: number, n: number, p0: number, kc: number, aPanel: Float64Array | Float32Array): void {
  const { data, rowStride, colStride } = a;
  const base = a.offset + t * a.batchStride + p0 * colStride;
  const rows = Math.min(4, n - i);
  for (let r = 0; r < 4; r++) {
    if (r >= rows) {
      for (let p = 0; p < kc; p++) aPanel[p * 4 + r] = 0;
      continue;
    }
    const row = base + (i + r) * rowStride;
    for (let p = 0; p < kc; p++) aPanel[p * 4 + r] = data[row + p * colStride];
  }
}

/** tile = (A panel) @ (B panel at bOff), 4×4, over kc steps. The hot loop: see the file comment. */
function tile4x4(ap: Float64Array, bp: Float64Array, bOff: number, kc: number, tile: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0, ai = 0, bi = bOff; p < kc; p++, ai += 4, bi += 4) {
    const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
}

/** Writes (or, after the first block of k, adds) the valid part of a tile into out. */
function storeTile(tile: Float64Array, out: Float64Array | Float32Array, outOff: number, i: number, j: number, n: number, m: number, accumulate: boolean): void {
  const rows = Math.min(4, n - i), cols = Math.min(4, m - j);
  for (let r = 0; r < rows; r++) {
    const o = outOff + (i + r) * m + j;
    for (let c = 0; c < cols; c++) out[o + c] = accumulate ? out[o + c] + tile[r * 4 + c] : tile[r * 4 + c];
  }
}

/** The packed layout [batch, rows, cols] as a MatrixOperand. */
export function packedOperand(data: Float64Array | Float32Array, rows: number, cols: number): MatrixOperand {
  return { data, offset: 0, batchStride: rows * cols, rowStride: cols, colStride: 1 };
}

/** The definition, for tests: out[t, i, j] = Σ_p A[t, i, p]·B[t, p, j], with a plain i-k-j loop. */
export function matmulReference(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number): void {
  for (let t = 0; t < batch; t++) {
    const acc = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < k; p++) {
        const aip = a.data[a.offset + t * a.batchStride + i * a.rowStride + p * a.colStride];
        for (let j = 0; j < m; j++) acc[i * m + j] += aip * b.data[b.offset + t * b.batchStride + p * b.rowStride + j * b.colStride];
      }
    }
    for (let q = 0; q < n * m; q++) out[t * n * m + q] = acc[q];
  }
}
