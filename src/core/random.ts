// Rng: a counter-based generator, Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3", SC 2011), the generator JAX uses. A block of output is a keyed
// hash of a counter, built only from 32-bit additions, rotations and xors, so every JavaScript
// engine computes the same bits. A stream is (key, counter); split() hashes a fresh counter value
// into a new key, so child streams are independent of the parent and of each other.

import { GumbelgradError } from "./errors.js";
import { describeValue } from "./checks.js";

const KEY_PARITY = 0x1bd11bda;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/**
 * Threefry-2x32-20 of the counter (c0, c1) under the key (k0, k1). Writes two 32-bit words into out.
 * Twenty rounds of x0 += x1; x1 = rotl(x1, R) ^ x0, with the rotations R = 13 15 26 6 | 17 29 16 24
 * taking turns, and a key injection after every four rounds. Written out in full rather than as a
 * loop over tables: it is the inner loop of every random draw, and unrolled it runs several times faster.
 * The words are kept as signed int32 (`| 0`), which V8 compiles to single machine instructions; the
 * bits are those of the unsigned arithmetic, and storing into the Uint32Array reads them as unsigned.
 */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number, out: Uint32Array): void {
  k0 |= 0;
  k1 |= 0;
  const k2 = (KEY_PARITY ^ k0 ^ k1) | 0;
  let x0 = (c0 + k0) | 0;
  let x1 = (c1 + k1) | 0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 13) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 15) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 26) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 6) ^ x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 1) | 0; // injection 1
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 17) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 29) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 16) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 24) ^ x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 2) | 0; // injection 2
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 13) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 15) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 26) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 6) ^ x0;
  x0 = (x0 + k0) | 0; x1 = (x1 + k1 + 3) | 0; // injection 3
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 17) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 29) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 16) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 24) ^ x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 4) | 0; // injection 4
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 13) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 15) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 26) ^ x0;
  x0 = (x0 + x1) | 0; x1 = rotl(x1, 6) ^ x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 5) | 0; // injection 5
  out[0] = x0;
  out[1] = x1;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_52 = 2 ** -52;

/** (k + ½)·2⁻⁵² with k the top 20 bits of a and all 32 of b: 52 random bits, never 0 or 1. */
function uniformOf(a: number, b: number): number {
  return ((a >>> 12) * TWO_POW_32 + b + 0.5) * TWO_POW_MINUS_52;
}

/**
 * A seeded random generator, reproducible bit for bit across runs, machines and JavaScript engines
 * (Threefry-2x32-20, the counter-based generator JAX uses). `split()` makes independent child
 * generators, one per consumer, so adding a draw in one place does not shift the others.
 * @category Tensors
 */
export class Rng {
  private readonly k0: number;
  private readonly k1: number;
  /** The counter, as two 32-bit words; every block of output advances it by one. */
  private lo = 0;
  private hi = 0;
  private readonly block = new Uint32Array(2);

  /** `seed` is any integer in [0, 2^53); the same seed gives the same stream everywhere. */
  constructor(seed: number, k1?: number) {
    if (k1 === undefined) {
      if (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
        throw new GumbelgradError("Rng", `seed must be an integer in [0, 2^53), but got ${typeof seed === "number" ? seed : describeValue(seed)}`);
      }
      this.k0 = seed % TWO_POW_32 >>> 0;
      this.k1 = Math.floor(seed / TWO_POW_32) >>> 0;
    } else {
      // A key of two 32-bit words, as split() makes.
      for (const [name, word] of [["seed", seed], ["k1", k1]] as const) {
        if (!Number.isInteger(word) || word < 0 || word >= TWO_POW_32) {
          throw new GumbelgradError("Rng", `a two-word key needs integers in [0, 2^32), but ${name} is ${typeof word === "number" ? word : describeValue(word)}`);
        }
      }
      this.k0 = seed >>> 0;
      this.k1 = k1 >>> 0;
    }
  }

  /** The next block of 64 random bits, as two 32-bit words in `this.block`. */
  private nextBlock(): Uint32Array {
    threefry2x32(this.k0, this.k1, this.lo, this.hi, this.block);
    this.lo = (this.lo + 1) >>> 0;
    if (this.lo === 0) this.hi = (this.hi + 1) >>> 0;
    return this.block;
  }

