// Panel 2: one draw of perturbed logits ℓ + g, squashed at the temperature τ.
//   y = softmax((ℓ + g)/τ):  τ large → near-uniform,  τ ≈ 1 → soft,  τ small → effectively one-hot
import type { TopLevelSpec } from "vega-lite";
import { Rng, gumbel, gumbelSoftmax, tensor } from "../../../src/index.js";
import { createChart, COLORS } from "../charts.js";
import { button, slider } from "../controls.js";
import { hooks } from "../hooks.js";
import { perFrame } from "../schedule.js";
import { CATEGORIES, categoryName, onChange, shared, update } from "../state.js";

const TAU_MIN = 0.01;
const TAU_MAX = 10;
/** τ values for the curves of y against τ, evenly spaced in log τ. */
const CURVE_TAUS = Array.from({ length: 61 }, (_, i) => TAU_MIN * (TAU_MAX / TAU_MIN) ** (i / 60));
/** The classic picture, one mark each. */
export const REFERENCES = [
  { tau: 5, label: "near-uniform" },
  { tau: 1, label: "soft" },
  { tau: 0.05, label: "effectively one-hot" },
];

export const formatTau = (tau: number): string => (tau < 0.1 ? tau.toFixed(3) : tau < 1 ? tau.toFixed(2) : tau.toFixed(1));

export function temperaturePanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const readout = root.querySelector<HTMLElement>(".readout")!;
  const bars = createChart(root.querySelector<HTMLElement>(".chart-bars")!, barsSpec());
  const curves = createChart(root.querySelector<HTMLElement>(".chart-curves")!, curvesSpec());
  const rng = new Rng(2);
  let noise = gumbel([CATEGORIES], { rng });

  const redraw = perFrame(() => {
    const { logits, tau } = shared();
    const y = squash(logits, noise, tau);
    void bars.set("y", y.map((v, i) => ({ category: categoryName(i), y: v })));
    void curves.set("current", [{ tau }]);
    readout.textContent = `τ = ${formatTau(tau)} · y = (${y.map((v) => v.toFixed(3)).join(", ")}) · largest yᵢ = ${Math.max(...y).toFixed(3)}`;
  });
  const redrawCurves = () => {
    const { logits } = shared();
    void curves.set("curves", CURVE_TAUS.flatMap((tau) => squash(logits, noise, tau).map((v, i) => ({ tau, category: categoryName(i), y: v }))));
    redraw();
  };

  slider(controls, {
    label: "temperature τ (log scale)", min: Math.log10(TAU_MIN), max: Math.log10(TAU_MAX), step: 0.01,
    value: Math.log10(shared().tau), name: "tau", format: (v) => `τ = ${formatTau(10 ** v)}`,
    onInput: (v) => update({ tau: 10 ** v }),
  });
  button(controls, "New noise", () => {
    noise = gumbel([CATEGORIES], { rng });
    redrawCurves();
  }, "new-noise");
  // τ moves only the marker and the bars; the curves change with the logits or the noise
  let curvesFor = "";
  onChange(({ logits }) => {
    if (String(logits) === curvesFor) return redraw();
    curvesFor = String(logits);
    redrawCurves();
  });
  curvesFor = String(shared().logits);
  redrawCurves();
  hooks().temperature = {
    get tau() { return shared().tau; },
    plottedY: () => (bars.rows("y") as { y: number }[]).map((r) => r.y),
  };
}

/** y = gumbelSoftmax(ℓ, τ) with the noise held fixed, as plain numbers. */
function squash(logits: number[], noise: ReturnType<typeof gumbel>, tau: number): number[] {
  return Array.from(gumbelSoftmax(tensor(logits), { tau, noise }).values());
}

function barsSpec(): TopLevelSpec {
  return {
    description: "The relaxed sample y at the current temperature, one bar per category",
    width: 260, height: 220,
    data: { name: "y" },
    mark: { type: "bar", tooltip: true, color: COLORS.soft },
    encoding: {
      x: { field: "category", type: "nominal", title: "category", axis: { labelAngle: 0 } },
      y: { field: "y", type: "quantitative", title: "yᵢ", scale: { domain: [0, 1] } },
    },
  } as TopLevelSpec;
}

function curvesSpec(): TopLevelSpec {
  const x = { field: "tau", type: "quantitative", title: "τ (log scale)", scale: { type: "log", domain: [TAU_MIN, TAU_MAX] } };
  return {
    description: "Each yᵢ of the same perturbed logits as τ runs from 0.01 to 10, with the current τ and three reference temperatures marked",
    width: 420, height: 220,
    layer: [
      {
        data: { name: "curves" },
        mark: { type: "line", tooltip: true },
        encoding: { x, y: { field: "y", type: "quantitative", title: "yᵢ", scale: { domain: [0, 1] } }, color: { field: "category", type: "nominal", title: "category" } },
      },
      {
        data: { values: REFERENCES },
        layer: [
          { mark: { type: "rule", strokeDash: [3, 3], color: "#888" }, encoding: { x } },
          { mark: { type: "text", align: "center", baseline: "bottom", color: "#555" }, encoding: { x, y: { value: -3 }, text: { field: "label" } } },
        ],
      },
      {
        data: { name: "current" },
        mark: { type: "rule", strokeWidth: 2, color: COLORS.soft },
        encoding: { x },
      },
    ],
  } as TopLevelSpec;
}
