// Scalars rounded once, as Python rounds them. A schedule's rates and Adam's bias corrections come
// from Python's `β ** t` and `math.cos`, which the C library rounds correctly; V8's `**` multiplies
// out integer powers (0.9 ** 4 is 0.6561000000000001, not 0.6561) and its Math.cos can be an ulp
// off. Each function below computes the exact value to about 100 bits in double-double arithmetic (a
// value held as the unevaluated sum hi + lo of two doubles) and rounds that once.

/** A double-double: the value hi + lo, with |lo| at most half an ulp of hi. */
type DD = [hi: number, lo: number];

/** 2²⁷ + 1: multiplying by it splits a double into two halves of 26 bits (Veltkamp). */
const SPLITTER = 134217729;

/** The exact error x + y − s of s = RN(x + y) (Knuth's two-sum). */
function sumError(x: number, y: number, s: number): number {
  const yVirtual = s - x;
  return (x - (s - yVirtual)) + (y - yVirtual);
}

/** The exact error a·b − p of p = RN(a·b), from the 26-bit halves of a and b (Dekker's two-product). */
function productError(a: number, b: number, p: number): number {
  const ta = SPLITTER * a, tb = SPLITTER * b;
  const ah = ta - (ta - a), al = a - ah;
  const bh = tb - (tb - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** x·y in double-double, accurate to about 2⁻¹⁰⁴ relative. */
function ddMul([xh, xl]: DD, [yh, yl]: DD): DD {
  const p = xh * yh;
  const e = productError(xh, yh, p) + (xh * yl + xl * yh);
  const hi = p + e;
  return [hi, e - (hi - p)];
}

/** x + y in double-double. */
function ddAdd([xh, xl]: DD, [yh, yl]: DD): DD {
  const s = xh + yh;
  const e = sumError(xh, yh, s) + (xl + yl);
  const hi = s + e;
  return [hi, e - (hi - s)];
}

/** x / d for a double d, in double-double. */
function ddDiv([xh, xl]: DD, d: number): DD {
  const q = xh / d;
  const p = q * d;
  const remainder = (xh - p - productError(q, d, p)) + xl; // x − q·d, nearly exact
  const q2 = remainder / d;
  const hi = q + q2;
  return [hi, q2 - (hi - q)];
}

// Beyond these magnitudes the splits overflow or the error terms fall below the normal range; there
// the plain JavaScript forms are used (no optimizer or schedule value lives there).
const LARGE = 2 ** 995;
const SMALL = 2 ** -969;

/** bⁿ for an integer n ≥ 0, rounded once, as C's pow (Python's `b ** n`): exponentiation by squaring in double-double. */
export function powInteger(b: number, n: number): number {
  const plain = b ** n;
  if (!Number.isFinite(plain) || Math.abs(plain) < SMALL || !Number.isInteger(n) || n < 0 || Math.abs(b) > LARGE) return plain;
  let result: DD = [1, 0];
  let square: DD = [b, 0];
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result = ddMul(result, square);
    if (k > 1) square = ddMul(square, square);
  }
  return result[0] + result[1];
}

// π/2 as the sum of four doubles (159 bits), to reduce an angle by multiples of π/2 without losing digits.
const HALF_PI: readonly number[] = [1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33, 5.562271104316826e-50];

/**
 * cos x rounded once, as the C library's cos (Python's math.cos), for |x| < 2²⁰ (beyond, Math.cos).
 * x = n·π/2 + r with |r| ≤ π/4, then cos x is ±cos r or ±sin r, each summed from its Taylor series.
 */
export function cosine(x: number): number {
  if (!(Math.abs(x) < 2 ** 20)) return Math.cos(x);
  const n = Math.round(x / HALF_PI[0]);
  let r: DD = [x, 0];
  for (const part of HALF_PI) {
    const p = n * part;
    r = ddAdd(r, [-p, -productError(n, part, p)]);
  }
  const quadrant = ((n % 4) + 4) % 4;
  const value = quadrant % 2 === 0 ? cosSeries(r) : sinSeries(r);
  return quadrant === 1 || quadrant === 2 ? -(value[0] + value[1]) : value[0] + value[1];
}

/** cos r = Σₖ (−r²)ᵏ / (2k)!, for |r| ≤ π/4, until the terms no longer reach 2⁻¹¹⁰ of the sum. */
function cosSeries(r: DD): DD {
  const minusR2 = ddMul(r, [-r[0], -r[1]]);
  let term: DD = [1, 0], sum: DD = [1, 0];
  for (let k = 1; Math.abs(term[0]) > 2 ** -110; k++) {
    term = ddDiv(ddMul(term, minusR2), (2 * k - 1) * (2 * k));
    sum = ddAdd(sum, term);
  }
  return sum;
}

/** sin r = Σₖ r·(−r²)ᵏ / (2k + 1)!, for |r| ≤ π/4. */
function sinSeries(r: DD): DD {
  const minusR2 = ddMul(r, [-r[0], -r[1]]);
  let term: DD = r, sum: DD = r;
  for (let k = 1; Math.abs(term[0]) > 2 ** -110 * Math.abs(r[0]); k++) {
    term = ddDiv(ddMul(term, minusR2), (2 * k) * (2 * k + 1));
    sum = ddAdd(sum, term);
  }
  return sum;
}
