// The Gumbel noise leaf: all the randomness of the Gumbel tricks enters here.
//   g = −log(−log u),  u ~ Uniform(0, 1) on the open interval;  E[g] = γ ≈ 0.5772,  Var[g] = π²/6
import { checkShape, getDefaultRng, GumbelgradError, isRecording, listNoise, Rng, wrap, type FloatDType, type Tensor } from "../core/index.js";
import { allocate, gumbelWasm, log32, sizeOf, wasmGumbelAvailable, type FloatData } from "../kernels/index.js";

/**
 * Anything that hands out uniforms in the open interval (0, 1): an `Rng`, or, in tests, a stub that
 * returns chosen values (e.g. `Rng.MIN_UNIFORM` and `Rng.MAX_UNIFORM`, the generator's extremes).
 * @category Gumbel family
 */
export interface UniformSource {
  /** The next uniform, strictly between 0 and 1. */
  uniform(): number;
}

/** Options for {@link gumbel}. @category Gumbel family */
export interface GumbelOptions {
  /** Where the uniforms come from: an {@link Rng}, or any {@link UniformSource}. Default: the generator set by manualSeed. */
  rng?: UniformSource;
  /**
   * "float64" (default) or "float32". From an {@link Rng}, float32 draws are computed in float32
   * arithmetic from the top 32 bits of the uniforms the float64 draws use, so the two dtypes draw
   * nearly the same values (see docs/speed.md).
   */
  dtype?: FloatDType;
}

/** One standard Gumbel draw from one uniform. Finite for every u in the open interval (0, 1). */
export function gumbelOf(u: number): number {
  if (!(u > 0 && u < 1)) {
    throw new GumbelgradError("gumbel", `uniforms must lie in the open interval (0, 1), but the generator gave ${u}`);
  }
  return -Math.log(-Math.log(u));
}

const f = Math.fround;
const TWO_POW_31 = 2147483648;

/**
 * One float32 Gumbel draw, computed in float32 arithmetic (twice as fast in SIMD as two double
 * logarithms) from w, the top 32 bits of a uniform: u ≈ (w + ½)·2⁻³². Below ½ it takes −log u directly;
 * above, v = 1 − u is the exactly known one, and −log u = −log1p(−v) = −log(1 − v)·v/(1 − (1 − v))
 * keeps the relative accuracy the outer logarithm needs in the upper tail. Every value lies in
 * [−3.2, 22.9], within a few float32 ulps of −log(−log u).
 */
export function gumbel32OfBits(w: number): number {
  const lower = w < TWO_POW_31;
  const t = f(f(lower ? w : 0xffffffff - w) + 0.5) * 2 ** -32; // u below ½, v above; the scaling is exact
  let e: number;
  if (lower) e = -log32(t);
  else {
    const y = f(1 - t);
    e = y === 1 ? t : f(-log32(y) * f(t / (1 - y)));
  }
  return -log32(e);
}

/**
 * Standard Gumbel noise of the given shape: a leaf that needs no gradient (the reparameterisation
 * puts all randomness here), marked as noise on the tape so `tape.toString()` shows where it enters.
 * g = −log(−log u) with u uniform in the open interval (0, 1), so every value is finite.
 * @throws GumbelgradError when a {@link UniformSource} gives a value outside (0, 1).
 * @category Gumbel family
 */
export function gumbel(shape: number[], opts: GumbelOptions = {}): Tensor {
  checkShape("gumbel", shape);
  const rng = opts.rng ?? getDefaultRng();
  const data = allocate(opts.dtype ?? "float64", sizeOf(shape)) as FloatData;
  if (rng instanceof Rng) fillFromRng(rng, data);
  else for (let i = 0; i < data.length; i++) data[i] = gumbelOf(rng.uniform());
  return noiseLeaf(data, shape, "gumbel");
}

/** Wraps noise as a leaf labelled `label`, listed on the tape as noise when recording is on. */
export function noiseLeaf(data: FloatData, shape: readonly number[], label: string): Tensor {
  const g = wrap(data, shape);
  g.noiseLabel = label;
  if (isRecording()) listNoise(g);
  return g;
}

/**
 * The same values as gumbelOf(rng.uniform()) element by element (in float32, gumbel32OfBits of the
 * same uniforms' top bits), drawn in bulk. Most are computed
 * by the WebAssembly kernel (kernels/gumbelWasm.ts), which gives the same bits four at a time; the
 * few it leaves (at the end of `out`, or where the stream's low counter word wraps) are drawn here:
 * an Rng's uniforms are in (0, 1) by construction, so the per-draw check is not needed.
 */
function fillFromRng(rng: Rng, out: FloatData): void {
  for (let start = 0; start < out.length;) {
    const fast = rng.useBlocks((key0, key1, lo, hi) => gumbelWasm(key0, key1, lo, hi, out, start));
    if (fast > 0) {
      start += fast;
      continue;
    }
    // where the kernel runs, it left fewer than 4 draws (or stopped at a wrap); elsewhere it does none
    const count = Math.min(out.length - start, wasmGumbelAvailable() ? 4 : UNIFORMS.length);
    if (out instanceof Float32Array) {
      const w = TOP_BITS.subarray(0, count);
      rng.fillTopBits(w);
      for (let i = 0; i < count; i++) out[start + i] = gumbel32OfBits(w[i]);
    } else {
      const u = UNIFORMS.subarray(0, count);
      rng.fillUniform(u);
      for (let i = 0; i < count; i++) out[start + i] = -Math.log(-Math.log(u[i]));
    }
    start += count;
  }
}

const UNIFORMS = new Float64Array(4096);
const TOP_BITS = new Uint32Array(4096);
