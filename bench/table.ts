// The bench's one table, from its rows (also what `--json` writes).
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
}

function rate(row: Row): string {
  if (row.workload === "W1") return `${(W1.flops / row.medianMs / 1e6).toFixed(1)} GFLOP/s`;
  if (row.workload === "W5") return `${((row.medianMs * 1000) / W5.ops).toFixed(2)} µs/op`;
  return "";
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

/** One markdown table: a row per system and dtype, with each peer's time over gumbelgrad's. */
export function table(rows: Row[]): string {
  const head = ["workload", "variant", "system", "dtype", "median ms", "min", "max", "rate", "÷ gg f64", "÷ gg f32"];
  const ratio = (r: Row, dtype: string) => {
    const ours = rows.find((o) => o.workload === r.workload && o.variant === r.variant && o.system === "gumbelgrad" && o.dtype === dtype);
    return r.system === "gumbelgrad" || !ours ? "" : `${(r.medianMs / ours.medianMs).toFixed(2)}×`;
  };
  const lines = rows.map((r) => [r.workload, r.variant, r.system, r.dtype, ms(r.medianMs), ms(r.minMs), ms(r.maxMs), rate(r), ratio(r, "float64"), ratio(r, "float32")]);
  return markdownTable([head, ...lines], { align: ["l", "l", "l", "l", "r", "r", "r", "r", "r", "r"] });
}
