// The WebAssembly SIMD matmul: the blocking and packing of the plain-TS kernel
// (src/kernels/matmul.ts), done in hand-written WebAssembly (src/kernels/wasm/matmul.wat), where
// each multiply and add of the tile loop works on two doubles or four floats at once. JavaScript
// only copies each operand into WebAssembly memory with TypedArray.set (a native copy, which also
// converts float64 ⇄ float32) and the product back out. The plain-TS kernel stays the readable
// version and the fallback: where WebAssembly SIMD is missing, `matmulWasm` returns false.
import { copyOut, packedOperand, type MatrixOperand } from "./matrixOperand.js";
import { copyStrided } from "./layout.js";
import { matmulWasmBase64 } from "./wasm/matmul.generated.js";
import { growTo, wasmLoader } from "./wasmModule.js";

/** Rows of B per block: a 256-step panel of B (8 KB) and one of A stay in L1. */
const KC = 256;
/** The deepest product (k) done in one panel, whose C receives one addition per element. */
export const WASM_PANEL_DEPTH = KC;
/** A tile is 4 rows of A times 32 bytes of B: 4 doubles or 8 floats (see matmul.wat). */
const TILE_ROWS = 4, TILE_BYTES = 32;

type Tiles = (a: number, b: number, c: number, np: number, mp: number, kc: number) => void;
/** C = (zz − 2·C) + ee in place over n rows of m values, rows rowBytes apart (see matmul.wat). */
type Distances = (c: number, zz: number, ee: number, n: number, m: number, rowBytes: number) => void;
/** Packs A (rows = n) or B (columns = m) from src with byte strides into panels at dst. */
type Pack = (src: number, rowStride: number, colStride: number, size: number, kc: number, dst: number) => void;

interface Kernel {
  memory: WebAssembly.Memory;
  tiles: Tiles;
  tilesF32: Tiles;
  packA: Pack;
  packAF32: Pack;
  packB: Pack;
  packBF32: Pack;
  distances: Distances;
  distancesF32: Distances;
}

/** The squared norms of the rows of z and e, for a product z·eᵀ that is to become squared distances. */
export interface RowNorms {
  zz: Float64Array | Float32Array;
  ee: Float64Array | Float32Array;
}

const load = wasmLoader<Kernel>(matmulWasmBase64);

export function wasmMatmulAvailable(): boolean {
  return load() !== null;
}

/**
 * out[t] = A[t] @ B[t] like matmulStrided; false (and nothing written) when WebAssembly SIMD is
 * unavailable. A float32 output is computed in float32 on 4×8 tiles (four floats per instruction,
 * as float32 matmuls are everywhere); a float64 one in float64 on 4×4 tiles. With `rowStart` (of
 * length m), each row of C starts at rowStart instead of 0 (see matmulAddRows). With `norms`
 * (batch 1, of out's dtype), the product z·eᵀ becomes the squared distances (zz − 2·C) + ee before
 * it leaves WebAssembly memory (see matmulDistances).
 */
export function matmulWasm(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number,
  rowStart: Float64Array | Float32Array | null = null, norms: RowNorms | null = null): boolean {
  const w = load();
  if (!w) return false;
  a = compact(a, batch, n, k);
  b = compact(b, batch, k, m);
  const single = out instanceof Float32Array;
  const bytes = single ? 4 : 8, width = TILE_BYTES / bytes;
  const np = Math.ceil(n / TILE_ROWS), mp = Math.ceil(m / width), kc = Math.min(KC, k), rowLength = mp * width;
  // WebAssembly memory, in elements: the copies of A and B, their packed panels, C, then any norms.
  const aAt = 0, bAt = aAt + aligned(span(a, n, k)), aPackedAt = bAt + aligned(span(b, k, m));
  const bPackedAt = aPackedAt + aligned(np * kc * TILE_ROWS), cAt = bPackedAt + aligned(mp * kc * width), end = cAt + np * TILE_ROWS * rowLength;
  const zzAt = end, eeAt = zzAt + (norms ? aligned(n) : 0), normsEnd = eeAt + (norms ? m : 0);
  if (!growTo(w.memory, normsEnd * bytes)) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const [tiles, packA, packB] = single ? [w.tilesF32, w.packAF32, w.packBF32] : [w.tiles, w.packA, w.packB];
  for (let t = 0; t < batch; t++) {
    const a00 = copyIn(a, t, n, k, mem, aAt), b00 = copyIn(b, t, k, m, mem, bAt);
    mem.fill(0, cAt, end);
    if (rowStart) startRows(mem, cAt, rowLength, n, rowStart);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const block = Math.min(KC, k - p0);
      packA((a00 + p0 * a.colStride) * bytes, a.rowStride * bytes, a.colStride * bytes, n, block, aPackedAt * bytes);
      packB((b00 + p0 * b.rowStride) * bytes, b.rowStride * bytes, b.colStride * bytes, m, block, bPackedAt * bytes);
      tiles(aPackedAt * bytes, bPackedAt * bytes, cAt * bytes, np, mp, block);
    }
    if (norms) {
      mem.set(norms.zz, zzAt);
      mem.set(norms.ee, eeAt);
      (single ? w.distancesF32 : w.distances)(cAt * bytes, zzAt * bytes, eeAt * bytes, n, m, rowLength * bytes);
    }
    copyOut(mem, cAt, rowLength, out, t * n * m, n, m);
  }
  return true;
}

/**
 * The operand itself, or, when its matrices are spread thin over their data (a narrow column slice
 * of a wide matrix spans almost all of it), a packed copy: the whole span of each matrix is copied
 * into WebAssembly memory, and memory should stay in proportion to the matrix, not to its source.
 */
function compact(op: MatrixOperand, batch: number, rows: number, cols: number): MatrixOperand {
  if (span(op, rows, cols) <= 2 * rows * cols) return op;
  const data = op.data instanceof Float32Array ? new Float32Array(batch * rows * cols) : new Float64Array(batch * rows * cols);
  copyStrided(op.data, op.offset, [batch, rows, cols], [op.batchStride, op.rowStride, op.colStride], data);
  return packedOperand(data, rows, cols);
}

/** Bytes of WebAssembly memory the kernel holds (it grows to the largest product so far): for tests. */
export function wasmMatmulMemoryBytes(): number {
  return load()?.memory.buffer.byteLength ?? 0;
}

/** How many elements of its data one matrix of the operand spans, from its lowest to highest index. */
function span(op: MatrixOperand, rows: number, cols: number): number {
  return Math.abs((rows - 1) * op.rowStride) + Math.abs((cols - 1) * op.colStride) + 1;
}

/** Copies rowStart into the first values of each of the n rows of C (at `at`, rows `rowLength` apart). */
function startRows(mem: Float64Array | Float32Array, at: number, rowLength: number, n: number, rowStart: Float64Array | Float32Array): void {
  for (let i = 0; i < n; i++) mem.set(rowStart, at + i * rowLength);
}

/** Rounds an element count up to a multiple of 8, so each region starts on a 32-byte boundary in either dtype. */
const aligned = (elements: number) => Math.ceil(elements / 8) * 8;

/** Copies matrix t of the operand's span into mem at `at`; returns where its element (0, 0) landed. */
function copyIn(op: MatrixOperand, t: number, rows: number, cols: number, mem: Float64Array | Float32Array, at: number): number {
  const first = op.offset + t * op.batchStride;
  const lowest = first + Math.min(0, (rows - 1) * op.rowStride) + Math.min(0, (cols - 1) * op.colStride);
  mem.set(op.data.subarray(lowest, lowest + span(op, rows, cols)), at);
  return at + first - lowest;
}
