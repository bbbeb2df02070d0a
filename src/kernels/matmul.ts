// Matrix product: out[t] = A[t] @ B[t], batch after batch, for float64 or float32 data.
//
// `matmulReference` below is the readable definition. `matmulStrided` computes the same thing
// the way fast BLAS kernels do, within what plain JavaScript allows:
//
// - Register tiles. The innermost loop computes a 2×3 block of the output in 6 local variables,
//   reading 2 values of A and 3 of B per step: 6 multiply-adds for 5 loads, where a plain i-k-j
//   loop does one multiply-add per load and store. The tile is small because V8 schedules all the
//   products of a step before the additions, so accumulators, operands and products compete for
//   x86-64's 16 vector registers: 6 accumulators and 5 operands fit, while a 4×4 tile (16
//   accumulators, 8 operands) spills to the stack and runs about 15% slower; 3×4, 4×3 and 2×6 do
//   no better than 4×4, and 2×4 worse.
// - Packing. Before the tiles run, a block of B (KC rows × NC columns) is copied into panels of 3
//   columns and a strip of A (2 rows) into a panel of 2-row columns, both into one Float64Array.
//   The tile loop then reads that one array sequentially — the A panel stays in L1 and the B
//   block in L2. One array, not two, because V8 re-checks an array's type and length at every
//   step of the loop, and it only ever sees Float64Array, whatever the dtype of the inputs
//   (float32 is widened while packing and rounded once when the result is copied out).
// - WebAssembly. Where available, matmulKernel runs the same blocking, packing and tile loop in
//   WebAssembly SIMD instead (src/kernels/matmulWasm.ts); this file remains the readable version
//   and the fallback.
// - Any strides. Packing reads A and B through (offset, row stride, column stride), so a
//   transposed view (the vjp's Bᵀ and Aᵀ) is multiplied without being copied first.

import { distancesFromProducts } from "./distances.js";
import { matmulWasm, WASM_PANEL_DEPTH, type RowNorms } from "./matmulWasm.js";
import { copyOut, type MatrixOperand } from "./matrixOperand.js";
import { FastPathSwitch } from "./wasmModule.js";

/**
 * The kernel the matmul op calls: a direct loop for tiny products, then WebAssembly SIMD
 * (src/kernels/matmulWasm.ts) where available, since copying into its memory costs well under a
 * microsecond; otherwise the plain-TS kernel.
 */
export function matmulKernel(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number): void {
  if (n * k * m < SMALL_WORK) matmulSmall(a, b, out, batch, n, k, m);
  else if (!fastPath.on || !matmulWasm(a, b, out, batch, n, k, m)) matmulStrided(a, b, out, batch, n, k, m);
}

/** Whether matmulKernel hands an n×k by k×m product to WebAssembly (where it runs): the products whose bits the fused variants below must give. */
function wasmTakes(n: number, k: number, m: number): boolean {
  return n * k * m >= SMALL_WORK && fastPath.on;
}

/**
 * out = A·B + bias on every row (out[r, j] = Σ_p A[r, p]·B[p, j] + bias[j]), the product and bias
 * add of a linear layer, with the bits of the product followed by a separate pass adding the bias.
 * Where the WebAssembly kernel does the product in one panel (k ≤ 256), C starts at the bias
 * instead of 0, so the tile's sum t gets the one addition b + t that the separate pass gives it.
 * Deeper products, whose panels would add the bias before the last panel, and the other kernels
 * take the separate pass.
 */
export function matmulAddRows(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, n: number, k: number, m: number, bias: Float64Array | Float32Array): void {
  if (wasmTakes(n, k, m) && k <= WASM_PANEL_DEPTH && matmulWasm(a, b, out, 1, n, k, m, bias)) return;
  matmulKernel(a, b, out, 1, n, k, m);
  addToRows(out, bias);
}

/**
 * out[i, j] = (zz[i] − 2·(A·B)[i, j]) + ee[j]: squared distances from the product z·eᵀ and the rows'
 * squared norms (squaredDistances). Where the WebAssembly kernel does the product, it also makes the
 * distances before copying C out (matmul.wat's `distances`), with the bits of the separate plain
 * pass that the other kernels take (fromProducts in distances.ts).
 */
export function matmulDistances(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, n: number, k: number, m: number, norms: RowNorms): void {
  if (wasmTakes(n, k, m) && fusedDistances.on && matmulWasm(a, b, out, 1, n, k, m, null, norms)) return;
  matmulKernel(a, b, out, 1, n, k, m);
  distancesFromProducts(out, norms.zz, norms.ee, n, m);
}

const fusedDistances = new FastPathSwitch();

/** Turns the distances made inside the WebAssembly product off (the separate plain pass instead) or on; returns the previous setting. */
export const setWasmDistances = fusedDistances.set;

