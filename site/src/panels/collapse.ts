// Panel 8: codebook collapse, live. The codes are drawn over the data as they move; how many codes
// some point chooses, and the perplexity, are plotted as training runs.
import { COLORS, HOLLOW, axisTitle, createChart, formatNumber, LABEL_ROOM, wholeTicks } from "../charts.js";
import { button, checkbox, choice, key, readout } from "../controls.js";
import { hooks } from "../hooks.js";
import { ringMixture } from "../codebook/mixture.js";
import { CodebookTrainer, NUM_CODES, type CodebookFigures, type CodebookRule } from "../codebook/trainer.js";

const STEPS_PER_FRAME = 2;
const MEASURE_EVERY = 5;
/** The history keeps at most this many rows; beyond, every other row goes (the whole run, coarser). */
const MAX_HISTORY = 200;
const SHOWN_POINTS = 400;
const VIEW = { min: -1, max: 5.4 };
const RULES: { value: CodebookRule; label: string }[] = [
  { value: "gradient", label: "gradient (codebook loss)" },
  { value: "ema", label: "EMA" },
];

interface HistoryRow {
  step: number;
  chosen: number;
  perplexity: number;
}

export function collapsePanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const out = readout(root.querySelector<HTMLElement>(".numbers")!);
  const data = ringMixture();
  key(root.querySelector<HTMLElement>("figcaption")!, [
    { color: COLORS.data, text: "data points (the encodings)" },
    { color: COLORS.sampled, text: "a code some point chooses" },
    { color: COLORS.sampled, text: "a code no point chooses", mark: "hollow" },
  ]);
  const values = data.values();
  const stride = Math.max(1, Math.floor(data.shape[0] / SHOWN_POINTS));
  const points = Array.from({ length: Math.floor(data.shape[0] / stride) }, (_, i) => ({ x: values[2 * i * stride], y: values[2 * i * stride + 1] }));
  const axis = (title: string) => ({ type: "linear" as const, ...VIEW, title: axisTitle(title), ticks: { stepSize: 1, callback: wholeTicks } });
  const plane = createChart(root.querySelector<HTMLElement>(".chart-plane")!, {
    type: "scatter",
    data: {
      datasets: [
        { label: "data", data: points, backgroundColor: COLORS.data, borderColor: COLORS.data, pointRadius: 2, pointHoverRadius: 2 },
        { label: "codes", data: [], pointStyle: "rectRot", pointRadius: 6, pointBorderWidth: 2.5, borderColor: COLORS.sampled, backgroundColor: [] },
      ],
    },
    options: {
      parsing: false,
      aspectRatio: 1,
      maintainAspectRatio: true,
      scales: { x: axis("x₁"), y: axis("x₂") },
      plugins: { tooltip: { enabled: false } },
    },
  }, "Data points and codes in the plane");
  const history = createChart(root.querySelector<HTMLElement>(".chart-history")!, {
    type: "line",
    data: {
      datasets: [
        { label: "codes chosen", directLabel: "codes chosen", data: [], borderColor: COLORS.sampled, backgroundColor: COLORS.sampled, borderWidth: 2.5, pointRadius: 0 },
        { label: "perplexity", directLabel: "perplexity", data: [], borderColor: COLORS.sampled, backgroundColor: COLORS.sampled, borderWidth: 2, borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: {
      parsing: false,
      layout: { padding: { right: LABEL_ROOM + 10 } },
      scales: {
        x: { type: "linear", min: 0, suggestedMax: 100, title: axisTitle("training step"), ticks: { precision: 0 } },
        y: { min: 0, max: NUM_CODES, title: axisTitle(`codes (of ${NUM_CODES})`), ticks: { stepSize: 4 } },
      },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y ?? 0)}` } } },
    },
  }, "Codes chosen and perplexity against the training step");

  let rule: CodebookRule = "gradient";
  let restarts = false;
  let running = false;
  let trainer = new CodebookTrainer(data, { rule, restarts });
  let rows: HistoryRow[] = [];

  const measure = () => {
    const f = trainer.evaluate();
    rows.push({ step: trainer.step, chosen: f.usage * NUM_CODES, perplexity: f.perplexity });
    if (rows.length > MAX_HISTORY) rows = rows.filter((_, i) => i % 2 === 0 || i === rows.length - 1);
    drawPlane(f);
    history.chart.data.datasets[0].data = rows.map((r) => ({ x: r.step, y: r.chosen }));
    history.chart.data.datasets[1].data = rows.map((r) => ({ x: r.step, y: r.perplexity }));
    history.redraw();
    const state = `${RULES.find((r) => r.value === rule)!.label}, restarts ${restarts ? "on" : "off"}`;
    const chosen = Math.round(f.usage * NUM_CODES);
    history.summarize(`${state}: after ${trainer.step} steps, ${chosen} of ${NUM_CODES} codes are chosen; perplexity ${f.perplexity.toFixed(1)}.`);
    out.show(`${state} · step ${trainer.step} · ${chosen} of ${NUM_CODES} codes chosen (usage ${(f.usage * 100).toFixed(0)}%) · perplexity ${f.perplexity.toFixed(2)}`);
    hooks().collapse = { running, step: trainer.step, usage: f.usage, perplexity: f.perplexity, rule, restarts, historyLength: rows.length };
  };
  const drawPlane = (f: CodebookFigures) => {
    const codes = trainer.codes();
    const set = plane.chart.data.datasets[1];
    set.data = codes.map(([x, y]) => ({ x, y }));
    set.backgroundColor = codes.map((_, k) => (f.counts[k] > 0 ? COLORS.sampled : HOLLOW));
    plane.redraw();
    const unused = codes.filter((_, k) => f.counts[k] === 0).length;
    plane.summarize(`The ring of data and ${NUM_CODES} codes; ${unused} of them, drawn hollow, are chosen by no point.`);
  };
  const reset = () => {
    trainer = new CodebookTrainer(data, { rule, restarts });
    rows = [];
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

  choice(controls, "Codes learn by", RULES, rule, (v) => {
    rule = v;
    reset();
  }, "rule");
  checkbox(controls, "dead-code restarts", restarts, (on) => {
    restarts = on;
    reset();
  }, "restarts");
  const startButton = button(controls, "Start", () => {
    running = !running;
    startButton.textContent = running ? "Pause" : "Start";
    measure();
    if (running) requestAnimationFrame(frame);
  }, "start");
  button(controls, "Reset", reset, "reset");
  reset();
}
