// Panel 5: annealing τ while logits train. Four codes sit on a line at 0, 1, 2, 3 and the target is
// 1.3, so f(y) = (y·e − 1.3)² is smallest for the one-hot of c2 (f = 0.09), while blends of c2 and c3
// reach 1.3 exactly. Three runs learn the logits θ from GS gradients with the same noise:
//   held at τ₀ (smooth but biased toward blends), held at τ_min (faithful but noisy), and annealed
//   τ_t = max(τ_min, τ₀·exp(−r·t)), updated every 10 steps (expDecayTau).
// Plotted: τ_t, and the excess loss E[f] − 0.09 of the current logits, exact by enumeration.
import {
  Adam, Rng, broadcastTo, categoricalProblem, exactObjective, expDecayTau, gumbelSoftmax, matmul, mean, oneHot, reshape,
  square, sub, sum, tensor, withLogits, zeros, type Tensor,
} from "../../../src/index.js";
import { COLORS, INK, axisTitle, createChart, fixedAxisWidth, formatNumber, LABEL_ROOM, logAxis } from "../charts.js";
import { button, key, readout, slider } from "../controls.js";
import { hooks } from "../hooks.js";
import { nextFrame, whenSettled } from "../schedule.js";
import { formatTau } from "../state.js";

const CODES = tensor([[0], [1], [2], [3]]);
const TARGET = 1.3;
const K = 4;
const STEPS = 300;
const BATCH = 8;
const LEARNING_RATE = 0.05;
const EVERY = 10;
const RECORD_EVERY = 5;
/** The excess loss is averaged over the last this many steps to rank the runs. */
const TAIL = 100;
const STEPS_PER_FRAME = 10;
const LOSS_FLOOR = 1e-3;

const problem = categoricalProblem({ name: "codes on a line", logits: [0, 0, 0, 0], f: (y) => sum(square(sub(matmul(reshape(y, [1, K]), CODES), TARGET))) });
/** min_c f(one_hot(c)): what a perfect categorical achieves. */
const BEST = Math.min(...Array.from({ length: K }, (_, c) => problem.f(reshape(oneHot([c], K), [K])).item()));

export interface ScheduleSettings {
  tau0: number;
  tauMin: number;
  rate: number;
}

export interface RunRecord {
  name: string;
  steps: number[];
  taus: number[];
  excess: number[];
  /** Mean excess loss over the last TAIL steps. */
  finalExcess: number;
}

interface Run {
  name: string;
  tauAt: (step: number) => number;
  theta: Tensor;
  optimizer: Adam;
  rng: Rng;
  record: RunRecord;
  tail: number;
}

function makeRuns(s: ScheduleSettings): Run[] {
  const annealed = expDecayTau({ tau0: s.tau0, rate: s.rate, min: s.tauMin, every: EVERY });
  const specs: [string, (step: number) => number][] = [
    ["annealed", annealed],
    [`held at ${formatTau(s.tau0)}`, () => s.tau0],
    [`held at ${formatTau(s.tauMin)}`, () => s.tauMin],
  ];
  return specs.map(([name, tauAt]) => {
    const theta = zeros([K], { requiresGrad: true });
    return {
      name, tauAt, theta, optimizer: new Adam([theta], { lr: LEARNING_RATE }),
      rng: new Rng(3), // the same noise for every run: what differs is τ alone
      record: { name, steps: [], taus: [], excess: [], finalExcess: 0 },
      tail: 0,
    };
  });
}

/** One Adam step on the mean of f over BATCH relaxed samples at τ_t. */
function trainStep(run: Run, step: number): void {
  const tau = run.tauAt(step);
  run.optimizer.zeroGrad();
  const y = gumbelSoftmax(broadcastTo(run.theta, [BATCH, K]), { tau, rng: run.rng });
  mean(square(sub(matmul(y, CODES), TARGET))).backward();
  run.optimizer.step();
  const excess = exactObjective(withLogits(problem, run.theta.detach())).item() - BEST;
  if (step >= STEPS - TAIL) run.tail += excess;
  if (step % RECORD_EVERY === 0 || step === STEPS - 1) {
    run.record.steps.push(step);
    run.record.taus.push(tau);
    run.record.excess.push(excess);
  }
}

