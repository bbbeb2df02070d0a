// Adam's update in WebAssembly SIMD (src/kernels/wasm/adam.wat), two parameters per instruction,
// with the bits of the plain loop in src/optim/adam.ts: the same operations in the same order, in
// float64. A chunk of the parameter, its gradient and both moments is copied in with
// TypedArray.set, updated, and the parameter and moments copied back.
import { adamWasmBase64 } from "./wasm/adam.generated.js";
import { FastPathSwitch, wasmLoader } from "./wasmModule.js";

type AdamKernel = (p: number, g: number, m: number, v: number, count: number,
  b1: number, b2: number, stepSize: number, sqrtCorrection2: number, eps: number, l2: number) => void;
type Exports = { memory: WebAssembly.Memory; adam_f64: AdamKernel; adam_f32: AdamKernel };

const fastPath = new FastPathSwitch();
const load = wasmLoader<Exports>(adamWasmBase64);

/** Values per chunk: p, g, m and v each get 32 KB of the module's 256 KB, which never grows. */
const CHUNK = 4096;
const REGION_BYTES = CHUNK * 8;
/** Parameters smaller than this take the plain loop: the calls and copies would cost more than they save. */
const MIN_SIZE = 256;
/**
 * Nor do larger ones: past a few MB of state, the update is bound by memory traffic, which the copies
 * in and out double. Measured (float64, ns a value, plain/WebAssembly): 21/7.6 at 65,536 values,
 * 17/21 at 262,144, 16/24 at 1,048,576.
 */
const MAX_SIZE = 65536;

/** The moments and hyperparameters of one Adam step, as adamUpdate in src/optim/adam.ts takes them. */
export interface AdamStep {
  m: Float64Array;
  v: Float64Array;
  b1: number;
  b2: number;
  stepSize: number;
  sqrtCorrection2: number;
  eps: number;
  l2: number;
}

/**
 * Updates p (and the moments) in place as adamUpdate does; false, having changed nothing, where
 * WebAssembly SIMD is missing, p is smaller than MIN_SIZE or larger than MAX_SIZE, or p and g are not
 * both float64 or both float32.
 */
export function adamWasm(p: ArrayLike<number>, g: ArrayLike<number>, s: AdamStep): boolean {
  if (!fastPath.on || p.length < MIN_SIZE || p.length > MAX_SIZE) return false;
  const single = p instanceof Float32Array;
  const Type = single ? Float32Array : Float64Array;
  if (!(p instanceof Type && g instanceof Type)) return false;
  const w = load();
  if (!w) return false;
  const doubles = new Float64Array(w.memory.buffer), mem = single ? new Float32Array(w.memory.buffer) : doubles;
  const run = single ? w.adam_f32 : w.adam_f64;
  for (let from = 0; from < p.length; from += CHUNK) {
    const to = Math.min(p.length, from + CHUNK), count = to - from;
    mem.set(p.subarray(from, to), 0);
    mem.set(g.subarray(from, to), REGION_BYTES / mem.BYTES_PER_ELEMENT);
    doubles.set(s.m.subarray(from, to), 2 * CHUNK);
    doubles.set(s.v.subarray(from, to), 3 * CHUNK);
    run(0, REGION_BYTES, 2 * REGION_BYTES, 3 * REGION_BYTES, count, s.b1, s.b2, s.stepSize, s.sqrtCorrection2, s.eps, s.l2);
    p.set(mem.subarray(0, count), from);
    s.m.set(doubles.subarray(2 * CHUNK, 2 * CHUNK + count), from);
    s.v.set(doubles.subarray(3 * CHUNK, 3 * CHUNK + count), from);
  }
  return true;
}

/** Turns the WebAssembly Adam update off (false) or on (true); returns the previous setting. For tests and benchmarks. */
export const setWasmAdam = fastPath.set;
