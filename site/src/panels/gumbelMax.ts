// Panel 2: the Gumbel-max trick. argmax_i (ℓ_i + g_i) with fresh Gumbel noise g is a draw from
// Categorical(softmax ℓ); the histogram of many draws closes in on π as they accumulate.
import { Rng, broadcastTo, categorical, tensor } from "../../../src/index.js";
import { COLORS, axisTitle, createChart, type LiveChart } from "../charts.js";
import { button, choice, element, key, readout, slider, type Readout, type Slider } from "../controls.js";
import { hooks } from "../hooks.js";
import { nextFrame } from "../schedule.js";
import { CATEGORIES, categoryName, onChange, probabilities, shared, update } from "../state.js";

const BATCH = 500;

interface Draw {
  logits: number[];
  target: number;
  counts: number[];
  drawn: number;
}

export function gumbelMaxPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const out = readout(root.querySelector<HTMLElement>(".numbers")!);
  key(root.querySelector<HTMLElement>("figcaption")!, [
    { color: COLORS.reference, text: "π = softmax(ℓ), the target" },
    { color: COLORS.sampled, text: "how often argmax(ℓ + g) picked each category" },
  ]);
  const plot = createChart(root.querySelector<HTMLElement>(".chart")!, {
    type: "bar",
    data: {
      labels: Array.from({ length: CATEGORIES }, (_, i) => categoryName(i)),
      datasets: [
        { label: "π", data: [], backgroundColor: COLORS.reference },
        { label: "frequency", data: [], backgroundColor: COLORS.sampled },
      ],
    },
    options: {
      scales: {
        x: { title: axisTitle("category"), grid: { display: false } },
        y: { min: 0, max: 1, title: axisTitle("probability") },
      },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${Number(item.raw).toFixed(3)}` } } },
    },
  }, "Bars of π and of the sampled frequencies");
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
      show(current, plot, out);
      await nextFrame();
    }
  };

  const sliders = element(controls, "div", "sliders");
  const logitSliders: Slider[] = shared().logits.map((value, i) => slider(sliders, {
    label: `ℓ${i + 1} (logit of ${categoryName(i)})`, min: -3, max: 3, step: 0.1, value, name: `logit-${i + 1}`,
    format: (v) => v.toFixed(1),
    onInput: (v) => update({ logits: shared().logits.map((l, j) => (j === i ? v : l)) }),
  }));
  choice(controls, "Samples to draw (N)", [
    { value: "1000", label: "1,000" }, { value: "5000", label: "5,000" }, { value: "20000", label: "20,000" },
  ], String(target), (v) => {
    target = Number(v);
    restart();
  }, "samples");
  button(controls, "Draw again", restart, "draw");
  onChange(({ logits }) => {
    logits.forEach((l, i) => logitSliders[i].set(l));
    if (String(logits) !== String(draw?.logits)) restart();
  });
  restart();
}

/** One batch of Gumbel-max draws: the logits repeated in BATCH rows, one argmax per row. */
function sampleBatch(d: Draw, rng: Rng): void {
  const n = Math.min(BATCH, d.target - d.drawn);
  const rows = broadcastTo(tensor(d.logits), [n, CATEGORIES]);
  for (const c of categorical(rows, { rng }).values()) d.counts[c]++;
  d.drawn += n;
}

function show(d: Draw, plot: LiveChart<"bar">, out: Readout): void {
  const pi = probabilities(d.logits);
  const freq = d.counts.map((c) => c / d.drawn);
  const tv = 0.5 * pi.reduce((s, p, i) => s + Math.abs(p - freq[i]), 0);
  plot.chart.data.datasets[0].data = pi;
  plot.chart.data.datasets[1].data = freq;
  plot.redraw();
  const pairs = pi.map((p, i) => `${categoryName(i)} ${p.toFixed(2)} vs ${freq[i].toFixed(2)}`).join(", ");
  plot.summarize(`Target π against the frequency of ${d.drawn.toLocaleString("en")} Gumbel-max samples: ${pairs}.`);
  out.show(`${d.drawn.toLocaleString("en")} of ${d.target.toLocaleString("en")} samples drawn · total variation ½Σ|frequency − π| = ${tv.toFixed(4)}`);
  hooks().gumbelMax = { drawn: d.drawn, target: d.target, totalVariation: tv, frequencies: freq, probabilities: pi };
}
