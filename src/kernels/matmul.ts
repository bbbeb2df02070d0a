// Matrix product of packed row-major blocks: out[t] = a[t] @ b[t], batch after batch.
//
// The main loop computes a 4×4 tile of the output in 16 local variables ("registers"), reading
// four values of a column of A and four of a row of B per step: 16 multiply-adds for 8 loads.
// To make the column of A contiguous, A is first transposed into `at`. Edges that do not fill
// a whole tile fall back to a plain dot product. Everything runs in float64 (float32 inputs
// are widened first), which keeps the kernel monomorphic: V8 optimises a loop best when it
// only ever sees one typed-array type.

/**
 * a: [batch, n, k], b: [batch, k, m], out: [batch, n, m], all packed float64.
 */
export function matmulBatched(a: Float64Array, b: Float64Array, out: Float64Array, batch: number, n: number, k: number, m: number): void {
  const at = new Float64Array(k * n);
  for (let t = 0; t < batch; t++) {
    transposeInto(a, t * n * k, n, k, at);
    multiplyTiles(at, b, t * k * m, out, t * n * m, n, k, m);
  }
}

/** at[p, i] = a[offset + i·k + p]: the n×k block, transposed. */
function transposeInto(a: Float64Array, offset: number, n: number, k: number, at: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = offset + i * k;
    for (let p = 0; p < k; p++) at[p * n + i] = a[row + p];
  }
}

function multiplyTiles(at: Float64Array, b: Float64Array, bOff: number, out: Float64Array, oOff: number, n: number, k: number, m: number): void {
  const n4 = n - (n % 4), m4 = m - (m % 4);
  for (let i = 0; i < n4; i += 4) {
    for (let j = 0; j < m4; j += 4) tile4x4(at, b, bOff, out, oOff, n, k, m, i, j);
    for (let j = m4; j < m; j++) for (let r = i; r < i + 4; r++) out[oOff + r * m + j] = dot(at, b, bOff, n, k, m, r, j);
  }
  for (let i = n4; i < n; i++) for (let j = 0; j < m; j++) out[oOff + i * m + j] = dot(at, b, bOff, n, k, m, i, j);
}

function tile4x4(at: Float64Array, b: Float64Array, bOff: number, out: Float64Array, oOff: number, n: number, k: number, m: number, i: number, j: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0, ap = i, bp = bOff + j; p < k; p++, ap += n, bp += m) {
    const a0 = at[ap], a1 = at[ap + 1], a2 = at[ap + 2], a3 = at[ap + 3];
    const b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  let o = oOff + i * m + j;
  out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += m;
  out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += m;
  out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += m;
  out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
}

/** Σ_p A[i, p]·B[p, j], reading A through its transpose. */
function dot(at: Float64Array, b: Float64Array, bOff: number, n: number, k: number, m: number, i: number, j: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += at[p * n + i] * b[bOff + p * m + j];
  return s;
}
