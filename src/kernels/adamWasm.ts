// Adam's update in WebAssembly SIMD (src/kernels/wasm/adam.wat), two float64 or four float32
// parameters per instruction, with the bits of the plain loops in src/optim/adam.ts: the same
// operations in the same order and dtype. A chunk of the parameter, its gradient and both moments
// is copied in with TypedArray.set, updated, and the parameter and moments copied back.
import { adamWasmBase64 } from "./wasm/adam.generated.js";
import { FastPathSwitch, wasmLoader } from "./wasmModule.js";
import type { FloatData } from "./layout.js";

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
/*
 * Every larger parameter takes the WebAssembly path, in both dtypes. Measured, ns a value,
 * plain/WebAssembly, float64, on an Intel Xeon: 7.7/4.5 at 65,536 values, 8.3/5.2 at 131,072,
 * 8.0/5.1 at 401,408, 7.9/5.8 at 1,220,000. An AMD EPYC measured earlier lost past 65,536 values
 * (11.7/12.9 at 131,072), where the copies added to the memory traffic. float32: 15.6/2.6 at
 * 131,072, 16.0/6.5 at 401,408, 15.8/7.2 at 4,194,304 (AMD).
 */

/** The moments (in the parameter's dtype) and hyperparameters of one Adam step, as adamUpdate in src/optim/adam.ts takes them. */
export interface AdamStep {
  m: FloatData;
  v: FloatData;
  b1: number;
  b2: number;
  stepSize: number;
  sqrtCorrection2: number;
  eps: number;
  l2: number;
}

/**
 * Updates p (and the moments) in place as adamUpdate or adamUpdateFloat32 does; false, having
 * changed nothing, where WebAssembly SIMD is missing, p is smaller than MIN_SIZE, or p, g and the
 * moments are not all float64 or all float32.
 */
export function adamWasm(p: ArrayLike<number>, g: ArrayLike<number>, s: AdamStep): boolean {
  const single = p instanceof Float32Array;
  if (!fastPath.on || p.length < MIN_SIZE) return false;
  const Type = single ? Float32Array : Float64Array;
  if (!(p instanceof Type && g instanceof Type && s.m instanceof Type && s.v instanceof Type)) return false;
  const w = load();
  if (!w) return false;
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const run = single ? w.adam_f32 : w.adam_f64;
  const region = REGION_BYTES / mem.BYTES_PER_ELEMENT;
  for (let from = 0; from < p.length; from += CHUNK) {
    const to = Math.min(p.length, from + CHUNK), count = to - from;
    mem.set(p.subarray(from, to), 0);
    mem.set(g.subarray(from, to), region);
    mem.set(s.m.subarray(from, to), 2 * region);
    mem.set(s.v.subarray(from, to), 3 * region);
    run(0, REGION_BYTES, 2 * REGION_BYTES, 3 * REGION_BYTES, count, s.b1, s.b2, s.stepSize, s.sqrtCorrection2, s.eps, s.l2);
    p.set(mem.subarray(0, count), from);
    s.m.set(mem.subarray(2 * region, 2 * region + count), from);
    s.v.set(mem.subarray(3 * region, 3 * region + count), from);
  }
  return true;
}

/** Turns the WebAssembly Adam update off (false) or on (true); returns the previous setting. For tests and benchmarks. */
export const setWasmAdam = fastPath.set;
