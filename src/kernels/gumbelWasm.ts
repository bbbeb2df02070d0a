// Gumbel noise in WebAssembly SIMD (src/kernels/wasm/gumbel.wat): the Threefry blocks of four
// counters at a time, then, bit for bit the values of the JavaScript path in src/gumbel/noise.ts,
// float64 noise with fdlibm's log on two doubles at a time (Rng.uniform, then −log(−log u) with
// Math.log, in less than half its time) and float32 noise in float32 on four floats at a time
// (gumbel32OfBits). JavaScript copies each chunk out of WebAssembly memory with one TypedArray.set.
import type { FloatData } from "./layout.js";
import { gumbelWasmBase64 } from "./wasm/gumbel.generated.js";
import { wasmLoader } from "./wasmModule.js";

type Gumbel = (key0: number, key1: number, lo: number, hi: number, count: number, out: number, single: number) => void;

const load = wasmLoader<{ memory: WebAssembly.Memory; gumbel: Gumbel }>(gumbelWasmBase64);

/** Draws per call into WebAssembly memory: 64 KB of float64, a multiple of 4. */
const CHUNK = 8192;
const TWO_POW_32 = 4294967296;

/**
 * Writes Gumbel draws of the blocks at counters (lo + n, hi), n = 0, 1, …, under the key
 * (key0, key1), into out[start…], as many as it can at once: a multiple of 4 that does not reach
 * the end of `out` past its last multiple of 4, nor carry the low counter word into the high one.
 * Returns how many it wrote: 0 where WebAssembly SIMD is missing, or near such a boundary (the
 * caller then draws a few the JavaScript way).
 */
export function gumbelWasm(key0: number, key1: number, lo: number, hi: number, out: FloatData, start: number): number {
  const w = load();
  if (!w) return 0;
  const count = Math.min(CHUNK, out.length - start, TWO_POW_32 - lo) & ~3;
  if (count === 0) return 0;
  const single = out instanceof Float32Array;
  w.gumbel(key0 | 0, key1 | 0, lo | 0, hi | 0, count, 0, single ? 1 : 0);
  const mem = single ? new Float32Array(w.memory.buffer, 0, count) : new Float64Array(w.memory.buffer, 0, count);
  out.set(mem, start);
  return count;
}

/** Whether the WebAssembly kernel runs here (Node.js 20 and current browsers have WebAssembly SIMD). */
export function wasmGumbelAvailable(): boolean {
  return load() !== null;
}
