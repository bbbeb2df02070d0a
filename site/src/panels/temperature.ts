// Panel 3: one draw of perturbed logits ℓ + g, squashed at the temperature τ.
//   y = softmax((ℓ + g)/τ):  τ large → near-uniform,  τ ≈ 1 → soft,  τ small → effectively one-hot
import { Rng, argmax, gumbel, gumbelSoftmax, tensor, add, type Tensor } from "../../../src/index.js";
import { COLORS, axisTitle, createChart, formatNumber, LABEL_ROOM, logAxis } from "../charts.js";
import { button, key, readout, slider, type Slider } from "../controls.js";
import { hooks } from "../hooks.js";
import { perFrame } from "../schedule.js";
import { CATEGORIES, categoryName, formatTau, onChange, shared, update } from "../state.js";

const TAU_MIN = 0.01;
const TAU_MAX = 10;
/** τ values for the curves of y against τ, evenly spaced in log τ. */
const CURVE_TAUS = Array.from({ length: 61 }, (_, i) => TAU_MIN * (TAU_MAX / TAU_MIN) ** (i / 60));
/** Where the regimes' names sit, above the curves. */
const LABEL_HEIGHT = 1.1;
/** The classic picture, one mark each. */
const REGIMES = [
  { tau: 0.05, label: "one-hot" },
  { tau: 1, label: "soft" },
  { tau: 5, label: "uniform" },
];

/** The τ slider, on a log scale; panel 6 has one too, and both move the shared τ. */
export function tauSlider(parent: HTMLElement, name: string): Slider {
  const control = slider(parent, {
    label: "temperature τ (log scale)", min: Math.log10(TAU_MIN), max: Math.log10(TAU_MAX), step: 0.01,
    value: Math.log10(shared().tau), name, format: (v) => `τ = ${formatTau(10 ** v)}`,
    onInput: (v) => update({ tau: 10 ** v }),
  });
  onChange(({ tau }) => control.set(Math.log10(tau)));
  return control;
}

export function temperaturePanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const out = readout(root.querySelector<HTMLElement>(".numbers")!);
  const rng = new Rng(2);
  let noise = gumbel([CATEGORIES], { rng });
  key(root.querySelector<HTMLElement>("figcaption")!, [
    { color: COLORS.gumbelSoftmax, text: "y, the relaxed sample (thick: the category Gumbel-max picks)", mark: "line" },
    { color: COLORS.setting, text: "your τ", mark: "line" },
  ]);

  const bars = createChart(root.querySelector<HTMLElement>(".chart-bars")!, {
    type: "bar",
    data: { labels: Array.from({ length: CATEGORIES }, (_, i) => categoryName(i)), datasets: [{ label: "y", data: [], backgroundColor: COLORS.gumbelSoftmax }] },
    options: {
      scales: { x: { title: axisTitle("category"), grid: { display: false } }, y: { min: 0, max: 1, title: axisTitle("yᵢ at your τ") } },
      plugins: { tooltip: { callbacks: { label: (item) => `y: ${Number(item.raw).toFixed(3)}` } } },
    },
  }, "Bars of y at your τ");

  const curveSets = Array.from({ length: CATEGORIES }, (_, i) => ({
    label: categoryName(i), directLabel: categoryName(i), data: [] as { x: number; y: number }[], borderColor: COLORS.gumbelSoftmax, backgroundColor: COLORS.gumbelSoftmax, borderWidth: 1.5, pointRadius: 0,
  }));
  const regimeSets = REGIMES.map((r) => ({
    label: r.label, directLabel: r.label, data: [{ x: r.tau, y: 0 }, { x: r.tau, y: LABEL_HEIGHT }], borderColor: COLORS.reference, backgroundColor: COLORS.reference, borderWidth: 1, borderDash: [3, 4], pointRadius: 0,
  }));
  const yourTau = { label: "your τ", data: [] as { x: number; y: number }[], borderColor: COLORS.setting, backgroundColor: COLORS.setting, borderWidth: 2, pointRadius: 0 };
  const curves = createChart(root.querySelector<HTMLElement>(".chart-curves")!, {
    type: "line",
    data: { datasets: [...curveSets, ...regimeSets, yourTau] },
    options: {
      parsing: false,
      layout: { padding: { right: LABEL_ROOM / 2 } },
      scales: {
        x: logAxis(TAU_MIN, TAU_MAX, "τ (log scale)"),
        // room above y = 1 for the names of the regimes
        y: { min: 0, max: LABEL_HEIGHT + 0.04, title: axisTitle("yᵢ"), ticks: { stepSize: 0.2, callback: (v) => (Number(v) <= 1 ? formatNumber(Number(v)) : "") } },
      },
      plugins: { tooltip: { enabled: false } },
    },
  }, "Each yᵢ against τ");

  const redraw = perFrame(() => {
    const { logits, tau } = shared();
    const y = squash(logits, noise, tau);
    bars.chart.data.datasets[0].data = y;
    bars.redraw();
    yourTau.data = [{ x: tau, y: 0 }, { x: tau, y: 1 }];
    curves.redraw();
    const largest = Math.max(...y);
    bars.summarize(`At τ = ${formatTau(tau)}, y = (${y.map((v) => v.toFixed(2)).join(", ")}); the largest component is ${largest.toFixed(2)}.`);
    out.show(`τ = ${formatTau(tau)} · y = (${y.map((v) => v.toFixed(3)).join(", ")}) · largest yᵢ = ${largest.toFixed(3)}`);
  });
  const redrawCurves = () => {
    const { logits } = shared();
    const pick = argmax(add(tensor(logits), noise), 0).item();
    const perTau = CURVE_TAUS.map((tau) => squash(logits, noise, tau));
    curveSets.forEach((set, i) => {
      set.data = CURVE_TAUS.map((tau, t) => ({ x: tau, y: perTau[t][i] }));
      set.borderWidth = i === pick ? 4 : 1.5;
    });
    curves.summarize(`As τ falls from 10 to 0.01, the component of ${categoryName(pick)}, the category Gumbel-max picks with this noise, rises to 1 and the others fall to 0; at large τ all approach 1/${CATEGORIES}.`);
    redraw();
  };

  tauSlider(controls, "tau");
  button(controls, "New noise", () => {
    noise = gumbel([CATEGORIES], { rng });
    redrawCurves();
  }, "new-noise");
  // τ moves only the marker and the bars; the curves change with the logits or the noise
  let curvesFor = String(shared().logits);
  onChange(({ logits }) => {
    if (String(logits) === curvesFor) return redraw();
    curvesFor = String(logits);
    redrawCurves();
  });
  redrawCurves();
  hooks().temperature = {
    get tau() { return shared().tau; },
    plottedY: () => (bars.chart.data.datasets[0].data as number[]).slice(),
  };
}

/** y = gumbelSoftmax(ℓ, τ) with the noise held fixed, as plain numbers. */
function squash(logits: number[], noise: Tensor, tau: number): number[] {
  return Array.from(gumbelSoftmax(tensor(logits), { tau, noise }).values());
}
