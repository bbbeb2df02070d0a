// Panel 4: the estimator table, measured on load. Every estimator draws N gradient samples on the
// K = 8 codebook problem and is measured against the exact gradient:
//   bias = ‖mean(ĝ) − ∇L‖,  noise floor = √(variance/N),  variance = tr Cov(ĝ),  cosine = mean cos(ĝ, ∇L)
// The samples are drawn in slices between which the browser gets the main thread back; the numbers are
// those of compareEstimators(problem, estimators, { samples: N, rng: new Rng(SEED) }).
import {
  Rng, codebookProblem, exactGradient, gradientSamples, gumbelRaoEstimator, gumbelSoftmaxEstimator, reinMaxEstimator,
  scoreFunctionEstimator, straightThroughEstimator, summarizeSamples, type CategoricalProblem, type GradientEstimator,
} from "../../../src/index.js";
import { COLORS, createChart, formatNumber, LABEL_ROOM, logAxis, type LiveChart } from "../charts.js";
import { element, key, readout, type Readout } from "../controls.js";
import { hooks } from "../hooks.js";
import { runSliced, yieldToBrowser } from "../schedule.js";

/** N, samples per estimator: enough that REINFORCE's rare, large samples are seen often enough to be counted. */
const SAMPLES = 1000;
const SEED = 1;
const SLICE = 20;
const TAUS = [0.1, 0.25, 0.5, 1, 2, 5];
/** A bias within this many noise floors cannot be told from zero. */
const WITHIN_NOISE = 2;

interface Family {
  /** The label the library gives the estimator. */
  name: string;
  /** What the page calls it in charts. */
  short: string;
  color: string;
  make: (tau: number) => GradientEstimator;
}

const RELAXED: Family[] = [
  { name: "GS", short: "GS", color: COLORS.gumbelSoftmax, make: (tau) => gumbelSoftmaxEstimator({ tau }) },
  { name: "ST-GS", short: "ST-GS", color: COLORS.straightThrough, make: (tau) => straightThroughEstimator({ tau }) },
  { name: "Gumbel-Rao (M=10)", short: "Gumbel-Rao", color: COLORS.gumbelRao, make: (tau) => gumbelRaoEstimator({ tau }) },
  { name: "ReinMax", short: "ReinMax", color: COLORS.reinMax, make: (tau) => reinMaxEstimator({ tau }) },
];
const SCORE_FUNCTION = [
  { estimator: scoreFunctionEstimator(), short: "REINFORCE", color: COLORS.reinforce },
  { estimator: scoreFunctionEstimator({ baseline: "leave-one-out" }), short: "LOO", color: COLORS.leaveOneOut },
];

