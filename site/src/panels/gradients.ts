// Panel 3: the gradient with respect to the logits of L(ℓ) = E_c[f(one_hot(c))], c ~ Categorical(softmax ℓ),
// three ways, at the current τ:
//   exact:            ∇L = Σ_c f(one_hot(c)) ∇π_c, by enumerating the K categories
//   soft Gumbel-softmax: ∇_ℓ f(y), y = softmax((ℓ + g)/τ)          (f sees the relaxed y)
//   straight-through:    ∂f/∂D at D = one_hot(argmax y), times ∂y/∂ℓ   (f sees a real category)
// The relaxed two are averaged over many noise draws, so what differs from the exact bar is bias.
import type { TopLevelSpec } from "vega-lite";
import {
  Rng, categoricalProblem, exactGradient, gradientSamples, gumbelSoftmaxEstimator, mul, square, straightThroughEstimator,
  sum, summarizeSamples, tensor, type Tensor,
} from "../../../src/index.js";
import { createChart, COLORS } from "../charts.js";
import { choice, element, slider } from "../controls.js";
import { hooks } from "../hooks.js";
import { perFrame } from "../schedule.js";
import { categoryName, onChange, shared } from "../state.js";
import { formatTau } from "./temperature.js";

/** Noise draws averaged per relaxed estimator. */
const SAMPLES = 300;
const EXACT = "exact ∇E[f]";
const SOFT = "soft Gumbel-softmax";
const HARD = "straight-through";

type Downstream = "squared" | "linear";
const DOWNSTREAM: Record<Downstream, { label: string; f: (w: Tensor) => (y: Tensor) => Tensor }> = {
  squared: { label: "f(y) = (w·y)²", f: (w) => (y) => square(sum(mul(w, y))) },
  linear: { label: "f(y) = w·y", f: (w) => (y) => sum(mul(w, y)) },
};

export function gradientsPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const readout = root.querySelector<HTMLElement>(".readout")!;
  const chart = createChart(root.querySelector<HTMLElement>(".chart")!, gradientSpec());
  const weights = [1, -1, 2, 0.5];
  let downstream: Downstream = "squared";

  const recompute = perFrame(() => {
    const { logits, tau } = shared();
    const problem = categoricalProblem({ name: "downstream", logits, f: DOWNSTREAM[downstream].f(tensor(weights)) });
    const exact = Array.from(exactGradient(problem).values());
    // The same noise for both estimators and at every τ: a change in the bars is the τ's doing, and
    // for a linear f the two relaxed gradients coincide exactly.
    const noise = () => new Rng(3);
    const soft = summarizeSamples(gradientSamples(problem, gumbelSoftmaxEstimator({ tau }), { samples: SAMPLES, rng: noise() }), exact);
    const hard = summarizeSamples(gradientSamples(problem, straightThroughEstimator({ tau }), { samples: SAMPLES, rng: noise() }), exact);
    void chart.set("gradients", exact.flatMap((g, i) => [
      { category: categoryName(i), estimator: SOFT, value: soft.meanGradient[i], lo: soft.meanGradient[i] - 2 * soft.meanSE[i], hi: soft.meanGradient[i] + 2 * soft.meanSE[i] },
      { category: categoryName(i), estimator: HARD, value: hard.meanGradient[i], lo: hard.meanGradient[i] - 2 * hard.meanSE[i], hi: hard.meanGradient[i] + 2 * hard.meanSE[i] },
      { category: categoryName(i), estimator: EXACT, value: g, lo: g, hi: g },
    ]));
    readout.textContent = `τ = ${formatTau(tau)} · bias ‖E[ĝ] − ∇L‖: soft ${soft.bias.toFixed(3)}, straight-through ${hard.bias.toFixed(3)} · ` +
      `variance: soft ${soft.variance.toFixed(3)}, straight-through ${hard.variance.toFixed(3)} (${SAMPLES} noise draws each)`;
    hooks().gradients = { tau, exact, soft: soft.meanGradient, straightThrough: hard.meanGradient };
  });

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

function gradientSpec(): TopLevelSpec {
  const order = [SOFT, HARD, EXACT];
  return {
    description: "The gradient of the expected downstream loss with respect to each logit: soft Gumbel-softmax, straight-through and exact",
    width: 420, height: 240,
    data: { name: "gradients" },
    encoding: {
      x: { field: "category", type: "nominal", title: "logit ℓᵢ of category", axis: { labelAngle: 0 } },
      xOffset: { field: "estimator", type: "nominal", sort: order },
      color: { field: "estimator", type: "nominal", title: null, scale: { domain: order, range: [COLORS.soft, COLORS.straightThrough, COLORS.exact] }, legend: { orient: "top" } },
    },
    layer: [
      { mark: { type: "bar", tooltip: true }, encoding: { y: { field: "value", type: "quantitative", title: "∂/∂ℓᵢ" } } },
      { mark: { type: "rule", color: "black" }, encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color: { value: "black" } } },
    ],
  } as TopLevelSpec;
}
