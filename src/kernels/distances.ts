// Squared distances between the rows of z [N, D] and e [K, D]:
//   d[i, j] = ‖z_i‖² − 2·z_i·e_j + ‖e_j‖²
// from the product z·eᵀ (computed by the matmul kernel) and the rows' squared norms, rounded in
// the order of the composite ‖z‖² − 2·z·eᵀ + ‖e‖², so both give the same bits in float64.
import type { FloatData } from "./layout.js";
import { kernelFor, perDType } from "./elementwise.js";

/**
 * out[r] = Σ_c x[r, c]² for a packed [rows, cols] matrix, added in the order the sum op adds a row
 * (four running sums, element c into sum c mod 4, then the tail; see sumRowsLoop in reduce.ts).
 */
export function squaredNormsOfRows(x: FloatData, rows: number, cols: number, out: FloatData): void {
  const quads = cols - (cols % 4);
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, c = 0;
    for (; c < quads; c += 4) {
      s0 += x[base + c] * x[base + c];
      s1 += x[base + c + 1] * x[base + c + 1];
      s2 += x[base + c + 2] * x[base + c + 2];
      s3 += x[base + c + 3] * x[base + c + 3];
    }
    let s = (s0 + s1) + (s2 + s3);
    for (; c < cols; c++) s += x[base + c] * x[base + c];
    out[r] = s;
  }
}

/** d[i, j] = (zz[i] − 2·d[i, j]) + ee[j], in place over the products d = z·eᵀ, [n, k]. */
function fromProducts(d: FloatData, zz: FloatData, ee: FloatData, n: number, k: number): void {
  for (let i = 0, q = 0; i < n; i++) {
    for (let j = 0; j < k; j++, q++) {
      d[q] = zz[i] - 2 * d[q]; // rounded to the dtype, as the composite's sub
      d[q] = d[q] + ee[j]; //     and its add
    }
  }
}

const fromProductsKernels = perDType(fromProducts);

/** The squared distances in place over the products (the WebAssembly product makes them itself: matmulDistances in matmul.ts). */
export function distancesFromProducts(d: FloatData, zz: FloatData, ee: FloatData, n: number, k: number): void {
  kernelFor(fromProductsKernels, d)(d, zz, ee, n, k);
}