export function annealingPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const out = readout(root.querySelector<HTMLElement>(".numbers")!);
  const settings: ScheduleSettings = { tau0: 2, tauMin: 0.1, rate: 0.015 };
  key(root.querySelector<HTMLElement>("figcaption")!, [
    { color: INK, text: "annealed", mark: "line" },
    { color: INK, text: "τ held at τ₀", mark: "dashed" },
    { color: INK, text: "τ held at τ_min", mark: "dotted" },
  ]);
  const runStyles = [[], [8, 5], [2, 3]]; // annealed, held at τ₀, held at τ_min
  const lineSets = (color: string) => runStyles.map((dash) => ({ label: "", data: [] as { x: number; y: number }[], borderColor: color, backgroundColor: color, borderWidth: 2.5, borderDash: dash, pointRadius: 0 }));
  const stepAxis = { type: "linear" as const, min: 0, max: STEPS, title: axisTitle("training step"), ticks: { precision: 0 } };
  const tauChart = createChart(root.querySelector<HTMLElement>(".chart-tau")!, {
    type: "line",
    data: { datasets: lineSets(COLORS.setting) },
    options: {
      parsing: false,
      layout: { padding: { right: LABEL_ROOM } },
      scales: { x: stepAxis, y: { ...logAxis(0.04, 6, "τ"), afterFit: fixedAxisWidth } },
      plugins: { tooltip: { enabled: false } },
    },
  }, "τ against the training step");
  const lossChart = createChart(root.querySelector<HTMLElement>(".chart-loss")!, {
    type: "line",
    data: { datasets: lineSets(COLORS.gumbelSoftmax) },
    options: {
      parsing: false,
      layout: { padding: { right: LABEL_ROOM } },
      scales: { x: stepAxis, y: { ...logAxis(LOSS_FLOOR, 2, "E[f] − best"), afterFit: fixedAxisWidth } },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y ?? 0)}` } } },
    },
  }, "Excess loss against the training step");

  let generation = 0;
  const train = async () => {
    const mine = ++generation;
    const runs = makeRuns(settings);
    for (const chart of [tauChart, lossChart]) {
      runs.forEach((run, i) => {
        chart.chart.data.datasets[i].label = run.name;
        chart.chart.data.datasets[i].directLabel = run.name;
      });
    }
    hooks().annealing = { done: false, settings: { ...settings }, every: EVERY, runs: runs.map((r) => r.record) };
    for (let step = 0; step < STEPS; step++) {
      for (const run of runs) trainStep(run, step);
      if ((step + 1) % STEPS_PER_FRAME === 0 || step === STEPS - 1) {
        draw(runs);
        await nextFrame();
        if (mine !== generation) return; // the reader changed the schedule: a new run took over
      }
    }
    for (const run of runs) run.record.finalExcess = run.tail / TAIL;
    report(runs);
    hooks().annealing = { done: true, settings: { ...settings }, every: EVERY, runs: runs.map((r) => r.record) };
  };
  const draw = (runs: Run[]) => {
    runs.forEach((run, i) => {
      tauChart.chart.data.datasets[i].data = run.record.steps.map((x, j) => ({ x, y: run.record.taus[j] }));
      // a log axis has no place for 0: an excess below its floor is drawn on the floor
      lossChart.chart.data.datasets[i].data = run.record.steps.map((x, j) => ({ x, y: Math.max(run.record.excess[j], LOSS_FLOOR) }));
    });
    tauChart.redraw();
    lossChart.redraw();
  };
  const report = (runs: Run[]) => {
    const [annealed, hot, cold] = runs.map((r) => r.record.finalExcess);
    tauChart.summarize(`τ against the step: the annealed run falls from ${formatTau(settings.tau0)} to ${formatTau(settings.tauMin)}; the other two stay at those values.`);
    lossChart.summarize(`Excess loss over the last ${TAIL} steps: annealed ${annealed.toFixed(4)}, held at τ₀ ${hot.toFixed(4)}, held at τ_min ${cold.toFixed(4)}.`);
    out.show(`Mean excess loss over the last ${TAIL} of ${STEPS} steps: annealed ${annealed.toFixed(4)} · ` +
      `${runs[1].name} ${hot.toFixed(4)} · ${runs[2].name} ${cold.toFixed(4)}`);
  };

  const retrain = whenSettled(() => void train(), 300);
  const settingSlider = (label: string, name: keyof ScheduleSettings, min: number, max: number, show: (v: number) => string) => slider(controls, {
    label, min: Math.log10(min), max: Math.log10(max), step: 0.01, value: Math.log10(settings[name]), name: `anneal-${name}`, format: (v) => show(10 ** v),
    onInput: (v) => {
      settings[name] = Number((10 ** v).toPrecision(2));
      retrain();
    },
  });
  settingSlider("τ₀, the start", "tau0", 0.5, 5, (v) => formatTau(v));
  settingSlider("τ_min, the floor", "tauMin", 0.05, 1, (v) => formatTau(v));
  settingSlider("r, the decay per step", "rate", 0.001, 0.1, (v) => v.toPrecision(2));
  button(controls, "Train again", () => void train(), "anneal-train");
  void train();
}
