// Panel 1: why a sample has no gradient. With the noise g held fixed, the sample c = argmax(ℓ + g)
// is piecewise constant in ℓ, so f(one_hot(c)) is a staircase: its derivative is 0 wherever it exists.
// Its average over the noise, E[f] = Σ_c π_c f(one_hot(c)), is smooth, and its slope is what training needs.
// A sweep of ℓ₁ is one batch of rows, so both curves cost a handful of tensor ops.
import {
  Rng, add, argmax, categoricalProblem, exactGradient, grad, gumbel, indexSelect, matmul, oneHot, reshape, softmax, tensor, type Tensor,
} from "../../../src/index.js";
import { COLORS, axisTitle, createChart, LABEL_ROOM, wholeTicks } from "../charts.js";
import { button, readout, slider } from "../controls.js";
import { hooks } from "../hooks.js";
import { perFrame } from "../schedule.js";
import { CATEGORIES, DEFAULT_WEIGHTS, categoryName, onChange, shared, squaredDownstream, update } from "../state.js";

const LOGIT_RANGE = [-3, 3];
/** ℓ₁ values of the staircase: fine enough that each jump looks vertical. */
const SWEEP = Array.from({ length: 241 }, (_, i) => LOGIT_RANGE[0] + (i * (LOGIT_RANGE[1] - LOGIT_RANGE[0])) / 240);
const NUDGE = 1e-3;
/** Above the largest f of a one-hot, (w₃)² = 4. */
const Y_MAX = 4.5;
const f = squaredDownstream(tensor(DEFAULT_WEIGHTS));

export function noGradientPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const out = readout(root.querySelector<HTMLElement>(".numbers")!);
  const rng = new Rng(5);
  let noise = gumbel([CATEGORIES], { rng });

  const plot = createChart(root.querySelector<HTMLElement>(".chart")!, {
    type: "line",
    data: {
      datasets: [
        { label: "f(one-hot of the sample)", directLabel: "sample", data: [], borderColor: COLORS.sampled, backgroundColor: COLORS.sampled, stepped: "middle", borderWidth: 3, pointRadius: 0 },
        { label: "E[f], the average over noise", directLabel: "average", data: [], borderColor: COLORS.reference, backgroundColor: COLORS.reference, borderWidth: 2, borderDash: [6, 4], pointRadius: 0 },
        { label: "your ℓ₁", directLabel: "your ℓ₁", data: [], borderColor: COLORS.setting, backgroundColor: COLORS.setting, borderWidth: 1.5, pointRadius: 0 },
      ],
    },
    options: {
      parsing: false,
      layout: { padding: { right: LABEL_ROOM } },
      scales: {
        x: { type: "linear", min: LOGIT_RANGE[0], max: LOGIT_RANGE[1], title: axisTitle("ℓ₁, the logit of c1 (the others held)") },
        y: { min: 0, max: Y_MAX, title: axisTitle("downstream f"), ticks: { stepSize: 1, callback: wholeTicks } },
      },
      plugins: { tooltip: { enabled: false } },
    },
  }, "A staircase and a smooth curve against ℓ₁");

  // The curves sweep ℓ₁, so they change only with the other logits or the noise; ℓ₁ moves the marker.
  let curvesFor = "";
  let staircase: { x: number; y: number }[] = [];
  const redraw = perFrame(() => {
    const { logits } = shared();
    const key = `${logits.slice(1)}|${noise.values()}`;
    if (key !== curvesFor) {
      curvesFor = key;
      const sweep = sweepCurves(logits, noise);
      staircase = SWEEP.map((x, i) => ({ x, y: sweep.sampled[i] }));
      plot.chart.data.datasets[0].data = staircase;
      plot.chart.data.datasets[1].data = SWEEP.map((x, i) => ({ x, y: sweep.average[i] }));
    }
    plot.chart.data.datasets[2].data = [{ x: logits[0], y: 0 }, { x: logits[0], y: Y_MAX }];
    plot.redraw();

    const chosen = sampledCategory(logits, noise);
    const throughSample = Array.from(gradientThroughSample(logits, noise).values());
    const nudged = logits.map((_, i) => finiteDifference(logits, i, noise));
    const exact = Array.from(exactGradient(problemAt(logits)).values());
    const jumps = new Set(staircase.map((p) => p.y)).size - 1;
    plot.summarize(`Against ℓ₁, f of the sampled one-hot is a staircase with ${jumps} distinct jumps and flat steps between them; its average over noise is a smooth curve.`);
    out.show(`At ℓ₁ = ${logits[0].toFixed(1)} the sample is ${categoryName(chosen)}. Autodiff through the sample: ∂f/∂ℓ = (${throughSample.map(fixed).join(", ")}). ` +
      `Nudging each ℓᵢ by ±${NUDGE}: (${nudged.map(fixed).join(", ")}). The average's slope: ∂E[f]/∂ℓ = (${exact.map(fixed).join(", ")}).`);
    hooks().noGradient = { logits, sample: chosen, throughSample, finiteDifference: nudged, exact, staircase: staircase.map((p) => p.y) };
  });

  const first = slider(controls, {
    label: "ℓ₁ (logit of c1)", min: LOGIT_RANGE[0], max: LOGIT_RANGE[1], step: 0.1, value: shared().logits[0], name: "no-gradient-logit",
    format: (v) => v.toFixed(1),
    onInput: (v) => update({ logits: withFirst(shared().logits, v) }),
  });
  button(controls, "New noise", () => {
    noise = gumbel([CATEGORIES], { rng });
    redraw();
  }, "no-gradient-noise");
  onChange(({ logits }) => {
    first.set(logits[0]);
    redraw();
  });
  redraw();
}

