// Every chart on the page is a Chart.js chart on a <canvas>. Only the pieces the page uses are
// registered, so the bundle carries nothing else. A canvas is one image to a screen reader: each
// chart carries a short text summary (aria-label) instead of hundreds of unlabelled points.
import {
  BarController, BarElement, CategoryScale, Chart, LineController, LineElement, LinearScale, LogarithmicScale,
  PointElement, ScatterController, Tooltip, type ChartConfiguration, type ChartType, type Plugin,
} from "chart.js";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, ScatterController, CategoryScale, LinearScale, LogarithmicScale, Tooltip);

/**
 * One colour per concept and per estimator, the same in every panel. Hues from the Okabe–Ito
 * colour-blind-safe set (and darker relatives where a hue was too light), each at least 3:1 against
 * white; within any one chart, the colours stay apart under simulated protan, deutan and tritan vision.
 */
export const COLORS = {
  /** What sampling should match: π, the exact gradient, the best achievable loss. */
  reference: "#555555",
  /** The data of the codebook panels. */
  data: "#767676",
  /** A real sample: a Gumbel-max draw, a one-hot. */
  sampled: "#0072B2",
  /** The Gumbel-softmax relaxation y, and its gradient GS. */
  gumbelSoftmax: "#D55E00",
  /** Straight-through: ST-GS, and the straight-through codebook lookup. */
  straightThrough: "#009E73",
  gumbelRao: "#1A85FF",
  reinMax: "#AA4499",
  reinforce: "#882255",
  leaveOneOut: "#332288",
  /** A softmax without noise (the soft codebook lookup). */
  soft: "#8A5BC7",
  /** The reader's setting: your τ, a schedule. */
  setting: "#000000",
};

export const INK = "#222222";
const GRID = "#e2e2e2";
/** Chart text is never below 12 px. */
const CHART_FONT_SIZE = 13;

Chart.defaults.font.family = "system-ui, sans-serif";
Chart.defaults.font.size = CHART_FONT_SIZE;
Chart.defaults.color = INK;
Chart.defaults.borderColor = GRID;
Chart.defaults.animation = false; // live updates redraw at once; nothing to wait for
Chart.defaults.maintainAspectRatio = false; // the CSS gives every chart its height
// Tick labels stay level: rotated labels are hard to read and steal height from small charts.
Object.assign(Chart.defaults.scale.ticks, { maxRotation: 0 });
Chart.defaults.plugins.tooltip.bodyFont = { size: CHART_FONT_SIZE };
Chart.defaults.plugins.tooltip.titleFont = { size: CHART_FONT_SIZE, weight: "bold" };

// ---- direct labels and whiskers ----------------------------------------------------------------

declare module "chart.js" {
  interface ChartDatasetProperties<TType extends ChartType, TData> {
    /** Text beside the line's last point (or first), in the line's colour, instead of a legend. */
    directLabel?: string;
    directLabelAt?: "first" | "last";
    /** Vertical whiskers over bars: [low, high] for each bar. */
    whiskers?: [number, number][];
  }
}

/** Leaves this much room after the last point, where the labels go. */
export const LABEL_ROOM = 92;

const directLabels: Plugin = {
  id: "directLabels",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `${CHART_FONT_SIZE}px ${Chart.defaults.font.family}`;
    ctx.textBaseline = "middle";
    const boxes = chart.data.datasets.flatMap((dataset, index) => {
      const meta = chart.getDatasetMeta(index);
      const text = dataset.directLabel;
      if (!text || !chart.isDatasetVisible(index) || meta.data.length === 0) return [];
      const first = dataset.directLabelAt === "first";
      const point = first ? meta.data[0] : meta.data[meta.data.length - 1];
      if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) return [];
      const width = ctx.measureText(text).width;
      const left = first ? point.x - 6 - width : point.x + 6;
      return [{ text, left, right: left + width, y: point.y, color: String(dataset.borderColor) }];
    });
    for (const box of placeApart(boxes, CHART_FONT_SIZE + 2)) {
      ctx.fillStyle = darkEnoughForText(box.color);
      ctx.fillText(box.text, box.left, box.y);
    }
    ctx.restore();
  },
};

interface LabelBox {
  left: number;
  right: number;
  y: number;
}

/** Highest first, each label moves down until it clears every label above it that it overlaps sideways. */
function placeApart<B extends LabelBox>(boxes: B[], lineHeight: number): B[] {
  const placed: B[] = [];
  for (const box of [...boxes].sort((a, b) => a.y - b.y)) {
    for (const other of placed) {
      const sideBySide = box.left < other.right && other.left < box.right;
      if (sideBySide && box.y < other.y + lineHeight) box.y = other.y + lineHeight;
    }
    placed.push(box);
  }
  return placed;
}

