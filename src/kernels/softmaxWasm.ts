// Softmax along rows in WebAssembly SIMD (src/kernels/wasm/softmax.wat), bit for bit the values
// of the plain-TypeScript row kernels in src/kernels/softmax.ts: float64 rows with fdlibm's exp on
// two doubles at a time (Math.exp is fdlibm's exp), float32 rows with the float32 polynomial of
// src/kernels/exp32.ts on four floats at a time; also the softmax vjp and the Gumbel perturbation
// (ℓ − max ℓ) + g, with the plain kernels' bits; and the elementwise exp, sigmoid and softplus ops,
// which share its exponential. The rows are copied into WebAssembly memory a chunk at a time with
// TypedArray.set, transformed in place, and copied back.
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
} & Record<"expValues" | "expValuesF32" | "sigmoidValues" | "sigmoidValuesF32" | "softplusValues" | "softplusValuesF32", (at: number, count: number) => void>
  & Record<"logSoftmaxRows" | "logSoftmaxRowsF32", (at: number, rows: number, size: number) => void>;

// The log-softmax kernels call Math.log itself, once a row, so log s has Math.log's bits.
const load = wasmLoader<Exports>(softmaxWasmBase64, { math: { log: Math.log } });

/** Bytes of rows per call: 256 KB stays in L2 between the kernel's three passes. */
const CHUNK_BYTES = 1 << 18;

/**
 * out = softmax(x/τ) along rows of `size` (x and out may be one array), as softmaxRows computes it;
 * false (and nothing written) where WebAssembly SIMD is missing.
 */
export function softmaxRowsWasm(x: FloatData, out: FloatData, rows: number, size: number, tau: number): boolean {
  // a float32 kernel receives τ rounded to float32
  return runOnRows((w, single) => (at, _, count) => (single ? w.softmaxRowsF32 : w.softmaxRows)(at, count, size, tau), [x], out, rows, size);
}

/**
 * out = y·(g − Σ g·y)/τ along rows of `size`, as softmaxBackwardRows computes it (the same bits);
 * false (and nothing written) where WebAssembly SIMD is missing or the dtypes differ.
 */
export function softmaxBackwardRowsWasm(y: FloatData, g: FloatData, out: FloatData, rows: number, size: number, tau: number): boolean {
  return runOnRows((w, single) => (at, gAt, count) => (single ? w.softmaxBackwardRowsF32 : w.softmaxBackwardRows)(at, gAt, count, size, tau),
    [y, g], out, rows, size);
}

/** out = (x − max x) + g along rows of `size`, as shiftedPerturbation computes it (the same bits); false as above. */
export function shiftedPerturbationRowsWasm(x: FloatData, g: FloatData, out: FloatData, rows: number, size: number): boolean {
  return runOnRows((w, single) => (at, gAt, count) => (single ? w.shiftedPerturbationRowsF32 : w.shiftedPerturbationRows)(at, gAt, count, size, 0),
    [x, g], out, rows, size);
}

/**
 * out = softmax(((x − max x) + g)/τ) along rows of `size`: shiftedPerturbationRowsWasm and then
 * softmaxRowsWasm, with their bits, but each chunk goes in and out of WebAssembly memory once.
 */
export function perturbedSoftmaxRowsWasm(x: FloatData, g: FloatData, out: FloatData, rows: number, size: number, tau: number): boolean {
  return runOnRows((w, single) => (at, gAt, count) => {
    (single ? w.shiftedPerturbationRowsF32 : w.shiftedPerturbationRows)(at, gAt, count, size, 0);
    (single ? w.softmaxRowsF32 : w.softmaxRows)(at, count, size, tau);
  }, [x, g], out, rows, size);
}

/** out = log softmax(x) along rows of `size`, as the plain row kernel computes it; false where it cannot run. */
export function logSoftmaxRowsWasm(x: FloatData, out: FloatData, rows: number, size: number): boolean {
  return runOnRows((w, single) => (at, _, count) => (single ? w.logSoftmaxRowsF32 : w.logSoftmaxRows)(at, count, size), [x], out, rows, size);
}

/** out = eˣ of each value of x, as the exp op's plain loop (Math.exp, rounded to out's dtype); false where it cannot run. */
export function expValuesWasm(x: FloatData, out: FloatData): boolean {
  return runOnRows((w, single) => (at, _, count) => (single ? w.expValuesF32 : w.expValues)(at, count), [x], out, x.length, 1);
}

/** out = σ(x) of each value of x, as the sigmoid op's plain loop; false where it cannot run. */
export function sigmoidValuesWasm(x: FloatData, out: FloatData): boolean {
  return runOnRows((w, single) => (at, _, count) => (single ? w.sigmoidValuesF32 : w.sigmoidValues)(at, count), [x], out, x.length, 1);
}

/** out = softplus(x) of each value of x, as the softplus op's plain loop (with fdlibm's log1p, as Math.log1p); false where it cannot run. */
export function softplusValuesWasm(x: FloatData, out: FloatData): boolean {
  return runOnRows((w, single) => (at, _, count) => (single ? w.softplusValuesF32 : w.softplusValues)(at, count), [x], out, x.length, 1);
}

/** Runs a kernel on `count` rows whose first input is at byte offset `at` and second (if any) at `bAt`; the result replaces the first. */
type OnRows = (at: number, bAt: number, count: number) => void;

/**
 * Copies the rows of each input into WebAssembly memory a chunk at a time (the first input's at 0,
 * the second's just after), runs the kernel `pick` chooses for the dtype, and copies the result,
 * written over the first input's rows, out to `out`. False, with nothing written, where the kernel
 * does not run or the dtypes differ.
 */
function runOnRows(pick: (w: Exports, single: boolean) => OnRows, inputs: FloatData[], out: FloatData, rows: number, size: number): boolean {
  const w = load();
  const single = out instanceof Float32Array;
  if (!w || inputs.some((input) => single !== input instanceof Float32Array)) return false;
  if (size === 0) return true;
  const bytes = single ? 4 : 8;
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (size * bytes)));
  const chunkBytes = Math.min(rows, rowsPerChunk) * size * bytes;
  if (!growTo(w.memory, inputs.length * chunkBytes)) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const run = pick(w, single);
  for (let r = 0; r < rows; r += rowsPerChunk) {
    const count = Math.min(rowsPerChunk, rows - r), from = r * size, to = from + count * size;
    inputs.forEach((input, i) => mem.set(input.subarray(from, to), (i * chunkBytes) / bytes));
    run(0, chunkBytes, count);
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