const fixed = (v: number) => (Object.is(v, -0) ? 0 : v).toFixed(2);

function withFirst(logits: number[], first: number): number[] {
  return [first, ...logits.slice(1)];
}

/** c = argmax(ℓ + g): the Gumbel-max sample of the next panel, with this panel's fixed noise. */
function sample(logits: Tensor, noise: Tensor): Tensor {
  return oneHot(argmax(add(logits, noise), 0), CATEGORIES);
}

function sampledCategory(logits: number[], noise: Tensor): number {
  return argmax(add(tensor(logits), noise), 0).item();
}

function sampledValue(logits: number[], noise: Tensor): number {
  return f(sample(tensor(logits), noise)).item();
}

/** What the library's autodiff says ∂f(one_hot(c))/∂ℓ is. */
function gradientThroughSample(logits: number[], noise: Tensor): Tensor {
  return grad((l: Tensor) => f(sample(l, noise)))(tensor(logits)) as Tensor;
}

/** (f(ℓ + h·eᵢ) − f(ℓ − h·eᵢ)) / 2h, by evaluating the sample twice. */
function finiteDifference(logits: number[], i: number, noise: Tensor): number {
  const at = (delta: number) => sampledValue(logits.map((l, j) => (j === i ? l + delta : l)), noise);
  return (at(NUDGE) - at(-NUDGE)) / (2 * NUDGE);
}

function problemAt(logits: number[]) {
  return categoricalProblem({ name: "downstream", logits, f });
}

/**
 * Both curves at every ℓ₁ of the sweep at once, one row of logits per ℓ₁:
 *   sampled = f(one_hot(argmax(ℓ + g)))   average = E[f] = softmax(ℓ)·(f(one_hot(c)))_c
 */
function sweepCurves(logits: number[], noise: Tensor): { sampled: ArrayLike<number>; average: ArrayLike<number> } {
  const rows = tensor(SWEEP.map((x) => withFirst(logits, x)));
  const fOfCategory = tensor(Array.from({ length: CATEGORIES }, (_, c) => f(oneHot([c], CATEGORIES)).item()));
  return {
    sampled: indexSelect(fOfCategory, 0, argmax(add(rows, noise), 1)).values(),
    average: matmul(softmax(rows, 1), reshape(fOfCategory, [CATEGORIES, 1])).values(),
  };
}
