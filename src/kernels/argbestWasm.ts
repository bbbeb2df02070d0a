// argmin and argmax along rows in WebAssembly SIMD (src/kernels/wasm/argbest.wat), with the
// answers of the plain loops in src/kernels/reduce.ts: rows are copied in a chunk at a time and
// the indices copied out.
import type { Data } from "./layout.js";
import { argbestWasmBase64 } from "./wasm/argbest.generated.js";
import { FastPathSwitch, growTo, wasmLoader } from "./wasmModule.js";

type ArgRows = (x: number, rows: number, size: number, out: number) => void;
type Exports = { memory: WebAssembly.Memory } & Record<`${"argmin" | "argmax"}_${"f64" | "f32"}`, ArgRows>;

const fastPath = new FastPathSwitch();
const load = wasmLoader<Exports>(argbestWasmBase64);

/** Bytes of rows per call. */
const CHUNK_BYTES = 1 << 18;
/** Fewer values than this take the plain loop. */
const MIN_SIZE = 4096;

/**
 * out[r] = the index of the first best value of row r of x (rows of `size`), or of its first NaN;
 * false, with nothing written, where WebAssembly SIMD is missing or x is not float64 or float32.
 */
export function argbestRowsWasm(op: "argmin" | "argmax", x: Data, size: number, out: Data): boolean {
  const rows = out.length;
  if (!fastPath.on || rows * size < MIN_SIZE || !(out instanceof Int32Array)) return false;
  const single = x instanceof Float32Array;
  if (!single && !(x instanceof Float64Array)) return false;
  const w = load();
  if (!w) return false;
  const bytes = single ? 4 : 8;
  const rowsPerChunk = Math.max(1, Math.min(rows, Math.floor(CHUNK_BYTES / (size * bytes))));
  const outAt = rowsPerChunk * size * bytes, need = outAt + rowsPerChunk * 4;
  if (!growTo(w.memory, need)) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const indices = new Int32Array(w.memory.buffer, outAt, rowsPerChunk);
  const run = w[`${op}_${single ? "f32" : "f64"}`];
  for (let r = 0; r < rows; r += rowsPerChunk) {
    const count = Math.min(rowsPerChunk, rows - r);
    mem.set(x.subarray(r * size, (r + count) * size), 0);
    run(0, count, size, outAt);
    out.set(indices.subarray(0, count), r);
  }
  return true;
}

/** Turns the WebAssembly path off (false) or on (true); returns the previous setting. For tests and benchmarks. */
export const setWasmArgbest = fastPath.set;
