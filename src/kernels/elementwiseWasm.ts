// Elementwise ops in WebAssembly SIMD for large operands: add, sub, mul, div, relu and relu's
// gradient (src/kernels/wasm/elementwise.wat), exp, sigmoid and softplus (beside softmax's
// exponential in src/kernels/wasm/softmax.wat). The plain loops of src/kernels/elementwise.ts run at
// several nanoseconds a value on some machines (Math.exp is a call, and relu's branch mispredicts
// on random signs), while copying the operands into WebAssembly memory with TypedArray.set, four
// float32 (or two float64) lanes per instruction, and one copy back take a fraction of that. Each
// gives the plain loop's values, bit for bit: arithmetic rounds once in the operands' dtype, relu
// selects, and exp, sigmoid and softplus compute fdlibm's exp and log1p, as Math.exp and
// Math.log1p do, in float64.
import { perDType, type Binary, type PerDType, type Unary } from "./elementwise.js";
import type { Data } from "./layout.js";
import { expValuesWasm, sigmoidValuesWasm, softplusValuesWasm } from "./softmaxWasm.js";
import { elementwiseWasmBase64 } from "./wasm/elementwise.generated.js";
import { FastPathSwitch, wasmLoader } from "./wasmModule.js";

export type ArithmeticOp = "add" | "sub" | "mul" | "div";
export type WasmUnaryOp = "relu" | "exp" | "sigmoid" | "softplus";
/** A kernel over two flat operands of one size: relu's gradient (g, x, out). */
export type Pairwise = (a: Data, b: Data, out: Data) => void;
type Kernel = (a: number, b: number, out: number, count: number) => void;
type UnaryKernel = (x: number, out: number, count: number) => void;
type ColumnsKernel = (x: number, rows: number, cols: number, out: number) => void;
type Exports = { memory: WebAssembly.Memory } & Record<`${ArithmeticOp | "reluGradient"}_${"f64" | "f32"}`, Kernel>
  & Record<`relu_${"f64" | "f32"}`, UnaryKernel> & Record<`sumColumns_${"f64" | "f32"}`, ColumnsKernel>;

const fastPath = new FastPathSwitch();
const load = wasmLoader<Exports>(elementwiseWasmBase64);

/** Bytes per operand per call: a, b and the result each get 64 KB of the module's 256 KB, which never grows. */
const CHUNK_BYTES = 65536;
/** Rows shorter than this run in the plain loop: below it the calls and copies cost more than they save. */
const MIN_ROW = 1024;
/** The same for the unary ops, whose plain loops cost more per value. */
const MIN_UNARY = 256;

/**
 * The Binary kernel contract (see elementwise.ts) in WebAssembly, for rows of at least MIN_ROW
 * values whose operands are whole rows or single values (inner steps 1 or 0) of the output's dtype.
 * Returns false, having written nothing, for anything else.
 */
function binaryWasm(op: ArithmeticOp | "reluGradient", a: ArrayLike<number>, ao: number, ai: number, b: ArrayLike<number>, bo: number, bi: number,
  out: ArrayLike<number>, outer: number, inner: number): boolean {
  if (!fastPath.on || inner < MIN_ROW || ai > 1 || bi > 1) return false;
  const single = out instanceof Float32Array;
  const Type = single ? Float32Array : Float64Array;
  if (!(out instanceof Type && a instanceof Type && b instanceof Type)) return false;
  const w = load();
  if (!w) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const chunk = CHUNK_BYTES / mem.BYTES_PER_ELEMENT;
  const run = w[`${op}_${single ? "f32" : "f64"}`];
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j += chunk) {
      const count = Math.min(chunk, inner - j);
      stage(mem, 0, a, o * ao + j * ai, ai, count);
      stage(mem, chunk, b, o * bo + j * bi, bi, count);
      run(0, CHUNK_BYTES, 2 * CHUNK_BYTES, count);
      out.set(mem.subarray(2 * chunk, 2 * chunk + count), o * inner + j);
    }
  }
  return true;
}

/** Copies `count` values of a whole row (step 1) into mem[at…], or repeats a single value (step 0). */
function stage<T extends Float32Array | Float64Array>(mem: T, at: number, source: T, from: number, step: number, count: number): void {
  if (step === 1) mem.set(source.subarray(from, from + count), at);
  else mem.fill(source[from], at, at + count);
}

