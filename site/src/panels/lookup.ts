// Panel 7: a codebook lookup between an encoder and a decoder, three ways side by side (see
// codebook/lookups.ts). Each is scored by what a discrete lookup gives: the decoder fed the chosen code.
import { COLORS, axisTitle, createChart, formatNumber, logAxis } from "../charts.js";
import { button, key, readout } from "../controls.js";
import { hooks } from "../hooks.js";
import { ringMixture } from "../codebook/mixture.js";
import { LOOKUPS, LookupModel, type LookupErrors, type LookupKind } from "../codebook/lookups.js";
import { nextFrame } from "../schedule.js";

const LOOKUP_STEPS = 300;
const MEASURE_EVERY = 10;
const STEPS_PER_FRAME = 5;

const STYLE: Record<LookupKind, { name: string; color: string }> = {
  soft: { name: "soft", color: COLORS.soft },
  gumbel: { name: "Gumbel", color: COLORS.gumbelSoftmax },
  st: { name: "ST", color: COLORS.straightThrough },
};

export function lookupPanel(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>(".controls")!;
  const out = readout(root.querySelector<HTMLElement>(".numbers")!);
  const data = ringMixture();
  key(root.querySelector<HTMLElement>("figcaption")!, [
    ...LOOKUPS.map((kind) => ({ color: STYLE[kind].color, text: `${STYLE[kind].name}: decoding the chosen code`, mark: "line" as const })),
    { color: COLORS.reference, text: "dashed: decoding the blend it trained on", mark: "dashed" },
  ]);
  // Solid: the chosen code. Dashed: the training blend (soft and Gumbel only; ST trains on the code itself).
  const datasets = [
    ...LOOKUPS.map((kind) => ({ label: `${STYLE[kind].name}, chosen code`, directLabel: STYLE[kind].name, data: [] as { x: number; y: number }[], borderColor: STYLE[kind].color, backgroundColor: STYLE[kind].color, borderWidth: 3, pointRadius: 0 })),
    ...(["soft", "gumbel"] as const).map((kind) => ({ label: `${STYLE[kind].name}, blend`, data: [] as { x: number; y: number }[], borderColor: STYLE[kind].color, backgroundColor: STYLE[kind].color, borderWidth: 2, borderDash: [6, 4], pointRadius: 0 })),
  ];
  const plot = createChart(root.querySelector<HTMLElement>(".chart")!, {
    type: "line",
    data: { datasets },
    options: {
      parsing: false,
      layout: { padding: { right: 64 } },
      scales: {
        x: { type: "linear", min: 0, max: LOOKUP_STEPS, title: axisTitle("training step"), ticks: { precision: 0 } },
        y: logAxis(0.001, 10, "reconstruction error"),
      },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y ?? 0)}` } } },
    },
  }, "Reconstruction error of three codebook lookups against the training step; press Train to start.");

  let generation = 0;
  let running = false;
  const train = async () => {
    const mine = ++generation;
    running = true;
    trainButton.textContent = "Train again";
    const models = LOOKUPS.map((kind) => new LookupModel(kind, data));
    const history: Record<LookupKind, (LookupErrors & { step: number })[]> = { soft: [], gumbel: [], st: [] };
    const measure = () => models.forEach((m) => history[m.kind].push({ step: m.step, ...m.errors() }));
    measure();
    for (let step = 1; step <= LOOKUP_STEPS; step++) {
      for (const model of models) model.trainStep();
      if (step % MEASURE_EVERY === 0) measure();
      if (step % STEPS_PER_FRAME === 0) {
        draw(history);
        out.show(`Training the three side by side: step ${step} of ${LOOKUP_STEPS}…`);
        hooks().lookup = { running, step, final: null };
        await nextFrame();
        if (mine !== generation) return;
      }
    }
    running = false;
    const last = (kind: LookupKind) => history[kind][history[kind].length - 1];
    const final: Record<LookupKind, LookupErrors> = { soft: last("soft"), gumbel: last("gumbel"), st: last("st") };
    const text = LOOKUPS.map((kind) => `${STYLE[kind].name} ${final[kind].looked.toFixed(3)}`).join(", ");
    plot.summarize(`After ${LOOKUP_STEPS} steps, the error decoding the chosen code: ${text}. Decoding its training blend, soft reaches ${final.soft.trained.toFixed(3)} and Gumbel ${final.gumbel.trained.toFixed(3)}.`);
    out.show(`After ${LOOKUP_STEPS} steps, error with the chosen code: ${text} · with the training blend: soft ${final.soft.trained.toFixed(3)}, Gumbel ${final.gumbel.trained.toFixed(3)}`);
    hooks().lookup = { running, step: LOOKUP_STEPS, final };
  };
  const draw = (history: Record<LookupKind, (LookupErrors & { step: number })[]>) => {
    LOOKUPS.forEach((kind, i) => {
      datasets[i].data = history[kind].map((h) => ({ x: h.step, y: h.looked }));
    });
    (["soft", "gumbel"] as const).forEach((kind, i) => {
      datasets[LOOKUPS.length + i].data = history[kind].map((h) => ({ x: h.step, y: h.trained }));
    });
    plot.redraw();
  };

  const trainButton = button(controls, "Train the three", () => void train(), "lookup-train");
  out.show(`The three train when this panel comes into view: ${LOOKUP_STEPS} steps each, on the same data, from the same starting encoder and decoder.`);
  hooks().lookup = { running, step: 0, final: null };
  // Training starts the first time the reader gets here, so the chart is never an empty frame.
  new IntersectionObserver((entries, observer) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    if (generation === 0) void train();
  }, { threshold: 0.25 }).observe(root);
}
