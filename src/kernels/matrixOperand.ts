// What the plain and the WebAssembly matmul kernels share: the strided matrix operand both read,
// and the copy of a tile-padded result into its place.

/** A matrix operand, batch t at element offset + t·batchStride, element (i, j) at + i·rowStride + j·colStride. */
export interface MatrixOperand {
  data: Float64Array | Float32Array;
  offset: number;
  batchStride: number;
  rowStride: number;
  colStride: number;
}

/** The packed layout [batch, rows, cols] as a MatrixOperand. */
export function packedOperand(data: Float64Array | Float32Array, rows: number, cols: number): MatrixOperand {
  return { data, offset: 0, batchStride: rows * cols, rowStride: cols, colStride: 1 };
}

/**
 * out[outOff + i·m + j] = c[i·rowLength + j]: the product without its tile padding, rounded to out's
 * dtype. TypedArray.set does the copy natively for either dtype (an element loop that stores into
 * both Float64Array and Float32Array costs 8% of a 256×256 product); one copy when nothing is padded.
 */
export function copyOut(mem: Float64Array | Float32Array, cAt: number, rowLength: number, out: Float64Array | Float32Array, outOff: number, n: number, m: number): void {
  if (rowLength === m) out.set(mem.subarray(cAt, cAt + n * m), outOff); // no padding: one copy
  else for (let i = 0; i < n; i++) out.set(mem.subarray(cAt + i * rowLength, cAt + i * rowLength + m), outOff + i * m);
}
