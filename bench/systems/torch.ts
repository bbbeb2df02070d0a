// W7 and W8 in PyTorch on the CPU with one thread (torch-cpu): bench/systems/torch_cpu.py, run with
// /usr/bin/python3 as a child process, one per bench process, started by the first case and ended
// by the last case's dispose. The harness drives it like any other system; the steps are timed in
// Python (`timeSteps`), so the pipe between the processes is never inside a timing.
//
// The fixed data goes over as raw float64 files in a temporary directory (typed arrays are
// little-endian on every machine Node runs the bench on), so torch starts from the same numbers.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { BenchDType, Prepared } from "../harness.js";
import type { LayerValues, VaeSizes } from "../workloads.js";

/** Debian's python3, where python3-torch installs PyTorch. */
export const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./torch_cpu.py", import.meta.url));

/**
 * Finds PyTorch's version and the BLAS library it loaded (it does the matmuls, so it sets torch's
 * speed: Debian's python3-torch uses whichever libblas.so.3 the system selects), from the
 * process's own memory map. Linux only; elsewhere the BLAS reads "unknown".
 */
const PROBE = `
import json, torch
try:
    maps = open("/proc/self/maps").read().split()
    blas = sorted({p for p in maps if p.startswith("/") and any(k in p.lower() for k in ("blas", "mkl"))})
except OSError:
    blas = []
print(json.dumps({"version": torch.__version__, "blas": ", ".join(blas) or "unknown"}))
`;

/** PyTorch's version and BLAS when /usr/bin/python3 can import torch, else null. */
export function torchVersion(): { version: string; blas: string } | null {
  const probe = spawnSync(PYTHON, ["-c", PROBE], { encoding: "utf8" });
  if (probe.status !== 0) return null;
  const found = JSON.parse(probe.stdout.trim().split("\n").pop()!) as { version: string; blas: string };
  return { version: found.version, blas: `${found.blas}${blasKind(found.blas)}` };
}

/** Names the common BLAS builds by their Debian paths: the reference one is several times slower at matmul. */
function blasKind(path: string): string {
  if (/openblas/i.test(path)) return " (OpenBLAS)";
  if (/mkl/i.test(path)) return " (MKL)";
  if (/\/blas\/libblas\.so/.test(path)) return " (the reference netlib BLAS)";
  return "";
}

/**
 * torch.set_num_threads(1) limits PyTorch's own thread pool, but not the BLAS library's: OpenBLAS
 * starts one thread per core when it loads and then runs each product on all of them. These
 * variables, read when the library loads, keep the whole process on one thread; the script checks
 * that it is (torch_cpu.py, `threads` in the reply to prepare).
 */
const ONE_THREAD = { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };

interface Reply {
  ok: boolean;
  error?: string;
  ms?: number;
  threads?: number;
}

/** The Python process: one request a line in, one reply a line out, in order. */
class TorchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((reply: Reply) => void)[] = [];

  constructor() {
    this.child = spawn(PYTHON, [SCRIPT], { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, ...ONE_THREAD } }) as unknown as ChildProcessWithoutNullStreams;
    createInterface({ input: this.child.stdout }).on("line", (line) => this.waiting.shift()?.(JSON.parse(line) as Reply));
    this.child.on("exit", (code) => {
      for (const resolve of this.waiting.splice(0)) resolve({ ok: false, error: `torch_cpu.py exited with code ${code}` });
    });
  }

  async request(message: Record<string, unknown>): Promise<Reply> {
    const reply = new Promise<Reply>((resolve) => this.waiting.push(resolve));
    this.child.stdin.write(JSON.stringify(message) + "\n");
    const r = await reply;
    if (!r.ok) throw new Error(`torch-cpu: ${r.error}`);
    return r;
  }

  /** Closing its input ends the script's loop, and the process exits. */
  close(): void {
    this.child.stdin.end();
  }
}

let torch: TorchProcess | null = null;
let openCases = 0;
let nextId = 1;

/** Writes the VAE's data as raw float64 files: x.f64, encoder.0.weight.f64, encoder.0.bias.f64, … */
function writeVaeData(d: { x: Float64Array; encoder: LayerValues[]; decoder: LayerValues[] }): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "gumbelgrad-bench-"));
  const write = (name: string, values: Float64Array) => writeFileSync(path.join(folder, `${name}.f64`), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  write("x", d.x);
  for (const part of ["encoder", "decoder"] as const) {
    d[part].forEach((layer, i) => {
      write(`${part}.${i}.weight`, layer.weight);
      write(`${part}.${i}.bias`, layer.bias);
    });
  }
  return folder;
}

/** W7 or W8 in PyTorch, in float64 or float32. */
export async function vaeStep(sizes: VaeSizes, d: { x: Float64Array; encoder: LayerValues[]; decoder: LayerValues[] }, dtype: BenchDType): Promise<Prepared> {
  torch ??= new TorchProcess();
  const python = torch;
  const id = nextId++;
  const folder = writeVaeData(d);
  openCases++;
  const { threads } = await python.request({ op: "prepare", id, sizes, dtype, data: folder });
  if (threads !== undefined && threads > 1) throw new Error(`torch-cpu: PyTorch runs on ${threads} threads after a step, where the bench times it on one`);
  const timeSteps = async (steps: number) => (await python.request({ op: "time", id, steps })).ms!;
  return {
    run: async () => void (await timeSteps(1)),
    timeSteps,
    dispose: () => {
      // Nothing waits for this reply, and the process may exit before it comes.
      python.request({ op: "dispose", id }).catch(() => {});
      rmSync(folder, { recursive: true, force: true });
      if (--openCases === 0) {
        python.close();
        torch = null;
      }
    },
  };
}
