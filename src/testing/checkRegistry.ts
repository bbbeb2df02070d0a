// Runs the gradient check over every registered function: the harness behind `gumbelgrad check`.
import { Rng, type OpSpec } from "../core/index.js";
import { gradcheck, gradgradcheck, type GradcheckOptions } from "./gradcheck.js";

export interface RegistryCheckRow {
  op: string;
  samples: number;
  /** Samples checked to second order as well. */
  secondOrder: number;
  maxAbsError: number;
  maxRelError: number;
  ok: boolean;
  /** The first failure's label and message, when there is one. */
  failure: string | null;
}

/** gradcheck (and gradgradcheck where it applies) on every sample of every spec. */
export function checkRegistry(specs: OpSpec[], opts: Pick<GradcheckOptions, "fast"> = {}): RegistryCheckRow[] {
  return specs.map((spec) => {
    const row: RegistryCheckRow = { op: spec.name, samples: 0, secondOrder: 0, maxAbsError: 0, maxRelError: 0, ok: true, failure: null };
    for (const s of spec.samples(new Rng(42))) {
      const reports = [gradcheck(s.run, s.inputs, { eps: s.eps, fast: opts.fast })];
      if (spec.secondOrder !== false && s.secondOrder !== false) {
        reports.push(gradgradcheck(s.run, s.inputs, { eps: s.eps, fast: opts.fast }));
        row.secondOrder++;
      }
      row.samples++;
      reports.forEach((r, order) => {
        row.maxAbsError = Math.max(row.maxAbsError, r.maxAbsError);
        row.maxRelError = Math.max(row.maxRelError, r.maxRelError);
        if (!r.ok && row.ok) row.failure = `[${s.label}]${order === 1 ? " second order" : ""} ${r.message}`;
        row.ok &&= r.ok;
      });
    }
    return row;
  });
}
