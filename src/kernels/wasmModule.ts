// Loading the hand-written WebAssembly kernels (src/kernels/wasm/*.wat, compiled into base64 by
// `npm run build:wasm`): each module is instantiated on first use, once. Where WebAssembly or its
// SIMD instructions are missing, the loader gives null and the plain-TypeScript kernels do the work.

/** A function that returns the module's exports, instantiating it on the first call; null where it cannot run. */
export function wasmLoader<Exports>(base64: string, imports: WebAssembly.Imports = {}): () => Exports | null {
  let exports: Exports | null | undefined;
  return () => {
    if (exports === undefined) {
      try {
        const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
        exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports as unknown as Exports;
      } catch {
        exports = null;
      }
    }
    return exports;
  };
}

const PAGE = 65536;

/**
 * Grows `memory` to hold at least `bytes`. False where it cannot (past WebAssembly's 4 GB, or out of
 * memory): the caller then leaves the work to its plain kernel instead of failing.
 */
export function growTo(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE));
    return true;
  } catch {
    return false;
  }
}

/**
 * The on/off switch of one fast path, so that tests and benchmarks can compare it with the plain
 * kernel: `set(false)` turns it off and returns the previous setting.
 */
export class FastPathSwitch {
  on = true;
  readonly set = (on: boolean): boolean => {
    const was = this.on;
    this.on = on;
    return was;
  };
}
