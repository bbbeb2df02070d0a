// The WebAssembly SIMD matmul: the same packing as the plain-TS kernel (src/kernels/matmul.ts),
// with the 4×4 tile loop in hand-written WebAssembly (src/kernels/wasm/matmul.wat), where each
// multiply and add works on two doubles at once. The plain-TS kernel stays the readable version
// and the fallback: where WebAssembly SIMD is missing, `matmulWasm` returns false.
import { packA, packB, type MatrixOperand } from "./matmul.js";
import { matmulWasmBase64 } from "./wasm/matmul.generated.js";

/** Rows of B per block: 256 × 4 doubles per panel (8 KB) keeps a B panel and an A panel in L1. */
const KC = 256;
const PAGE = 65536;

interface Kernel {
  memory: WebAssembly.Memory;
  tiles: (a: number, b: number, c: number, np: number, mp: number, kc: number) => void;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(matmulWasmBase64), (ch) => ch.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const { memory, tiles } = instance.exports as unknown as Kernel;
    kernel = { memory, tiles };
  } catch {
    kernel = null; // no WebAssembly, or no SIMD: the plain-TS kernel does the work
  }
  return kernel;
}

export function wasmMatmulAvailable(): boolean {
  return load() !== null;
}

/** out[t] = A[t] @ B[t] like matmulStrided; false (and nothing written) when WebAssembly SIMD is unavailable. */
export function matmulWasm(a: MatrixOperand, b: MatrixOperand, out: Float64Array | Float32Array, batch: number, n: number, k: number, m: number): boolean {
  const w = load();
  if (!w) return false;
  const np = Math.ceil(n / 4), mp = Math.ceil(m / 4), kc = Math.min(KC, k);
  const aBytes = np * kc * 32, bBytes = mp * kc * 32, cBytes = np * mp * 128;
  const need = aBytes + bBytes + cBytes;
  if (w.memory.buffer.byteLength < need) w.memory.grow(Math.ceil((need - w.memory.buffer.byteLength) / PAGE));
  const mem = new Float64Array(w.memory.buffer);
  const aAt = 0, bAt = aBytes, cAt = aBytes + bBytes, width = mp * 4;
  for (let t = 0; t < batch; t++) {
    mem.fill(0, cAt / 8, (cAt + cBytes) / 8);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const block = Math.min(KC, k - p0);
      packB(b, t, p0, block, m, mem.subarray(bAt / 8, bAt / 8 + mp * block * 4));
      for (let ip = 0; ip < np; ip++) packA(a, t, ip * 4, n, p0, block, mem.subarray(aAt / 8 + ip * block * 4, aAt / 8 + (ip + 1) * block * 4));
      w.tiles(aAt, bAt, cAt, np, mp, block);
    }
    const outOff = t * n * m;
    for (let i = 0; i < n; i++) {
      const from = cAt / 8 + i * width, to = outOff + i * m;
      for (let j = 0; j < m; j++) out[to + j] = mem[from + j];
    }
  }
  return true;
}
