// The WebAssembly SIMD matmul: the same packing as the plain-TS kernel (src/kernels/matmul.ts),
// with the tile loop in hand-written WebAssembly (src/kernels/wasm/matmul.wat), where each
// multiply and add works on two doubles (or four floats) at once. The plain-TS kernel stays the readable version
// and the fallback: where WebAssembly SIMD is missing, `matmulWasm` returns false.
import { packA, packB, type MatrixOperand } from "./matmul.js";
import { matmulWasmBase64 } from "./wasm/matmul.generated.js";

/** Rows of B per block: a 256-step panel of B (8 KB) and one of A stay in L1. */
const KC = 256;
const PAGE = 65536;

type Tiles = (a: number, b: number, c: number, np: number, mp: number, kc: number) => void;

interface Kernel {
  memory: WebAssembly.Memory;
  tiles: Tiles;
  tilesF32: Tiles;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(matmulWasmBase64), (ch) => ch.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const { memory, tiles, tilesF32 } = instance.exports as unknown as Kernel;
    kernel = { memory, tiles, tilesF32 };
  } catch {
    kernel = null; // no WebAssembly, or no SIMD: the plain-TS kernel does the work
  }
  return kernel;
}

export function wasmMatmulAvailable(): boolean {
  return load() !== null;
}

/**
 * out[t] = A[t] @ B[t] like matmulStrided; false (and nothing written) when WebAssembly SIMD is
 * unavailable. A float32 output is computed in float32 on 4×8 tiles (four floats per instruction,
 * as float32 matmuls are everywhere); a float64 one in float64 on 4×4 tiles.
 */
export function matmulWasm(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number): boolean {
  const w = load();
  if (!w) return false;
  const single = out instanceof Float32Array;
  const bytes = single ? 4 : 8, width = single ? 8 : 4;
  const np = Math.ceil(n / 4), mp = Math.ceil(m / width), kc = Math.min(KC, k);
  const aBytes = np * kc * 4 * bytes, bBytes = mp * kc * width * bytes, cBytes = np * 4 * mp * width * bytes;
  const need = aBytes + bBytes + cBytes;
  if (w.memory.buffer.byteLength < need) w.memory.grow(Math.ceil((need - w.memory.buffer.byteLength) / PAGE));
  const mem = single ? new Float32Array(w.memory.buffer) : new Float64Array(w.memory.buffer);
  const tiles = single ? w.tilesF32 : w.tiles;
  const aAt = 0, bAt = aBytes / bytes, cAt = (aBytes + bBytes) / bytes, rowLength = mp * width;
  for (let t = 0; t < batch; t++) {
    mem.fill(0, cAt, cAt + cBytes / bytes);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const block = Math.min(KC, k - p0);
      packB(b, t, p0, block, m, mem.subarray(bAt, bAt + mp * block * width), width);
      for (let ip = 0; ip < np; ip++) packA(a, t, ip * 4, n, p0, block, mem.subarray(aAt + ip * block * 4, aAt + (ip + 1) * block * 4));
      tiles(aAt * bytes, bAt * bytes, cAt * bytes, np, mp, block);
    }
    const outOff = t * n * m;
    if (rowLength === m && out.constructor === mem.constructor) { // whole rows of the same dtype: one copy
      out.set(mem.subarray(cAt, cAt + n * m), outOff);
      continue;
    }
    for (let i = 0; i < n; i++) {
      const from = cAt + i * rowLength, to = outOff + i * m;
      for (let j = 0; j < m; j++) out[to + j] = mem[from + j];
    }
  }
  return true;
}