/** Text needs 4.5:1, marks only 3:1: the three palette hues lighter than 4.5:1 get darker text. */
function darkEnoughForText(color: string): string {
  const darker: Record<string, string> = { [COLORS.gumbelSoftmax]: "#B34E00", [COLORS.straightThrough]: "#00795A", [COLORS.gumbelRao]: "#0F6FD6" };
  return darker[color] ?? color;
}

const whiskers: Plugin = {
  id: "whiskers",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const y = chart.scales.y;
    ctx.save();
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1.5;
    chart.data.datasets.forEach((dataset, index) => {
      const ranges = dataset.whiskers ?? [];
      chart.getDatasetMeta(index).data.forEach((bar, i) => {
        const range = ranges[i];
        if (!range || range[0] === range[1]) return;
        const [top, bottom] = [y.getPixelForValue(range[1]), y.getPixelForValue(range[0])];
        ctx.beginPath();
        ctx.moveTo(bar.x, top);
        ctx.lineTo(bar.x, bottom);
        ctx.moveTo(bar.x - 4, top);
        ctx.lineTo(bar.x + 4, top);
        ctx.moveTo(bar.x - 4, bottom);
        ctx.lineTo(bar.x + 4, bottom);
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};

Chart.register(directLabels, whiskers);

// ---- charts with a text summary ----------------------------------------------------------------

export interface LiveChart<T extends ChartType = ChartType> {
  chart: Chart<T>;
  /** Redraws after the datasets or options were changed in place. */
  redraw(): void;
  /** The one sentence a screen reader hears for this chart. */
  summarize(text: string): void;
}

/** What a chart draws text and marks with, for the tests' checks of size and contrast. */
export interface ChartAudit {
  summary: string;
  fontSizes: number[];
  markColors: string[];
  textColors: string[];
}

const created: Chart[] = [];

export function auditCharts(): ChartAudit[] {
  return created.map((chart) => {
    // every scale on the page is cartesian, with ticks and a title
    const scales = Object.values(chart.scales) as unknown as { options: { ticks: { font: unknown }; title?: { display: boolean; font: unknown } } }[];
    const datasets = chart.data.datasets;
    const colors = datasets.flatMap((d) => [d.borderColor, d.backgroundColor].flat()).filter((c): c is string => typeof c === "string");
    return {
      summary: chart.canvas.getAttribute("aria-label") ?? "",
      fontSizes: [CHART_FONT_SIZE, ...scales.flatMap((s) => [fontSize(s.options.ticks.font), s.options.title?.display ? fontSize(s.options.title.font) : CHART_FONT_SIZE])],
      markColors: colors.filter((c) => c !== HOLLOW),
      textColors: [String(Chart.defaults.color), ...datasets.filter((d) => d.directLabel).map((d) => darkEnoughForText(String(d.borderColor)))],
    };
  });
}

function fontSize(font: unknown): number {
  return (font as { size?: number } | undefined)?.size ?? Chart.defaults.font.size ?? 0;
}

/** The fill of a hollow mark: the page's own background, not a mark. */
export const HOLLOW = "#ffffff";

/** A chart on a new canvas in `host`, described to assistive technology by `summary`. */
export function createChart<T extends ChartType>(host: HTMLElement, config: ChartConfiguration<T>, summary: string): LiveChart<T> {
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", summary);
  host.appendChild(canvas);
  const chart = new Chart(canvas, config);
  created.push(chart as unknown as Chart);
  return {
    chart,
    redraw: () => chart.update("none"),
    summarize: (text) => canvas.setAttribute("aria-label", text),
  };
}

/** Gives a y axis a fixed width, so two charts stacked above each other line up. */
export function fixedAxisWidth(axis: { width: number }): void {
  axis.width = 64;
}

/** Axis titles: always shown, in chart text size. */
export function axisTitle(text: string) {
  return { display: true, text, font: { size: CHART_FONT_SIZE } };
}

/** A number for a tick or a tooltip: three significant digits, no trailing zeros, no exponent soup. */
export function formatNumber(value: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1000 || magnitude < 0.001) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

/** Ticks at whole numbers only: an axis bound such as 4.5 gets no label. */
export function wholeTicks(value: number | string): string {
  return Number.isInteger(Number(value)) ? String(value) : "";
}

/** A logarithmic axis labelled, and ruled, at powers of ten only. */
export function logAxis(min: number, max: number, title?: string) {
  return {
    type: "logarithmic" as const, min, max,
    title: title ? axisTitle(title) : { display: false },
    ticks: { callback: decadeTicks, autoSkip: false },
    grid: { color: (context: { tick?: { value: number } }) => (context.tick && decadeTicks(context.tick.value) ? GRID : "transparent") },
  };
}

/** Ticks of a logarithmic axis at powers of ten only (0.01, 0.1, 1, 10), so labels never crowd. */
function decadeTicks(value: number | string): string {
  const exponent = Math.log10(Number(value));
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? formatNumber(Number(value)) : "";
}
