// `npm run bench`: the reference workloads W1–W8 (see bench/workloads.ts) in gumbelgrad and, in the same run,
// in TensorFlow.js (CPU and WebAssembly backends, float32) and jax-js (WebAssembly, float32 and float64), and
// W7/W8 (the VAE step) also in PyTorch on the CPU with one thread (torch-cpu, when /usr/bin/python3 can
// import torch), then one table.
//
//   npm run bench                     all workloads, all systems, 9 repetitions of 300 ms, then the memory checks
//   npm run bench -- --quick          5 repetitions of 300 ms, no memory checks: the same warm-up and repetitions, so the same medians within noise
//   npm run bench -- --json out.json  also write the rows as JSON
//   npm run bench -- --only W1,W5     a subset of the workloads
//   npm run bench -- --systems gumbelgrad,tfjs-cpu
//   npm run bench -- --no-memory      skip the memory check
//
// Each workload runs in a fresh process (its systems still take turns there), so no workload is
// timed on a heap that an earlier one filled: W3's 4 MB arrays, say, made W5's collections slower.
// Every case is warmed up until its times settle (bench/harness.ts), in a quick run as in a full one.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { parseArgs } from "node:util";
import { runCases, type BenchDType, type Case, type Prepared, type System, type Timing, type WarmupRule } from "./harness.js";
import * as gg from "./systems/gumbelgrad.js";
import { torchVersion } from "./systems/torch.js";
import { measureMemoryInChild, type MemoryWorkload } from "./memory.js";
import { collector } from "./gc.js";
import { table, targets, type Row } from "./table.js";
import { W7, W8, data, type VaeSizes } from "./workloads.js";

const USAGE = `usage: npm run bench -- [--quick] [--json FILE] [--only W1,W5] [--systems gumbelgrad,tfjs-cpu,tfjs-wasm,jax-js-wasm,torch-cpu] [--repetitions N] [--no-memory]`;

