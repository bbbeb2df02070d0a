// Matrix product of packed row-major blocks: out[b] = a[b] @ bm[b], batch after batch.
import type { Data } from "./layout.js";

/**
 * a: [batch, n, k], b: [batch, k, m], out: [batch, n, m], all packed.
 * The i-k-j loop order walks b and out along rows, which keeps the inner loop sequential in memory.
 */
export function matmulBatched(a: Data, b: Data, out: Data, batch: number, n: number, k: number, m: number): void {
  out.fill(0);
  for (let t = 0; t < batch; t++) {
    const aBase = t * n * k, bBase = t * k * m, oBase = t * n * m;
    for (let i = 0; i < n; i++) {
      const oRow = oBase + i * m;
      for (let p = 0; p < k; p++) {
        const av = a[aBase + i * k + p];
        const bRow = bBase + p * m;
        for (let j = 0; j < m; j++) out[oRow + j] += av * b[bRow + j];
      }
    }
  }
}
