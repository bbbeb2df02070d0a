// The PyTorch 1.13 fixture of scripts/fixtures/nn_optim.py, read for test/nn-modules.test.ts and
// test/optim-schedulers.test.ts. Every number is a string there ("nan", "inf", "-inf" or repr(float)).
import { readFileSync } from "node:fs";

/** A fixture value with its numbers decoded; nested arrays stay nested. */
export type Decoded = number | Decoded[];

export function decode(x: unknown): Decoded {
  if (Array.isArray(x)) return x.map(decode);
  if (x === "nan") return NaN;
  if (x === "inf") return Infinity;
  if (x === "-inf") return -Infinity;
  return Number(x);
}

/** The decoded values, flat, in row-major order. */
export function flat(x: unknown): number[] {
  const d = decode(x);
  return Array.isArray(d) ? d.flatMap(flat) : [d];
}

// The fixture's layout is plain JSON; the tests read the fields they need.
export const fixture: any = JSON.parse(readFileSync(new URL("fixtures/nn-optim.json", import.meta.url), "utf8"));

/** Same bits: NaN as NaN, −0 as −0, every other value exactly. */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The largest |a − b| over the elements, relative to the largest |b| (NaN and ±∞ must match exactly). */
export function gapRelativeToScale(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0, gap = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i]) || !Number.isFinite(a[i])) {
      if (!Object.is(a[i], b[i])) return Infinity;
      continue;
    }
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
  }
  return scale === 0 ? gap : gap / scale;
}

/** One float32 ulp at 1: 2⁻²³. */
export const FLOAT32_EPS = 2 ** -23;
