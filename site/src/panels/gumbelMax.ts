// Panel 1: the Gumbel-max trick. argmax_i (ℓ_i + g_i) with fresh Gumbel noise g is a draw from
// Categorical(softmax ℓ); the histogram of many draws closes in on π as they accumulate.
import { Rng, broadcastTo, categorical, tensor } from "../../../src/index.js";
import type { TopLevelSpec } from "vega-lite";
import { createChart, COLORS, type Chart } from "../charts.js";
import { button, choice, element, slider } from "../controls.js";
import { hooks } from "../hooks.js";
import { nextFrame } from "../schedule.js";
import { CATEGORIES, categoryName, probabilities, shared, update } from "../state.js";

const BATCH = 500;
const TARGET_LABEL = "π = softmax(ℓ)";
const SAMPLED_LABEL = "frequency of argmax(ℓ + g)";

interface Draw {
  logits: number[];
  target: number;
  counts: number[];
  drawn: number;
}

export function gumbelMaxPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const readout = root.querySelector<HTMLElement>(".readout")!;
  const chart = createChart(root.querySelector<HTMLElement>(".chart")!, histogramSpec());
  const rng = new Rng(1);
  let target = 20000;
  let draw: Draw | null = null;

  const restart = () => {
    draw = { logits: shared().logits, target, counts: new Array(CATEGORIES).fill(0), drawn: 0 };
    void run(draw);
  };
  const run = async (current: Draw) => {
    while (draw === current && current.drawn < current.target) {
      sampleBatch(current, rng);
      show(current, chart, readout);
      await nextFrame();
    }
  };

  const logits = element(controls, "div", "sliders");
  shared().logits.forEach((value, i) => slider(logits, {
    label: `ℓ${i + 1} (logit of ${categoryName(i)})`, min: -3, max: 3, step: 0.1, value, name: `logit-${i + 1}`,
    format: (v) => v.toFixed(1),
    onInput: (v) => {
      const next = shared().logits;
      next[i] = v;
      update({ logits: next });
      restart();
    },
  }));
  choice(controls, "Samples to draw (N)", [
    { value: "1000", label: "1,000" }, { value: "5000", label: "5,000" }, { value: "20000", label: "20,000" },
  ], String(target), (v) => {
    target = Number(v);
    restart();
  }, "samples");
  button(controls, "Draw again", restart, "draw");
  restart();
}

/** One batch of Gumbel-max draws: the logits repeated in BATCH rows, one argmax per row. */
function sampleBatch(d: Draw, rng: Rng): void {
  const n = Math.min(BATCH, d.target - d.drawn);
  const rows = broadcastTo(tensor(d.logits), [n, CATEGORIES]);
  for (const c of categorical(rows, { rng }).values()) d.counts[c]++;
  d.drawn += n;
}

function show(d: Draw, chart: Chart, readout: HTMLElement): void {
  const pi = probabilities(d.logits);
  const freq = d.counts.map((c) => c / d.drawn);
  const tv = 0.5 * pi.reduce((s, p, i) => s + Math.abs(p - freq[i]), 0);
  void chart.set("bars", pi.flatMap((p, i) => [
    { category: categoryName(i), kind: TARGET_LABEL, value: p },
    { category: categoryName(i), kind: SAMPLED_LABEL, value: freq[i] },
  ]));
  readout.textContent = `${d.drawn.toLocaleString("en")} of ${d.target.toLocaleString("en")} samples drawn · total variation ½Σ|frequency − π| = ${tv.toFixed(4)}`;
  hooks().gumbelMax = { drawn: d.drawn, target: d.target, totalVariation: tv, frequencies: freq, probabilities: pi };
}

function histogramSpec(): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: "Frequencies of Gumbel-max samples beside the target probabilities π, per category",
    width: 360, height: 220,
    data: { name: "bars" },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "category", type: "nominal", title: "category", axis: { labelAngle: 0 } },
      xOffset: { field: "kind", type: "nominal", sort: [TARGET_LABEL, SAMPLED_LABEL] },
      y: { field: "value", type: "quantitative", title: "probability", scale: { domain: [0, 1] } },
      color: {
        field: "kind", type: "nominal", title: null,
        scale: { domain: [TARGET_LABEL, SAMPLED_LABEL], range: [COLORS.target, COLORS.sampled] },
        legend: { orient: "top" },
      },
    },
  } as TopLevelSpec;
}