/** The per-dtype copies of a plain arithmetic kernel, each trying the WebAssembly path first. */
export function withWasm(op: ArithmeticOp, plain: Binary): PerDType<Binary> {
  const kernels = perDType(plain);
  const wasmFirst = (fallback: Binary): Binary => (a, ao, ai, b, bo, bi, out, outer, inner) => {
    if (!binaryWasm(op, a, ao, ai, b, bo, bi, out, outer, inner)) fallback(a, ao, ai, b, bo, bi, out, outer, inner);
  };
  return { float64: wasmFirst(kernels.float64), float32: wasmFirst(kernels.float32) };
}

/** relu's gradient (g, x, out) per dtype, each trying the WebAssembly path first. */
export function reluGradientWithWasm(plain: Pairwise): PerDType<Pairwise> {
  const kernels = perDType(plain);
  const wasmFirst = (fallback: Pairwise): Pairwise => (g, x, out) => {
    if (!binaryWasm("reluGradient", g, 0, 1, x, 0, 1, out, 1, out.length)) fallback(g, x, out);
  };
  return { float64: wasmFirst(kernels.float64), float32: wasmFirst(kernels.float32) };
}

/** The per-dtype copies of a plain unary kernel (relu, exp, sigmoid, softplus), each trying the WebAssembly path first. */
export function withWasmUnary(op: WasmUnaryOp, plain: Unary): PerDType<Unary> {
  const kernels = perDType(plain);
  const wasmFirst = (fallback: Unary): Unary => (x, out) => {
    if (!unaryWasm(op, x, out)) fallback(x, out);
  };
  return { float64: wasmFirst(kernels.float64), float32: wasmFirst(kernels.float32) };
}

/** out = op(x) for at least MIN_UNARY values of one float dtype; false, having written nothing, otherwise. */
function unaryWasm(op: WasmUnaryOp, x: Data, out: Data): boolean {
  if (!fastPath.on || x.length < MIN_UNARY) return false;
  const single = out instanceof Float32Array;
  const Type = single ? Float32Array : Float64Array;
  if (!(out instanceof Type && x instanceof Type)) return false;
  if (op === "exp") return expValuesWasm(x, out);
  if (op === "sigmoid") return sigmoidValuesWasm(x, out);
  if (op === "softplus") return softplusValuesWasm(x, out);
  const w = load();
  if (!w) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const chunk = CHUNK_BYTES / mem.BYTES_PER_ELEMENT;
  const run = w[`relu_${single ? "f32" : "f64"}`];
  for (let from = 0; from < x.length; from += chunk) {
    const count = Math.min(chunk, x.length - from);
    mem.set(x.subarray(from, from + count), 0);
    run(0, 0, count);
    out.set(mem.subarray(0, count), from);
  }
  return true;
}

/**
 * out[j] = Σ_r x[r·cols + j] over `rows` rows of cols = out.length values (a bias gradient), added
 * down each column in row order with the plain loop's bits, for at least MIN_ROW values of one
 * float dtype and at most a chunk of columns. The sums stay in WebAssembly memory while the rows
 * are copied in, two chunks' worth at a time. False, having written nothing, otherwise.
 */
export function sumColumnsWasm(x: Data, rows: number, out: Data): boolean {
  const cols = out.length;
  if (!fastPath.on || rows * cols < MIN_ROW) return false;
  const single = out instanceof Float32Array;
  const Type = single ? Float32Array : Float64Array;
  if (!(out instanceof Type && x instanceof Type)) return false;
  const w = load();
  if (!w) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const chunk = CHUNK_BYTES / mem.BYTES_PER_ELEMENT;
  if (cols > chunk) return false;
  const run = w[`sumColumns_${single ? "f32" : "f64"}`];
  // the rows at 0 (the first two chunks), the sums in the third
  const rowsPerCall = Math.floor((2 * chunk) / cols);
  mem.fill(0, 2 * chunk, 2 * chunk + cols);
  for (let r = 0; r < rows; r += rowsPerCall) {
    const count = Math.min(rowsPerCall, rows - r);
    mem.set(x.subarray(r * cols, (r + count) * cols), 0);
    run(0, count, cols, 2 * CHUNK_BYTES);
  }
  out.set(mem.subarray(2 * chunk, 2 * chunk + cols));
  return true;
}

/** Turns the WebAssembly elementwise ops off (false) or on (true); returns the previous setting. For tests and benchmarks. */
export const setWasmElementwise = fastPath.set;

/** Whether the WebAssembly kernel runs here (Node.js 20 and current browsers have WebAssembly SIMD). */
export function wasmElementwiseAvailable(): boolean {
  return load() !== null;
}