  /**
   * For kernels that compute the stream's blocks themselves (the WebAssembly Gumbel noise): `draw` gets
   * the key and the next counter, computes the blocks at counters (lo + n, hi) for n = 0 … used − 1,
   * and returns `used`; the stream then moves on by that many blocks, as if they had been drawn here.
   * @internal
   */
  useBlocks(draw: (key0: number, key1: number, lo: number, hi: number) => number): number {
    const used = draw(this.k0, this.k1, this.lo, this.hi);
    const lo = this.lo + used;
    this.lo = lo >>> 0;
    if (lo >= TWO_POW_32) this.hi = (this.hi + 1) >>> 0;
    return used;
  }

  /** An independent generator. The parent advances, so two splits differ. */
  split(): Rng {
    const block = this.nextBlock();
    const a = block[0], b = block[1];
    // Hash once more under a different key, so a child's key is never a block of the parent's output.
    const child = new Uint32Array(2);
    threefry2x32(a, b, 0x9e3779b9, 0x7f4a7c15, child);
    return new Rng(child[0], child[1]);
  }

  /** A 32-bit unsigned integer. */
  nextUint32(): number {
    return this.nextBlock()[0];
  }

  /**
   * A uniform in the open interval (0, 1): (k + ½)·2⁻⁵² for a 52-bit integer k. The smallest value is
   * 2⁻⁵³ and the largest 1 − 2⁻⁵³, both exact doubles, so log(u) and log(1 − u) are always finite.
   */
  uniform(): number {
    const block = this.nextBlock();
    return uniformOf(block[0], block[1]);
  }

  /**
   * Fills `out` with uniforms: the same values, in the same order, as calling uniform() out.length
   * times. Float64 only: rounded to float32, the largest uniforms would become exactly 1.
   */
  fillUniform(out: Float64Array): void {
    this.fillFromBlocks(out, uniformOf);
  }

  /**
   * Fills `out` with the top 32 of the 52 bits behind each of the next out.length uniforms, so
   * u ≈ (w + ½)·2⁻³²: what float32 Gumbel noise is computed from. The stream moves on as
   * fillUniform's would.
   * @internal
   */
  fillTopBits(out: Uint32Array): void {
    this.fillFromBlocks(out, (a, b) => ((a & 0xfffff000) | (b >>> 20)) >>> 0);
  }

  /** out[i] = valueOf(the next block's two words), for each i: the stream moves on by out.length blocks. */
  private fillFromBlocks(out: Float64Array | Uint32Array, valueOf: (a: number, b: number) => number): void {
    const block = this.block;
    let lo = this.lo, hi = this.hi;
    for (let i = 0; i < out.length; i++) {
      threefry2x32(this.k0, this.k1, lo, hi, block);
      out[i] = valueOf(block[0], block[1]);
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
  }

  /** A standard normal, by the Box–Muller transform of two open-interval uniforms. */
  normal(): number {
    const u1 = this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** An integer in [0, n), without modulo bias (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) throw new GumbelgradError("Rng.int", `n must be an integer in [1, 2^32], but got ${typeof n === "number" ? n : describeValue(n)}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** The smallest value `uniform()` can return: 2⁻⁵³. */
  static readonly MIN_UNIFORM = 0.5 * TWO_POW_MINUS_52;
  /** The largest value `uniform()` can return: 1 − 2⁻⁵³. */
  static readonly MAX_UNIFORM = 1 - 0.5 * TWO_POW_MINUS_52;
}

let defaultRng = new Rng(0);

/** Seeds the default generator, used wherever an `rng` option is left out. @category Tensors */
export function manualSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
    throw new GumbelgradError("manualSeed", `seed must be an integer in [0, 2^53), but got ${typeof seed === "number" ? seed : describeValue(seed)}`);
  }
  defaultRng = new Rng(seed);
}

export function getDefaultRng(): Rng {
  return defaultRng;
}

/** An `rng` option: the generator given, or the default one when it is left out; anything else is an error naming the op. */
export function rngArg(op: string, rng: unknown): Rng {
  if (rng === undefined) return defaultRng;
  if (!(rng instanceof Rng)) throw new GumbelgradError(op, `rng must be an Rng (new Rng(seed)), but got ${describeValue(rng)}`);
  return rng;
}
