// Panel 4: a VQ codebook learning live on a 2-D mixture. The codes are drawn over the data as they
// move; usage (the fraction of codes some point chooses) and perplexity are plotted as training runs.
import type { TopLevelSpec } from "vega-lite";
import { createChart, COLORS } from "../charts.js";
import { button, checkbox, choice } from "../controls.js";
import { hooks } from "../hooks.js";
import { ringMixture } from "../codebook/mixture.js";
import { CodebookTrainer, NUM_CODES, type QuantizerKind } from "../codebook/trainer.js";

const STEPS_PER_FRAME = 2;
const MEASURE_EVERY = 5;
const SHOWN_POINTS = 600;
const VIEW = [-2.5, 6];
const KINDS: { value: QuantizerKind; label: string }[] = [
  { value: "st", label: "straight-through (gradient)" },
  { value: "ema", label: "EMA" },
  { value: "gumbel", label: "Gumbel-softmax" },
];

interface HistoryRow {
  step: number;
  usage: number;
  perplexity: number;
}

export function codebookPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const readout = root.querySelector<HTMLElement>(".readout")!;
  const data = ringMixture();
  const plane = createChart(root.querySelector<HTMLElement>(".chart-plane")!, planeSpec());
  const curves = createChart(root.querySelector<HTMLElement>(".chart-history")!, historySpec());
  const values = data.values();
  const stride = Math.max(1, Math.floor(data.shape[0] / SHOWN_POINTS));
  void plane.set("points", Array.from({ length: Math.floor(data.shape[0] / stride) }, (_, i) => ({ x: values[2 * i * stride], y: values[2 * i * stride + 1] })));

  let kind: QuantizerKind = "st";
  let restarts = false;
  let running = false;
  let trainer = new CodebookTrainer(data, { kind, restarts });
  let history: HistoryRow[] = [];

  const measure = () => {
    const f = trainer.evaluate();
    history.push({ step: trainer.step, usage: f.usage, perplexity: f.perplexity });
    void curves.set("history", history);
    void plane.set("codes", trainer.codes().map(([x, y], k) => ({ x, y, code: k + 1, points: f.counts[k], state: f.counts[k] > 0 ? "chosen" : "never chosen" })));
    readout.textContent = `${labelOf(kind)}${kind === "gumbel" ? "" : restarts ? ", restarts on" : ", restarts off"} · step ${trainer.step} · ` +
      `usage ${(f.usage * 100).toFixed(0)}% (${Math.round(f.usage * NUM_CODES)} of ${NUM_CODES} codes) · perplexity ${f.perplexity.toFixed(2)}`;
    hooks().codebook = { running, step: trainer.step, usage: f.usage, perplexity: f.perplexity, quantizer: kind, restarts };
  };
  const reset = () => {
    trainer = new CodebookTrainer(data, { kind, restarts });
    history = [];
    measure();
  };
  const frame = () => {
    if (!running) return;
    for (let i = 0; i < STEPS_PER_FRAME; i++) {
      trainer.trainStep();
      if (trainer.step % MEASURE_EVERY === 0) measure();
    }
    requestAnimationFrame(frame);
  };

  choice(controls, "Quantizer", KINDS, kind, (v) => {
    kind = v;
    restartsBox.disabled = v === "gumbel";
    reset();
  }, "quantizer");
  const restartsBox = checkbox(controls, "dead-code restarts", restarts, (on) => {
    restarts = on;
    reset();
  }, "restarts");
  restartsBox.title = "Re-seed codes that no point chose for 10 steps onto badly served points (vector quantizers only)";
  const startButton = button(controls, "Start", () => {
    running = !running;
    startButton.textContent = running ? "Pause" : "Start";
    startButton.setAttribute("aria-pressed", String(running));
    measure();
    if (running) requestAnimationFrame(frame);
  }, "start");
  startButton.setAttribute("aria-pressed", "false");
  button(controls, "Reset", reset, "reset");
  reset();
}

const labelOf = (kind: QuantizerKind) => KINDS.find((k) => k.value === kind)!.label;

function planeSpec(): TopLevelSpec {
  const x = { field: "x", type: "quantitative", scale: { domain: VIEW }, title: "x₁" };
  const y = { field: "y", type: "quantitative", scale: { domain: VIEW }, title: "x₂" };
  return {
    description: "The data points and the codes of the codebook in the plane; codes no point chooses are drawn hollow",
    width: 330, height: 330,
    layer: [
      { data: { name: "points" }, mark: { type: "circle", size: 10, opacity: 0.35, color: COLORS.target, clip: true }, encoding: { x, y } },
      {
        data: { name: "codes" },
        mark: { type: "point", size: 110, strokeWidth: 2.5, clip: true, tooltip: true },
        encoding: {
          x, y,
          color: { value: COLORS.sampled },
          fill: { field: "state", type: "nominal", title: "code", scale: { domain: ["chosen", "never chosen"], range: [COLORS.sampled, "transparent"] }, legend: { orient: "top" } },
          shape: { value: "diamond" },
        },
      },
    ],
  } as TopLevelSpec;
}

function historySpec(): TopLevelSpec {
  const step = { field: "step", type: "quantitative", title: "training step" };
  return {
    description: "Codebook usage and perplexity against the training step",
    data: { name: "history" },
    vconcat: [
      { width: 300, height: 120, mark: { type: "line", color: COLORS.sampled }, encoding: { x: step, y: { field: "usage", type: "quantitative", title: "usage", scale: { domain: [0, 1] }, axis: { format: "%" } } } },
      { width: 300, height: 120, mark: { type: "line", color: COLORS.soft }, encoding: { x: step, y: { field: "perplexity", type: "quantitative", title: "perplexity", scale: { domain: [1, NUM_CODES] } } } },
    ],
  } as TopLevelSpec;
}
