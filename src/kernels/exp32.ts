// eˣ in float32 arithmetic, for float32 softmax: the polynomial the WebAssembly kernel
// (src/kernels/wasm/softmax.wat) evaluates on four floats at once, written here one float at a
// time with Math.fround after every operation, so that both give the same bits on every machine.
//
//   x = k·ln2 + r, k = round(x·log₂e) (ties to even), |r| ≤ ln2/2, ln2 split in two (Cody–Waite)
//   eʳ ≈ 1 + r + r²·P(r), P of degree 5 (Cephes' expf coefficients), within 2 float32 ulps
//   eˣ = eʳ·2^⌊k/2⌋·2^(k−⌊k/2⌋): two exact powers of two, so results between 2⁻¹⁴⁹ and 2⁻¹²⁶ round once, as subnormals
// x is clamped to [−104, 89] first: beyond it eˣ is 0 or +∞ in float32 anyway. NaN stays NaN.
const f = Math.fround;

export const EXP32 = {
  low: -104,
  high: 89,
  log2e: f(1.44269504088896341),
  ln2Hi: f(0.693359375),
  ln2Lo: f(-2.12194440e-4),
  p: [f(1.9875691500e-4), f(1.3981999507e-3), f(8.3334519073e-3), f(4.1665795894e-2), f(1.6666665459e-1), f(5.0000001201e-1)],
} as const;

/** Rounds to the nearest integer, ties to even (WebAssembly's f32x4.nearest). */
function nearestEven(v: number): number {
  const r = Math.round(v); // ties up
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** eˣ for a float32 x, as float32 arithmetic computes it with the polynomial above. */
export function exp32(x: number): number {
  if (x !== x) return x;
  const c = x < EXP32.low ? EXP32.low : x > EXP32.high ? EXP32.high : x;
  const k = nearestEven(f(c * EXP32.log2e));
  const r = f(f(c - f(k * EXP32.ln2Hi)) - f(k * EXP32.ln2Lo));
  let p = EXP32.p[0];
  for (let i = 1; i < EXP32.p.length; i++) p = f(f(p * r) + EXP32.p[i]);
  const y = f(f(f(p * f(r * r)) + r) + 1);
  const half = k >> 1;
  return f(f(y * 2 ** half) * 2 ** (k - half));
}
