// Softmax along rows in WebAssembly SIMD (src/kernels/wasm/softmax.wat), bit for bit the values
// of the plain-TypeScript row kernels in src/kernels/softmax.ts: float64 rows with fdlibm's exp on
// two doubles at a time (Math.exp is fdlibm's exp), float32 rows with the float32 polynomial of
// src/kernels/exp32.ts on four floats at a time. The rows are copied into WebAssembly memory a
// chunk at a time with TypedArray.set, transformed in place, and copied back.
import type { FloatData } from "./layout.js";
import { softmaxWasmBase64 } from "./wasm/softmax.generated.js";

type SoftmaxRows = (at: number, rows: number, size: number, tau: number) => void;

let kernel: { memory: WebAssembly.Memory; softmaxRows: SoftmaxRows; softmaxRowsF32: SoftmaxRows; expInPlace: (at: number, count: number, single: number) => void } | null | undefined;

function load(): typeof kernel {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(softmaxWasmBase64), (ch) => ch.charCodeAt(0));
    kernel = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as typeof kernel;
  } catch {
    kernel = null; // no WebAssembly SIMD: the JavaScript kernel does the work
  }
  return kernel;
}

/** Bytes of rows per call: 256 KB stays in L2 between the kernel's three passes. */
const CHUNK_BYTES = 1 << 18;
const PAGE = 65536;

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
  if (w.memory.buffer.byteLength < need) w.memory.grow(Math.ceil((need - w.memory.buffer.byteLength) / PAGE));
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

/** The kernel's own exponential (fdlibm's for float64, exp32 for float32) of each value, in place: for tests. */
export function wasmExpInPlace(values: FloatData): void {
  const w = load();
  if (!w) throw new Error("wasmExpInPlace: WebAssembly SIMD is not available");
  const single = values instanceof Float32Array;
  if (w.memory.buffer.byteLength < values.byteLength) w.memory.grow(Math.ceil((values.byteLength - w.memory.buffer.byteLength) / PAGE));
  const mem = single ? new Float32Array(w.memory.buffer, 0, values.length) : new Float64Array(w.memory.buffer, 0, values.length);
  mem.set(values);
  w.expInPlace(0, values.length, single ? 1 : 0);
  values.set(mem);
}

/** Whether the WebAssembly kernel runs here (Node.js 20 and current browsers have WebAssembly SIMD). */
export function wasmSoftmaxAvailable(): boolean {
  return load() !== null;
}