function allEstimators(): GradientEstimator[] {
  return [...SCORE_FUNCTION.map((s) => s.estimator), ...RELAXED.flatMap((family) => TAUS.map(family.make))];
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

export async function estimatorsPanel(root: HTMLElement): Promise<void> {
  const out = readout(root.querySelector<HTMLElement>(".numbers")!);
  const caption = root.querySelector<HTMLElement>("figcaption")!;
  key(caption, [
    { color: COLORS.setting, text: "bias, the gap between the average sample and ∇L", mark: "line" },
    { color: COLORS.setting, text: "noise floor: a bias below it could be noise alone", mark: "dotted" },
  ]);
  const groups = [...RELAXED.map((f) => ({ title: f.short, series: [f] })), { title: "REINFORCE and LOO (no τ)", series: SCORE_FUNCTION.map((s) => ({ name: s.estimator.name, short: s.short, color: s.color })) }];
  const biasCharts = [];
  for (const group of groups) {
    biasCharts.push(biasChart(element(root.querySelector<HTMLElement>(".chart-bias")!, "div", "mini"), group.title, group.series));
    await yieldToBrowser(); // a chart's first drawing takes a while: one per task
  }
  const variance = varianceChart(root.querySelector<HTMLElement>(".chart-variance")!);
  const rows = await measure(codebookProblem(), out);
  renderTable(root.querySelector<HTMLElement>(".table")!, rows);
  for (const chart of biasCharts) chart.fill(rows);
  variance.fill(rows);
  const plain = rows.find((r) => r.estimator === SCORE_FUNCTION[0].estimator.name)!;
  out.show(`${rows.length} estimators, ${SAMPLES.toLocaleString("en")} gradient samples each, on the K = 8 codebook problem. ` +
    `REINFORCE: bias ${plain.bias.toFixed(3)} against a noise floor of ${plain.noiseFloor.toFixed(3)}.`);
  hooks().estimators = { done: true, samples: SAMPLES, seed: SEED, rows };
}

/** Draws every estimator's samples, slice by slice, and summarises each against the exact gradient. */
async function measure(problem: CategoricalProblem, out: Readout): Promise<TableRow[]> {
  const exact = Array.from(exactGradient(problem).values());
  const estimators = allEstimators();
  const rng = new Rng(SEED);
  const rows: TableRow[] = [];
  hooks().estimators = { done: false, samples: SAMPLES, seed: SEED, rows };
  let current = 0;
  // One split per estimator, as compareEstimators does. gradientSamples resets an estimator before each
  // slice; none of these carries state from sample to sample, so slicing changes no number.
  let ownRng = rng.split();
  let samples: Float64Array[] = [];
  await runSliced(() => {
    samples.push(...gradientSamples(problem, estimators[current], { samples: SLICE, rng: ownRng }));
    if (samples.length < SAMPLES) return true;
    rows.push(rowOf(estimators[current], summarizeSamples(samples, exact)));
    out.show(`Measuring on load: ${rows.length} of ${estimators.length} estimators, ${SAMPLES.toLocaleString("en")} samples each…`);
    current++;
    samples = [];
    if (current === estimators.length) return false;
    ownRng = rng.split();
    return true;
  });
  return rows;
}

function rowOf(estimator: GradientEstimator, s: ReturnType<typeof summarizeSamples>): TableRow {
  return { estimator: estimator.name, tau: estimator.tau, bias: s.bias, biasSE: s.biasSE, noiseFloor: s.biasFloor, variance: s.variance, varianceSE: s.varianceSE, cosine: s.cosine };
}

const isWithinNoise = (r: TableRow) => r.bias <= WITHIN_NOISE * r.noiseFloor;

// ---- the charts --------------------------------------------------------------------------------

const tauAxis = logAxis(0.08, 6, "τ");

interface Series {
  name: string;
  short: string;
  color: string;
}

/** One estimator family's bias (solid) and noise floor (dotted) against τ; REINFORCE's are flat lines. */
function biasChart(host: HTMLElement, title: string, series: Series[]) {
  element(host, "p", "mini-title").textContent = `${title}: bias`;
  const plot = createChart(element(host, "div", "chart-box"), {
    type: "line",
    data: {
      datasets: series.flatMap((s) => [
        { label: `${s.short} bias`, data: [], borderColor: s.color, backgroundColor: s.color, borderWidth: 2.5, pointRadius: 3 },
        { label: `${s.short} noise floor`, data: [], borderColor: s.color, backgroundColor: s.color, borderWidth: 1.5, borderDash: [2, 3], pointRadius: 0 },
      ]),
    },
    options: {
      parsing: false,
      scales: { x: tauAxis, y: logAxis(0.001, 1) },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y ?? 0)}` } } },
    },
  }, `Bias of ${title} against τ`);
  return {
    fill(rows: TableRow[]) {
      series.forEach((s, i) => {
        const mine = rows.filter((r) => r.estimator === s.name);
        const points = (value: (r: TableRow) => number) => mine[0].tau === null
          ? [{ x: tauAxis.min, y: value(mine[0]) }, { x: tauAxis.max, y: value(mine[0]) }]
          : mine.map((r) => ({ x: r.tau!, y: value(r) }));
        plot.chart.data.datasets[2 * i].data = points((r) => r.bias);
        plot.chart.data.datasets[2 * i + 1].data = points((r) => r.noiseFloor);
      });
      plot.redraw();
      plot.summarize(series.map((s) => summarizeBias(s, rows)).join(" "));
    },
  };
}

function summarizeBias(s: Series, rows: TableRow[]): string {
  const mine = rows.filter((r) => r.estimator === s.name);
  if (mine[0].tau === null) return `${s.short}: bias ${mine[0].bias.toFixed(3)}, noise floor ${mine[0].noiseFloor.toFixed(3)}.`;
  return `${s.short} bias from τ = 5 down to τ = 0.1: ${[...mine].reverse().map((r) => r.bias.toFixed(3)).join(", ")}; ` +
    `noise floor ${[...mine].reverse().map((r) => r.noiseFloor.toFixed(3)).join(", ")}.`;
}

function varianceChart(host: HTMLElement): { fill(rows: TableRow[]): void } {
  const series: Series[] = [...RELAXED, ...SCORE_FUNCTION.map((s) => ({ name: s.estimator.name, short: s.short, color: s.color }))];
  const plot: LiveChart<"line"> = createChart(host, {
    type: "line",
    data: {
      datasets: series.map((s, i) => ({
        label: s.short, directLabel: s.short, data: [], borderColor: s.color, backgroundColor: s.color, borderWidth: 2.5,
        pointRadius: i < RELAXED.length ? 3 : 0, borderDash: i < RELAXED.length ? [] : [8, 4],
      })),
    },
    options: {
      parsing: false,
      layout: { padding: { right: LABEL_ROOM } },
      scales: { x: tauAxis, y: logAxis(0.001, 30, "variance") },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y ?? 0)}` } } },
    },
  }, "Variance of every estimator against τ");
  return {
    fill(rows) {
      series.forEach((s, i) => {
        const mine = rows.filter((r) => r.estimator === s.name);
        plot.chart.data.datasets[i].data = mine[0].tau === null
          ? [{ x: tauAxis.min, y: mine[0].variance }, { x: tauAxis.max, y: mine[0].variance }]
          : mine.map((r) => ({ x: r.tau!, y: r.variance }));
      });
      plot.redraw();
      const gs = rows.filter((r) => r.estimator === "GS");
      plot.summarize(`Variance against τ. GS: ${gs[gs.length - 1].variance.toFixed(3)} at τ = 5, ${gs[0].variance.toFixed(1)} at τ = 0.1. ` +
        `REINFORCE ${rows[0].variance.toFixed(1)}, leave-one-out ${rows[1].variance.toFixed(1)} at every τ.`);
    },
  };
}

