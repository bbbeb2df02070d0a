// Panel 6: straight-through. The gradient with respect to the logits of L(ℓ) = E_c[f(one_hot(c))],
// c ~ Categorical(softmax ℓ), three ways, at the shared τ:
//   exact:  ∇L = Σ_c f(one_hot(c)) ∇π_c, by enumerating the K categories
//   GS:     ∇_ℓ f(y), y = softmax((ℓ + g)/τ)                  (f sees the relaxed y)
//   ST-GS:  ∂f/∂D at D = one_hot(argmax y), times ∂y/∂ℓ         (f sees a real category)
// The two estimators are averaged over many noise draws, so what differs from the exact bar is bias.
import {
  Rng, categoricalProblem, exactGradient, gradientSamples, gumbelSoftmaxEstimator, mul, straightThroughEstimator,
  sum, summarizeSamples, tensor, type Tensor,
} from "../../../src/index.js";
import { COLORS, axisTitle, createChart, formatNumber } from "../charts.js";
import { choice, element, key, readout, slider } from "../controls.js";
import { hooks } from "../hooks.js";
import { perFrame } from "../schedule.js";
import { CATEGORIES, DEFAULT_WEIGHTS, categoryName, formatTau, onChange, shared, squaredDownstream } from "../state.js";
import { tauSlider } from "./temperature.js";

/** Noise draws averaged per estimator. */
const SAMPLES = 300;

type Downstream = "squared" | "linear";
const DOWNSTREAM: Record<Downstream, { label: string; f: (w: Tensor) => (y: Tensor) => Tensor }> = {
  squared: { label: "f(y) = (w·y)²", f: squaredDownstream },
  linear: { label: "f(y) = w·y", f: (w) => (y) => sum(mul(w, y)) },
};

export function straightThroughPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const out = readout(root.querySelector<HTMLElement>(".numbers")!);
  key(root.querySelector<HTMLElement>("figcaption")!, [
    { color: COLORS.reference, text: "exact ∇L" },
    { color: COLORS.gumbelSoftmax, text: "GS, mean of 300 draws" },
    { color: COLORS.straightThrough, text: "ST-GS, mean of 300 draws" },
  ]);
  const plot = createChart(root.querySelector<HTMLElement>(".chart")!, {
    type: "bar",
    data: {
      labels: Array.from({ length: CATEGORIES }, (_, i) => `ℓ${i + 1}`),
      datasets: [
        { label: "exact", data: [], backgroundColor: COLORS.reference },
        { label: "GS", data: [], backgroundColor: COLORS.gumbelSoftmax },
        { label: "ST-GS", data: [], backgroundColor: COLORS.straightThrough },
      ],
    },
    options: {
      scales: { x: { title: axisTitle("the logit differentiated"), grid: { display: false } }, y: { title: axisTitle("∂/∂ℓᵢ"), ticks: { callback: (v) => formatNumber(Number(v)) } } },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${Number(item.raw).toFixed(3)}` } } },
    },
  }, "Gradient bars, three ways");
  const weights = [...DEFAULT_WEIGHTS];
  let downstream: Downstream = "squared";

  const recompute = perFrame(() => {
    const { logits, tau } = shared();
    const problem = categoricalProblem({ name: "downstream", logits, f: DOWNSTREAM[downstream].f(tensor(weights)) });
    const exact = Array.from(exactGradient(problem).values());
    // The same noise for both estimators and at every τ: a change in the bars is τ's doing, and
    // for a linear f the two relaxed gradients coincide exactly.
    const noise = () => new Rng(3);
    const soft = summarizeSamples(gradientSamples(problem, gumbelSoftmaxEstimator({ tau }), { samples: SAMPLES, rng: noise() }), exact);
    const hard = summarizeSamples(gradientSamples(problem, straightThroughEstimator({ tau }), { samples: SAMPLES, rng: noise() }), exact);
    const whisker = (s: typeof soft) => s.meanGradient.map((m, i): [number, number] => [m - 2 * s.meanSE[i], m + 2 * s.meanSE[i]]);
    plot.chart.data.datasets[0].data = exact;
    plot.chart.data.datasets[1].data = soft.meanGradient;
    plot.chart.data.datasets[1].whiskers = whisker(soft);
    plot.chart.data.datasets[2].data = hard.meanGradient;
    plot.chart.data.datasets[2].whiskers = whisker(hard);
    plot.redraw();
    plot.summarize(`At τ = ${formatTau(tau)}, for ${DOWNSTREAM[downstream].label}: exact (${exact.map((g) => g.toFixed(2)).join(", ")}), ` +
      `GS (${soft.meanGradient.map((g) => g.toFixed(2)).join(", ")}), ST-GS (${hard.meanGradient.map((g) => g.toFixed(2)).join(", ")}).`);
    out.show(`τ = ${formatTau(tau)} · bias ‖E[ĝ] − ∇L‖: GS ${soft.bias.toFixed(3)}, ST-GS ${hard.bias.toFixed(3)} · ` +
      `variance: GS ${soft.variance.toFixed(3)}, ST-GS ${hard.variance.toFixed(3)} (${SAMPLES} noise draws each)`);
    hooks().straightThrough = { tau, downstream, weights: [...weights], exact, soft: soft.meanGradient, straightThrough: hard.meanGradient };
  });

  tauSlider(controls, "st-tau");
  choice(controls, "Downstream function", (Object.keys(DOWNSTREAM) as Downstream[]).map((value) => ({ value, label: DOWNSTREAM[value].label })),
    downstream, (v) => { downstream = v; recompute(); }, "downstream");
  const sliders = element(controls, "div", "sliders");
  weights.forEach((value, i) => slider(sliders, {
    label: `w${i + 1} (weight of ${categoryName(i)})`, min: -2, max: 2, step: 0.1, value, name: `weight-${i + 1}`,
    format: (v) => v.toFixed(1),
    onInput: (v) => { weights[i] = v; recompute(); },
  }));
  onChange(recompute);
  recompute();
}
