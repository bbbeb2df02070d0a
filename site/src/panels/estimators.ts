// Panel 5: the estimator laboratory's table, computed here with a small N. Every estimator draws N
// gradient samples on the K = 8 codebook problem and is measured against the exact gradient:
//   bias = ‖mean(ĝ) − ∇L‖,  noise floor = √(variance/N),  variance = tr Cov(ĝ)
// One estimator is measured per animation frame, so the page stays responsive while the table fills.
import type { TopLevelSpec } from "vega-lite";
import {
  Rng, codebookProblem, compareEstimators, gumbelRaoEstimator, gumbelSoftmaxEstimator, reinMaxEstimator,
  scoreFunctionEstimator, straightThroughEstimator, type EstimatorReport, type GradientEstimator,
} from "../../../src/index.js";
import { createChart } from "../charts.js";
import { button, choice, element } from "../controls.js";
import { hooks } from "../hooks.js";
import { nextFrame } from "../schedule.js";

const TAUS = [0.1, 0.25, 0.5, 1, 2, 5];

function estimators(): GradientEstimator[] {
  return [
    scoreFunctionEstimator(),
    scoreFunctionEstimator({ baseline: "leave-one-out" }),
    ...TAUS.flatMap((tau) => [gumbelSoftmaxEstimator({ tau }), straightThroughEstimator({ tau }), gumbelRaoEstimator({ tau }), reinMaxEstimator({ tau })]),
  ];
}

export interface TableRow {
  estimator: string;
  tau: number | null;
  bias: number;
  biasSE: number;
  noiseFloor: number;
  variance: number;
  varianceSE: number;
  cosine: number;
}

export function estimatorsPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const readout = root.querySelector<HTMLElement>(".readout")!;
  const chart = createChart(root.querySelector<HTMLElement>(".chart")!, tradeOffSpec());
  const tableHost = root.querySelector<HTMLElement>(".table")!;
  let samples = 100;
  let run = 0;

  const compute = async () => {
    const current = ++run;
    const problem = codebookProblem();
    const rng = new Rng(1);
    const rows: TableRow[] = [];
    const all = estimators();
    hooks().estimators = { done: false, rows };
    for (const estimator of all) {
      const [report] = compareEstimators(problem, [estimator], { samples, rng: rng.split() });
      if (current !== run) return; // a newer run took over
      rows.push(rowOf(report));
      readout.textContent = `measured ${rows.length} of ${all.length} estimators, ${samples} samples each…`;
      await nextFrame();
    }
    renderTable(tableHost, rows);
    void chart.set("rows", rows.filter((r) => r.tau !== null));
    void chart.set("free", rows.filter((r) => r.tau === null));
    readout.textContent = `${all.length} estimators, ${samples} gradient samples each, on the K = 8 codebook problem (seed 0).`;
    hooks().estimators = { done: true, rows };
  };

  choice(controls, "Samples per estimator (N)", [
    { value: "100", label: "100" }, { value: "300", label: "300" }, { value: "1000", label: "1,000" },
  ], String(samples), (v) => { samples = Number(v); }, "estimator-samples");
  button(controls, "Compute the table", () => void compute(), "compute-table");
}

function rowOf(r: EstimatorReport): TableRow {
  return { estimator: r.estimator, tau: r.tau, bias: r.bias, biasSE: r.biasSE, noiseFloor: r.biasFloor, variance: r.variance, varianceSE: r.varianceSE, cosine: r.cosine };
}

const HEADERS = ["estimator", "τ", "bias ± SE", "noise floor", "variance ± SE", "cosine"];

function renderTable(host: HTMLElement, rows: TableRow[]): void {
  host.replaceChildren();
  const table = element(host, "table");
  element(table, "caption").textContent = "Gradient estimators against the exact gradient, by temperature";
  const head = element(element(table, "thead"), "tr");
  for (const h of HEADERS) Object.assign(element(head, "th"), { scope: "col", textContent: h });
  const body = element(table, "tbody");
  for (const r of rows) {
    const tr = element(body, "tr");
    const cells = [r.estimator, r.tau === null ? "–" : String(r.tau), `${r.bias.toFixed(3)} ± ${r.biasSE.toFixed(3)}`,
      r.noiseFloor.toFixed(3), `${r.variance.toFixed(3)} ± ${r.varianceSE.toFixed(3)}`, r.cosine.toFixed(2)];
    cells.forEach((c, i) => Object.assign(element(tr, i === 0 ? "th" : "td"), { textContent: c, ...(i === 0 ? { scope: "row" } : {}) }));
  }
}

/** Bias and variance against τ on log scales, one line per relaxed estimator; REINFORCE as dashed rules. */
function tradeOffSpec(): TopLevelSpec {
  const color = { field: "estimator", type: "nominal", title: "estimator", legend: { labelLimit: 260 } };
  const panel = (field: "bias" | "variance", title: string) => ({
    width: 280, height: 200, title,
    layer: [
      {
        data: { name: "rows" },
        mark: { type: "line", point: true, tooltip: true },
        encoding: { x: { field: "tau", type: "quantitative", scale: { type: "log" }, title: "τ" }, y: { field, type: "quantitative", scale: { type: "log" }, title }, color },
      },
      { data: { name: "free" }, mark: { type: "rule", strokeDash: [4, 3] }, encoding: { y: { field, type: "quantitative" }, color } },
    ],
  });
  return {
    description: "Bias and variance of each gradient estimator against the temperature, log-log",
    hconcat: [panel("bias", "bias ‖E[ĝ] − ∇L‖"), panel("variance", "variance tr Cov[ĝ]")],
    resolve: { scale: { color: "shared" } },
  } as TopLevelSpec;
}