// ---- the table ---------------------------------------------------------------------------------

const HEADERS = ["τ", "bias ± SE", "noise floor", "variance ± SE", "cosine"];

function renderTable(host: HTMLElement, rows: TableRow[]): void {
  host.replaceChildren();
  const table = element(host, "table");
  element(table, "caption").textContent = `Every estimator against the exact gradient, ${SAMPLES.toLocaleString("en")} samples each. † marks a bias within ${WITHIN_NOISE}× its noise floor: not measurably different from zero.`;
  const head = element(element(table, "thead"), "tr");
  for (const h of HEADERS) Object.assign(element(head, "th"), { scope: "col", textContent: h });
  for (const name of [...new Set(rows.map((r) => r.estimator))]) {
    const body = element(table, "tbody");
    const title = element(element(body, "tr"), "th");
    Object.assign(title, { scope: "rowgroup", colSpan: HEADERS.length, textContent: name });
    for (const r of rows.filter((row) => row.estimator === name)) {
      const tr = element(body, "tr");
      const cells: [string, string?][] = [[r.tau === null ? "–" : String(r.tau)], [`${r.bias.toFixed(3)}${isWithinNoise(r) ? "†" : ""}`, r.biasSE.toFixed(3)],
        [r.noiseFloor.toFixed(3)], [r.variance.toFixed(3), r.varianceSE.toFixed(3)], [r.cosine.toFixed(2)]];
      for (const [value, se] of cells) {
        const td = element(tr, "td");
        td.textContent = value;
        if (se) element(td, "span", "se").textContent = ` ± ${se}`;
      }
    }
  }
}
