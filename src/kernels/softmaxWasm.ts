// Softmax along rows in WebAssembly SIMD (src/kernels/wasm/softmax.wat), bit for bit the values
// of the plain-TypeScript row kernels in src/kernels/softmax.ts: float64 rows with fdlibm's exp on
// two doubles at a time (Math.exp is fdlibm's exp), float32 rows with the float32 polynomial of
// src/kernels/exp32.ts on four floats at a time. The rows are copied into WebAssembly memory a
// chunk at a time with TypedArray.set, transformed in place, and copied back.
import type { FloatData } from "./layout.js";
import { softmaxWasmBase64 } from "./wasm/softmax.generated.js";
import { growTo, wasmLoader } from "./wasmModule.js";

type SoftmaxRows = (at: number, rows: number, size: number, tau: number) => void;
/** (a, b, rows, size, parameter): byte offsets of a's and b's rows; the result replaces a's. */
type TwoInputRows = (a: number, b: number, rows: number, size: number, parameter: number) => void;

type Exports = {
  memory: WebAssembly.Memory; softmaxRows: SoftmaxRows; softmaxRowsF32: SoftmaxRows; softmaxBackwardRows: TwoInputRows; softmaxBackwardRowsF32: TwoInputRows;
  shiftedPerturbationRows: TwoInputRows; shiftedPerturbationRowsF32: TwoInputRows;
  expInPlace: (at: number, count: number, single: number) => void;
};

const load = wasmLoader<Exports>(softmaxWasmBase64);

/** Bytes of rows per call: 256 KB stays in L2 between the kernel's three passes. */
const CHUNK_BYTES = 1 << 18;

/**
 * out = softmax(x/τ) along rows of `size` (x and out may be one array), as softmaxRows computes it;
 * false (and nothing written) where WebAssembly SIMD is missing.
 */
export function softmaxRowsWasm(x: FloatData, out: FloatData, rows: number, size: number, tau: number): boolean {
  const w = load();
  const single = x instanceof Float32Array;
  if (!w || single !== out instanceof Float32Array) return false;
  if (size === 0) return true;
  const bytes = single ? 4 : 8;
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (size * bytes)));
  const need = Math.min(rows, rowsPerChunk) * size * bytes;
  if (!growTo(w.memory, need)) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const rowsKernel = single ? w.softmaxRowsF32 : w.softmaxRows;
  for (let r = 0; r < rows; r += rowsPerChunk) {
    const count = Math.min(rowsPerChunk, rows - r), from = r * size, to = from + count * size;
    mem.set(x.subarray(from, to), 0);
    rowsKernel(0, count, size, tau); // a float32 kernel receives τ rounded to float32
    out.set(mem.subarray(0, to - from), from);
  }
  return true;
}

/**
 * out = y·(g − Σ g·y)/τ along rows of `size`, as softmaxBackwardRows computes it (the same bits);
 * false (and nothing written) where WebAssembly SIMD is missing or the dtypes differ.
 */
export function softmaxBackwardRowsWasm(y: FloatData, g: FloatData, out: FloatData, rows: number, size: number, tau: number): boolean {
  return twoInputRows((w, single) => (single ? w.softmaxBackwardRowsF32 : w.softmaxBackwardRows), y, g, out, rows, size, tau);
}

/** out = (x − max x) + g along rows of `size`, as shiftedPerturbation computes it (the same bits); false as above. */
export function shiftedPerturbationRowsWasm(x: FloatData, g: FloatData, out: FloatData, rows: number, size: number): boolean {
  return twoInputRows((w, single) => (single ? w.shiftedPerturbationRowsF32 : w.shiftedPerturbationRows), x, g, out, rows, size, 0);
}

/**
 * Runs a kernel that reads rows of `a` and `b` and writes its result over a's: the rows are copied
 * in a chunk at a time (a's at 0, b's just after), and the results copied out to `out`.
 */
function twoInputRows(pick: (w: Exports, single: boolean) => TwoInputRows, a: FloatData, b: FloatData, out: FloatData,
  rows: number, size: number, parameter: number): boolean {
  const w = load();
  const single = a instanceof Float32Array;
  if (!w || single !== b instanceof Float32Array || single !== out instanceof Float32Array) return false;
  if (size === 0) return true;
  const bytes = single ? 4 : 8;
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (size * bytes)));
  const chunkBytes = Math.min(rows, rowsPerChunk) * size * bytes;
  if (!growTo(w.memory, 2 * chunkBytes)) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const run = pick(w, single), bAt = chunkBytes / bytes;
  for (let r = 0; r < rows; r += rowsPerChunk) {
    const count = Math.min(rowsPerChunk, rows - r), from = r * size, to = from + count * size;
    mem.set(a.subarray(from, to), 0);
    mem.set(b.subarray(from, to), bAt);
    run(0, chunkBytes, count, size, parameter);
    out.set(mem.subarray(0, to - from), from);
  }
  return true;
}

/** The kernel's own exponential (fdlibm's for float64, exp32 for float32) of each value, in place: for tests. */
export function wasmExpInPlace(values: FloatData): void {
  const w = load();
  if (!w) throw new Error("wasmExpInPlace: WebAssembly SIMD is not available");
  const single = values instanceof Float32Array;
  if (!growTo(w.memory, values.byteLength)) throw new Error(`wasmExpInPlace: no WebAssembly memory for ${values.length} values`);
  const mem = single ? new Float32Array(w.memory.buffer, 0, values.length) : new Float64Array(w.memory.buffer, 0, values.length);
  mem.set(values);
  w.expInPlace(0, values.length, single ? 1 : 0);
  values.set(mem);
}

/** Whether the WebAssembly kernel runs here (Node.js 20 and current browsers have WebAssembly SIMD). */
export function wasmSoftmaxAvailable(): boolean {
  return load() !== null;
}
