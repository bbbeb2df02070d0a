// The bench's one table, from its rows (also what `--json` writes), and the verdict on the W7/W8 targets.
import { markdownTable } from "markdown-table";
import type { BenchDType, System } from "./harness.js";
import { W1, W5 } from "./workloads.js";

export interface Row {
  workload: string;
  variant: string;
  system: System;
  dtype: BenchDType;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Whether the case's warm-up settled before its cap (see bench/harness.ts). */
  settled: boolean;
  warmupSamples: number;
  warmupMs: number;
}

/** The target of W7 and W8: gumbelgrad's step at most this many times PyTorch's, in each dtype. */
export const TORCH_TARGET = 1.5;

function rate(row: Row): string {
  if (row.workload === "W1") return `${(W1.flops / row.medianMs / 1e6).toFixed(1)} GFLOP/s`;
  if (row.workload === "W5") return `${((row.medianMs * 1000) / W5.ops).toFixed(2)} µs/op`;
  return "";
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

const find = (rows: Row[], like: Row, system: System, dtype: BenchDType) =>
  rows.find((o) => o.workload === like.workload && o.variant === like.variant && o.system === system && o.dtype === dtype);

/**
 * One markdown table: a row per system and dtype, with each peer's time over gumbelgrad's (÷ gg),
 * and on gumbelgrad's rows its time over PyTorch's in the same dtype (gg ÷ torch, the W7/W8 target).
 */
export function table(rows: Row[]): string {
  const head = ["workload", "variant", "system", "dtype", "median ms", "min", "max", "rate", "÷ gg f64", "÷ gg f32", "gg ÷ torch"];
  const ratio = (r: Row, dtype: BenchDType) => {
    const ours = find(rows, r, "gumbelgrad", dtype);
    return r.system === "gumbelgrad" || !ours ? "" : `${(r.medianMs / ours.medianMs).toFixed(2)}×`;
  };
  const overTorch = (r: Row) => {
    const torch = find(rows, r, "torch-cpu", r.dtype);
    return r.system !== "gumbelgrad" || !torch ? "" : `${(r.medianMs / torch.medianMs).toFixed(2)}×`;
  };
  const unsettled = (r: Row) => (r.settled ? "" : " *");
  const lines = rows.map((r) => [r.workload, r.variant, r.system, r.dtype, ms(r.medianMs) + unsettled(r), ms(r.minMs), ms(r.maxMs), rate(r), ratio(r, "float64"), ratio(r, "float32"), overTorch(r)]);
  // Without PyTorch (not installed, or not among the workloads) the last column would be empty.
  const columns = rows.some((r) => r.system === "torch-cpu") ? head.length : head.length - 1;
  const cut = (line: string[]) => line.slice(0, columns);
  return markdownTable([head, ...lines].map(cut), { align: cut(["l", "l", "l", "l", "r", "r", "r", "r", "r", "r", "r"]) });
}

/** One line per workload and dtype that has both gumbelgrad and torch-cpu rows: is gumbelgrad within the target? */
export function targets(rows: Row[]): string[] {
  return rows.filter((r) => r.system === "gumbelgrad").flatMap((ours) => {
    const torch = find(rows, ours, "torch-cpu", ours.dtype);
    if (!torch) return [];
    const ratio = ours.medianMs / torch.medianMs;
    const verdict = ratio <= TORCH_TARGET ? "met" : "NOT met";
    return [`Target ${verdict}: ${ours.workload} (${ours.variant}) ${ours.dtype}: gumbelgrad ${ms(ours.medianMs)} ms ÷ torch-cpu ${ms(torch.medianMs)} ms = ${ratio.toFixed(2)}× (target ≤ ${TORCH_TARGET}×).`];
  });
}
