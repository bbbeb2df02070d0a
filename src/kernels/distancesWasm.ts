// Squared distances from products in WebAssembly SIMD (src/kernels/wasm/distances.wat), with the
// bits of the plain loop in src/kernels/distances.ts: the codes' norms are copied in once, then the
// products a chunk of rows at a time with their rows' norms, and the distances copied back.
import type { FloatData } from "./layout.js";
import { distancesWasmBase64 } from "./wasm/distances.generated.js";
import { FastPathSwitch, growTo, wasmLoader } from "./wasmModule.js";

type FromProducts = (d: number, zz: number, ee: number, n: number, k: number) => void;
type Exports = { memory: WebAssembly.Memory; fromProducts_f64: FromProducts; fromProducts_f32: FromProducts };

const fastPath = new FastPathSwitch();
const load = wasmLoader<Exports>(distancesWasmBase64);

/** Bytes of products per call. */
const CHUNK_BYTES = 1 << 18;
/** Fewer distances than this take the plain loop. */
const MIN_SIZE = 4096;

/** d = (zz − 2·d) + ee over [n, k] products, as the plain loop computes it; false, with nothing written, where it does not run. */
export function fromProductsWasm(d: FloatData, zz: FloatData, ee: FloatData, n: number, k: number): boolean {
  if (!fastPath.on || n * k < MIN_SIZE) return false;
  const single = d instanceof Float32Array;
  if (single !== zz instanceof Float32Array || single !== ee instanceof Float32Array) return false;
  const w = load();
  if (!w) return false;
  const bytes = single ? 4 : 8;
  const rowsPerChunk = Math.max(1, Math.min(n, Math.floor(CHUNK_BYTES / (k * bytes))));
  // ee, then a chunk's zz, then its products
  const zzAt = k, dAt = k + rowsPerChunk, need = (dAt + rowsPerChunk * k) * bytes;
  if (!growTo(w.memory, need)) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const run = single ? w.fromProducts_f32 : w.fromProducts_f64;
  mem.set(ee.subarray(0, k), 0);
  for (let r = 0; r < n; r += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, n - r);
    mem.set(zz.subarray(r, r + rows), zzAt);
    mem.set(d.subarray(r * k, (r + rows) * k), dAt);
    run(dAt * bytes, zzAt * bytes, 0, rows, k);
    d.set(mem.subarray(dAt, dAt + rows * k), r * k);
  }
  return true;
}

/** Turns the WebAssembly path off (false) or on (true); returns the previous setting. For tests and benchmarks. */
export const setWasmDistances = fastPath.set;