/** out[r, j] += bias[j] for every row r. */
export function addToRows(out: Float64Array | Float32Array, bias: Float64Array | Float32Array): void {
  const m = bias.length;
  for (let base = 0; base < out.length; base += m) {
    for (let j = 0; j < m; j++) out[base + j] += bias[j];
  }
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

const fastPath = new FastPathSwitch();

/** Turns the WebAssembly kernel off (or back on), e.g. to compare the two. Returns the previous setting. */
export const setWasmMatmul = fastPath.set;

/** Rows and columns of B per packed block: 128 × 256 float64 (256 KB) stays in L2. */
const KC = 128, NC = 256;
/** The register tile: 2 rows of A times 3 columns of B (see the file comment for why so small). */
const TILE_ROWS = 2, TILE_COLS = 3;
/** The packed buffer holds an A panel (up to KC steps × 2 rows), then the B block from here on. */
const B_AT = KC * TILE_ROWS;

/** out[t] = A[t] @ B[t] with A[t]: n×k, B[t]: k×m, out packed [batch, n, m]. */
export function matmulStrided(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number): void {
  const strips = Math.ceil(n / TILE_ROWS), rowLength = Math.ceil(m / TILE_COLS) * TILE_COLS, kcMax = Math.min(KC, k);
  // The B block is sized to the product, since gradient checks multiply tiny matrices hundreds of times.
  const packed = new Float64Array(B_AT + kcMax * Math.ceil(Math.min(NC, m) / TILE_COLS) * TILE_COLS);
  const c = new Float64Array(strips * TILE_ROWS * rowLength); // padded to whole tiles, so tiles are added without edge checks
  for (let t = 0; t < batch; t++) {
    c.fill(0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      for (let j0 = 0; j0 < m; j0 += NC) {
        const nc = Math.min(NC, m - j0);
        packB(b, t, p0, kc, j0, nc, packed);
        for (let s = 0; s < strips; s++) {
          packA(a, t, s * TILE_ROWS, n, p0, kc, packed);
          addStrip(packed, kc, Math.ceil(nc / TILE_COLS), c, s * TILE_ROWS * rowLength + j0, rowLength);
        }
      }
    }
    copyOut(c, 0, rowLength, out, t * n * m, n, m);
  }
}

/** packed[B_AT + (jp·kc + p)·3 + col] = B[p0 + p, j0 + 3·jp + col], zero past the last column. */
function packB(b: MatrixOperand, t: number, p0: number, kc: number, j0: number, nc: number, packed: Float64Array): void {
  const { data, rowStride, colStride } = b;
  const base = b.offset + t * b.batchStride + p0 * rowStride + j0 * colStride;
  for (let j = 0, w = B_AT; j < nc; j += TILE_COLS) {
    const cols = Math.min(TILE_COLS, nc - j);
    for (let p = 0; p < kc; p++, w += TILE_COLS) {
      const row = base + p * rowStride + j * colStride;
      for (let col = 0; col < TILE_COLS; col++) packed[w + col] = col < cols ? data[row + col * colStride] : 0;
    }
  }
}

/** packed[p·2 + r] = A[i + r, p0 + p], zero past the last row. */
function packA(a: MatrixOperand, t: number, i: number, n: number, p0: number, kc: number, packed: Float64Array): void {
  const { data, rowStride, colStride } = a;
  const base = a.offset + t * a.batchStride + p0 * colStride;
  for (let r = 0; r < TILE_ROWS; r++) {
    const row = base + (i + r) * rowStride;
    for (let p = 0; p < kc; p++) packed[p * TILE_ROWS + r] = i + r < n ? data[row + p * colStride] : 0;
  }
}

/**
 * c[2 rows from cOff] += (packed A panel) @ (packed B block), one 2×3 tile after another: the hot
 * loop. It runs on the B index against its end, with no separate step counter, because a loop
 * whose condition is the index it reads with is measurably faster in V8 (5.0 → 6.0 GFLOP/s).
 */
function addStrip(packed: Float64Array, kc: number, panels: number, c: Float64Array, cOff: number, rowLength: number): void {
  for (let jp = 0; jp < panels; jp++) {
    let c00 = 0, c01 = 0, c02 = 0, c10 = 0, c11 = 0, c12 = 0;
    for (let ai = 0, bi = B_AT + jp * kc * 3, bEnd = bi + kc * 3; bi < bEnd; ai += 2, bi += 3) {
      const a0 = packed[ai], a1 = packed[ai + 1];
      const b0 = packed[bi], b1 = packed[bi + 1], b2 = packed[bi + 2];
      c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2;
      c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2;
    }
    const o = cOff + jp * 3;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02;
    c[o + rowLength] += c10; c[o + rowLength + 1] += c11; c[o + rowLength + 2] += c12;
  }
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
