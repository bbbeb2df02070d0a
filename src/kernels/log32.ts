// log x in float32 arithmetic, for float32 Gumbel noise: the polynomial the WebAssembly kernel
// (src/kernels/wasm/gumbel.wat) evaluates on four floats at once, written here one float at a time
// with Math.fround after every operation, so that both give the same bits on every machine.
//
//   x = m·2ᵉ with m in [√½, √2) (read from the bits), f = m − 1 (exact)
//   log(1 + f) ≈ f − f²/2 + f³·P(f), P of degree 8 (Cephes' logf coefficients), within 1 float32 ulp
//   log x = log(1 + f) + e·ln2, ln2 split in two (Cody–Waite) so e·ln2_hi is exact
// For positive normal floats only: the noise kernel never passes anything else.
const f = Math.fround;

export const LOG32 = {
  sqrtHalf: f(0.707106781186547524),
  ln2Hi: f(0.693359375),
  ln2Lo: f(-2.12194440e-4),
  p: [f(7.0376836292e-2), f(-1.1514610310e-1), f(1.1676998740e-1), f(-1.2420140846e-1), f(1.4249322787e-1),
    f(-1.6668057665e-1), f(2.0000714765e-1), f(-2.4999993993e-1), f(3.3333331174e-1)],
} as const;

const bits = new DataView(new ArrayBuffer(4));

/** log x for a positive normal float32 x, as float32 arithmetic computes it with the polynomial above. */
export function log32(x: number): number {
  bits.setFloat32(0, x);
  const word = bits.getUint32(0);
  let e = (word >>> 23) - 126;
  bits.setUint32(0, (word & 0x007fffff) | 0x3f000000);
  let m = bits.getFloat32(0); // in [½, 1)
  if (m < LOG32.sqrtHalf) {
    e -= 1;
    m += m; // exact
  }
  const r = m - 1; // exact: m is within a factor of 2 of 1
  const z = f(r * r), z2 = f(z * z), c = LOG32.p;
  // P(r) by Estrin's scheme: four independent pairs, then r², r⁴: half the chain of Horner's rule
  const low = f(f(f(f(c[0] * r) + c[1]) * z) + f(f(c[2] * r) + c[3]));
  const high = f(f(f(f(c[4] * r) + c[5]) * z) + f(f(c[6] * r) + c[7]));
  const p = f(f(f(f(low * z2) + high) * r) + c[8]);
  let y = f(f(p * r) * z);
  y = f(y + f(e * LOG32.ln2Lo));
  y = f(y - f(z * 0.5));
  return f(f(r + y) + f(e * LOG32.ln2Hi));
}