function readFlags() {
  try {
    return parseArgs({
      options: {
        quick: { type: "boolean", default: false },
        json: { type: "string" },
        only: { type: "string" },
        systems: { type: "string" },
        repetitions: { type: "string" },
        "no-memory": { type: "boolean", default: false },
        "one-workload": { type: "string" },
        "torch-missing": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (err) {
    console.error(`bench: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const opts = readFlags();
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

const ALL_SYSTEMS: System[] = ["gumbelgrad", "tfjs-cpu", "tfjs-wasm", "jax-js-wasm", "torch-cpu"];
const systems = new Set(opts.systems ? opts.systems.split(",") : ALL_SYSTEMS);
const workloads = (opts.only ?? "W1,W2,W3,W4,W5,W6,W7,W8").toUpperCase().split(",");
/** Set in the child process that times one workload and prints its rows as JSON. */
const oneWorkload = opts["one-workload"];
/** Set by the parent for its children when /usr/bin/python3 cannot import torch: the table keeps its other columns. */
if (opts["torch-missing"]) systems.delete("torch-cpu");

/** A peer's case of one workload: which system, in which dtype, and how to prepare it. */
interface PeerCase {
  system: Exclude<System, "gumbelgrad">;
  dtype: BenchDType;
  prepare: () => Promise<Prepared>;
}

/** The cases of one workload: gumbelgrad in each of `dtypes`, then the peers'. */
function casesFor(workload: string, variant: string, ours: (dtype: BenchDType) => Prepared, peers: PeerCase[], dtypes: BenchDType[] = ["float64", "float32"]): Case[] {
  const out: Case[] = dtypes.map((dtype) => ({ workload, variant, system: "gumbelgrad", dtype, prepare: async () => ours(dtype) }));
  for (const peer of peers) out.push({ workload, variant, ...peer });
  return out.filter((c) => systems.has(c.system));
}

/** The order of a peer's rows: jax-js's float32 first (its dtype before float64 joined), PyTorch's float64 first. */
const JAX_DTYPES: BenchDType[] = ["float32", "float64"], TORCH_DTYPES: BenchDType[] = ["float64", "float32"];

/**
 * The peers' cases: tfjs on its CPU and WebAssembly backends in float32, its only dtype; jax-js in
 * float32 and float64; PyTorch (W7 and W8 only) in both.
 */
function peerCases(tf: { cpu: () => Promise<Prepared>; wasm: () => Promise<Prepared> } | null,
  jax: ((dtype: BenchDType) => Promise<Prepared>) | null, torch: ((dtype: BenchDType) => Promise<Prepared>) | null = null): PeerCase[] {
  return [
    ...(tf ? ([["tfjs-cpu", tf.cpu], ["tfjs-wasm", tf.wasm]] as const).map(([system, prepare]): PeerCase => ({ system, dtype: "float32", prepare })) : []),
    ...(jax ? JAX_DTYPES.map((dtype): PeerCase => ({ system: "jax-js-wasm", dtype, prepare: () => jax(dtype) })) : []),
    ...(torch ? TORCH_DTYPES.map((dtype): PeerCase => ({ system: "torch-cpu", dtype, prepare: () => torch(dtype) })) : []),
  ];
}

/** W7 or W8: the VAE step in every system. */
function vaeCases(workload: string, variant: string, s: VaeSizes, values: () => ReturnType<typeof data.w7>,
  tf: PeerModules["tf"], jax: PeerModules["jax"], torch: PeerModules["torch"]): Case[] {
  return casesFor(workload, variant, (dtype) => gg.vaeStep(s, values(), dtype), peerCases(
    tf && { cpu: () => tf.vaeStep("cpu", s, values()), wasm: () => tf.vaeStep("wasm", s, values()) },
    jax && ((dtype) => jax.vaeStep(s, values(), dtype)),
    torch && ((dtype) => torch.vaeStep(s, values(), dtype))));
}

type PeerModules = Awaited<ReturnType<typeof peerModules>>;

async function peerModules() {
  if (oneWorkload === "W6") return { tf: null, jax: null, torch: null }; // only gumbelgrad has a gradient checker: no peer loaded into its heap
  const tf = systems.has("tfjs-cpu") || systems.has("tfjs-wasm") ? (await import("./systems/tfjs.js")).tfjs : null;
  const jax = systems.has("jax-js-wasm") ? (await import("./systems/jax.js")).jaxjs : null;
  // PyTorch runs W7 and W8 only: the other workloads were written before it joined the bench.
  const vae = oneWorkload === "W7" || oneWorkload === "W8";
  const torch = vae && systems.has("torch-cpu") ? await import("./systems/torch.js") : null;
  return { tf, jax, torch };
}

async function allCases(): Promise<Case[][]> {
  const { tf, jax, torch } = await peerModules();
  const peers = (cpu: () => Promise<Prepared>, wasm: () => Promise<Prepared>, jx: ((dtype: BenchDType) => Promise<Prepared>) | null) =>
    peerCases(tf && { cpu, wasm }, jax && jx);
  const groups: Case[][] = [];
  const add = (w: string, cases: Case[]) => { if (w === oneWorkload) groups.push(cases); };
  add("W1", casesFor("W1", "matmul 256", gg.matmulW1, peers(() => tf!.matmulW1("cpu"), () => tf!.matmulW1("wasm"), (dtype) => jax!.matmulW1(dtype))));
  add("W1", casesFor("W1", "matmul 256, plain-TS kernel", gg.matmulW1PlainTs, []));
  add("W2", casesFor("W2", "MLP step", gg.mlpW2, peers(() => tf!.mlpW2("cpu"), () => tf!.mlpW2("wasm"), (dtype) => jax!.mlpW2(dtype))));
  for (const hard of [false, true]) {
    add("W3", casesFor("W3", hard ? "Gumbel-softmax hard" : "Gumbel-softmax soft", (d) => gg.gumbelSoftmaxW3(d, hard),
      peers(() => tf!.gumbelSoftmaxW3("cpu", hard), () => tf!.gumbelSoftmaxW3("wasm", hard), (dtype) => jax!.gumbelSoftmaxW3(hard, dtype))));
  }
  add("W4", casesFor("W4", "VQ step", gg.vqW4, peers(() => tf!.vqW4("cpu"), () => tf!.vqW4("wasm"), (dtype) => jax!.vqW4(dtype))));
  // jax-js is left out of W5: its eager grad grows quadratically with the chain (4 ms per op at 300 ops,
  // 13 ms per op at 1,000) and runs out of memory at 10,000; jit would compile the chain and time no tape.
  add("W5", casesFor("W5", "tape, 10k ops", gg.tapeW5, peers(() => tf!.tapeW5("cpu"), () => tf!.tapeW5("wasm"), null)));
  for (const fast of [false, true]) {
    add("W6", casesFor("W6", fast ? "gradcheck fast" : "gradcheck full", () => gg.gradcheckW6(fast), [], ["float64"]));
  }
  add("W7", vaeCases("W7", "VAE step, digits sizes", W7, data.w7, tf, jax, torch));
  add("W8", vaeCases("W8", "VAE step, MNIST sizes", W8, data.w8, tf, jax, torch));
  return groups;
}


const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(", ");

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; load average ${loadAverage()}`;
}

interface RunSettings {
  quick: boolean;
  repetitions: number;
  /**
   * Minimum length of one timed repetition, the same in a quick run: the steps right after the full
   * collection that starts a repetition are slower (W5's first is 25% slower, the next five 8%), so
   * 100 ms repetitions (seven W5 steps) read W5 slower than 300 ms ones.
   */
  repetitionMs: number;
}

/**
 * The same warm-up in a quick run as in a full one: samples of 100 ms until the median of the last
 * three is within 5% of the three before, for at most 8 s (or six samples, if longer). A fixed warm-up (20 ms in the old quick
 * run) left W5's 10,000-op tape in its first, slow samples: 3.75 µs/op against 1.38 settled.
 */
const WARMUP: WarmupRule = { sampleMs: 100, window: 3, tolerance: 0.05, maxMs: 8000 };

function settings(): RunSettings {
  const quick = !!opts.quick;
  const repetitions = Number(opts.repetitions ?? (quick ? 5 : 9));
  if (!Number.isInteger(repetitions) || repetitions < 5) {
    console.error(`bench: --repetitions must be an integer ≥ 5 (the medians need them), but got ${opts.repetitions}\n${USAGE}`);
    process.exit(2);
  }
  return { quick, repetitions, repetitionMs: 300 };
}

/** In the child: times the cases of `oneWorkload` and prints their rows as one line of JSON. */
async function timeOneWorkload({ repetitions, repetitionMs }: RunSettings): Promise<void> {
  const harness = {
    repetitions,
    repetitionMs,
    warmup: WARMUP,
    between: collector(),
    onProgress: (m: string) => process.stderr.write(`  ${m}\n`),
  };
  const rows: Row[] = [];
  for (const group of await allCases()) {
    process.stderr.write(`${group[0].workload} ${group[0].variant}\n`);
    const timings: Timing[] = await runCases(group, harness);
    group.forEach((c, i) => rows.push({ workload: c.workload, variant: c.variant, system: c.system, dtype: c.dtype, ...pick(timings[i]) }));
  }
  console.log(JSON.stringify(rows));
}

/** Runs this script for one workload in a fresh process and returns its rows. */
function rowsFromChild(workload: string, torchMissing: boolean): Row[] {
  const passOn = process.argv.slice(2).filter((a, i, all) => a !== "--json" && all[i - 1] !== "--json");
  if (torchMissing) passOn.push("--torch-missing");
  const out = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), ...passOn, "--one-workload", workload], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** PyTorch's version and BLAS when W7/W8 ask for torch-cpu; "not installed" keeps the bench going without it. */
function torchNote(): { note: string | null; missing: boolean } {
  if (!systems.has("torch-cpu") || !workloads.some((w) => w === "W7" || w === "W8")) return { note: null, missing: false };
  const torch = torchVersion();
  if (!torch) return { note: "torch: not installed (/usr/bin/python3 cannot import torch); the table has no torch-cpu rows.", missing: true };
  return { note: `torch: ${torch.version}, one thread, BLAS ${torch.blas}.`, missing: false };
}

const MEMORY_STEPS = 10_000;
const MEMORY_WORKLOADS: MemoryWorkload[] = ["W4", "W7"];

function memoryChecks(): void {
  for (const workload of MEMORY_WORKLOADS) {
    process.stderr.write(`memory: ${MEMORY_STEPS.toLocaleString("en")} ${workload} steps\n`);
    const m = measureMemoryInChild(workload, MEMORY_STEPS);
    console.log(`Memory: ${MEMORY_STEPS.toLocaleString("en")} ${workload} steps (float64) grow the heap by ${m.heapGrowthMB.toFixed(2)} MB (after a full GC); peak RSS ${m.peakRssMB.toFixed(0)} MB; ${m.seconds.toFixed(0)} s.`);
  }
}

async function main(): Promise<void> {
  const { quick, repetitions, repetitionMs } = settings();
  const started = Date.now();
  const before = machine();
  const torch = torchNote();
  if (torch.note) process.stderr.write(`${torch.note}\n`);
  const rows = workloads.flatMap((w) => rowsFromChild(w, torch.missing));
  console.log(`\nMachine: ${before}`);
  if (torch.note) console.log(torch.note);
  console.log(`Medians of ${repetitions} repetitions of ${repetitionMs} ms (min, max), each case warmed until its times settle, systems alternating, each workload in a fresh process; ${quick ? "quick run" : "full run"}.\n`);
  console.log(table(rows));
  const unsettled = rows.filter((r) => !r.settled);
  if (unsettled.length) console.log(`\n* not settled within ${WARMUP.maxMs / 1000} s of warm-up (a busy machine?): ${unsettled.map((r) => `${r.workload} ${r.variant} ${r.system} ${r.dtype}`).join("; ")}.`);
  const verdicts = targets(rows);
  if (verdicts.length) console.log(`\n${verdicts.join("\n")}`);
  if (!opts["no-memory"] && !quick && systems.has("gumbelgrad")) {
    console.log("");
    memoryChecks();
  }
  console.log(`\nTook ${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadAverage()}.`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify(rows, null, 2) + "\n");
}

function pick(t: Timing) {
  return { medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, settled: t.warmup.settled, warmupSamples: t.warmup.samples, warmupMs: t.warmup.ms };
}

if (oneWorkload) await timeOneWorkload(settings());
else await main();
