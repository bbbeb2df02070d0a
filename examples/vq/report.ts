// The report: charts drawn by Vega-Lite (rendered to SVG in Node, no browser), and one HTML page.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as vega from "vega";
import * as vl from "vega-lite";
import type { Tensor } from "../../src/index.js";
import type { DataSet } from "./data.js";
import { LABELS, formatTable, type RunResult } from "./runs.js";

/** Compiles a Vega-Lite spec and renders it to an SVG string, headless. */
export async function renderSvg(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** The loss of every `stride`-th step, averaged over the stride (keeps the charts light). */
function lossCurve(r: RunResult, points = 200): { quantizer: string; step: number; loss: number }[] {
  const stride = Math.max(1, Math.ceil(r.losses.length / points));
  const out = [];
  for (let s = 0; s < r.losses.length; s += stride) {
    const window = r.losses.slice(s, s + stride);
    out.push({ quantizer: LABELS[r.name], step: s + window.length, loss: window.reduce((a, b) => a + b, 0) / window.length });
  }
  return out;
}

function lossChart(results: RunResult[]): vl.TopLevelSpec {
  const trained = results.filter((r) => r.losses.length > 0);
  return {
    title: "Training loss (reconstruction + quantizer terms)",
    width: 560, height: 260,
    data: { values: trained.flatMap((r) => lossCurve(r)) },
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step" },
      y: { field: "loss", type: "quantitative", title: "loss", scale: { type: "log" } },
      color: { field: "quantizer", type: "nominal", sort: trained.map((r) => LABELS[r.name]) },
    },
  };
}

function epochChart(results: RunResult[]): vl.TopLevelSpec {
  const trained = results.filter((r) => r.epochs.length > 0);
  const values = trained.flatMap((r) => r.epochs.flatMap((e) => [
    { quantizer: LABELS[r.name], step: e.step, figure: "reconstruction error (MSE)", value: e.reconstruction },
    { quantizer: LABELS[r.name], step: e.step, figure: "codebook usage in the epoch", value: e.usage },
    { quantizer: LABELS[r.name], step: e.step, figure: "perplexity in the epoch", value: e.perplexity },
  ]));
  return {
    title: "Per epoch",
    data: { values },
    facet: { column: { field: "figure", type: "nominal", title: null } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 240, height: 200,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "step", type: "quantitative" },
        y: { field: "value", type: "quantitative", title: null },
        color: { field: "quantizer", type: "nominal", sort: trained.map((r) => LABELS[r.name]) },
      },
    },
  };
}

function usageChart(results: RunResult[]): vl.TopLevelSpec {
  const values = results.flatMap((r) => {
    const sorted = Array.from(r.counts).sort((a, b) => b - a);
    return sorted.map((count, rank) => ({ quantizer: LABELS[r.name], rank: rank + 1, count }));
  });
  return {
    title: "Codebook usage on the whole data set (codes sorted by use)",
    data: { values },
    facet: { row: { field: "quantizer", type: "nominal", sort: results.map((r) => LABELS[r.name]), title: null } },
    spec: {
      width: 560, height: 70,
      mark: "bar",
      encoding: {
        x: { field: "rank", type: "ordinal", title: "code (by rank)", axis: { labels: false, ticks: false } },
        y: { field: "count", type: "quantitative", title: "points" },
      },
    },
  };
}

/** The top two principal axes of the rows of x, by power iteration with deflation. */
export function principalAxes(x: Tensor, iterations = 100): { mean: Float64Array; axes: Float64Array[] } {
  const [n, d] = x.shape;
  const v = x.values();
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += v[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = v[i * d + a] - mean[a];
      for (let b = 0; b < d; b++) cov[a * d + b] += (da * (v[i * d + b] - mean[b])) / n;
    }
  }
  const axes: Float64Array[] = [];
  for (let k = 0; k < 2; k++) {
    let u = Float64Array.from({ length: d }, (_, j) => 1 + j / d);
    for (let it = 0; it < iterations; it++) {
      const next = new Float64Array(d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) next[a] += cov[a * d + b] * u[b];
      for (const prev of axes) {
        const dot = next.reduce((s, val, j) => s + val * prev[j], 0);
        for (let j = 0; j < d; j++) next[j] -= dot * prev[j];
      }
      const norm = Math.hypot(...next) || 1;
      u = next.map((val) => val / norm);
    }
    axes.push(u);
  }
  return { mean, axes };
}

function project(x: Tensor, pca: { mean: Float64Array; axes: Float64Array[] }, limit = Infinity): { pc1: number; pc2: number }[] {
  const [n, d] = x.shape;
  const v = x.values();
  const out = [];
  const stride = Math.max(1, Math.ceil(n / limit));
  for (let i = 0; i < n; i += stride) {
    const [p1, p2] = pca.axes.map((axis) => axis.reduce((s, a, j) => s + a * (v[i * d + j] - pca.mean[j]), 0));
    out.push({ pc1: p1, pc2: p2 });
  }
  return out;
}

function codesChart(data: DataSet, results: RunResult[]): vl.TopLevelSpec {
  const pca = principalAxes(data.x);
  const panels = results.map((r) => LABELS[r.name]);
  // the data and the true centres are the same in every panel: project them once
  const shownData = project(data.x, pca, 1200);
  const shownCentres = data.centres ? project(data.centres, pca) : [];
  const points = panels.flatMap((panel) => shownData.map((p) => ({ ...p, panel, kind: "data" })));
  const codes = results.flatMap((r) => project(r.codePoints, pca).map((p, k) => ({ ...p, panel: LABELS[r.name], kind: r.counts[k] > 0 ? "code" : "unused code" })));
  const centres = panels.flatMap((panel) => shownCentres.map((p) => ({ ...p, panel, kind: "true centre" })));
  return {
    title: "Codes over the data, projected on the data's two principal axes (codes decoded to data space; green crosses: true centres)",
    data: { values: [...points, ...centres, ...codes] },
    facet: { field: "panel", type: "nominal", sort: panels, title: null },
    columns: 3,
    spec: {
      width: 240, height: 240,
      layer: [
        { transform: [{ filter: "datum.kind === 'data'" }], mark: { type: "circle", size: 6, opacity: 0.35, color: "#9a9a9a" }, encoding: { x: { field: "pc1", type: "quantitative" }, y: { field: "pc2", type: "quantitative" } } },
        { transform: [{ filter: "datum.kind === 'true centre'" }], mark: { type: "point", shape: "cross", size: 60, color: "#2a7", strokeWidth: 1.5 }, encoding: { x: { field: "pc1", type: "quantitative" }, y: { field: "pc2", type: "quantitative" } } },
        {
          transform: [{ filter: "datum.kind === 'code' || datum.kind === 'unused code'" }],
          mark: { type: "point", shape: "diamond", size: 40, filled: true },
          encoding: {
            x: { field: "pc1", type: "quantitative" },
            y: { field: "pc2", type: "quantitative" },
            color: { field: "kind", type: "nominal", title: null, scale: { domain: ["code", "unused code"], range: ["#d33", "#222"] } },
          },
        },
      ],
    },
  };
}

/** Originals in the first row, each quantizer's reconstructions below, as 8×8 grey images. */
function reconstructionChart(data: DataSet, results: RunResult[], count = 12): vl.TopLevelSpec {
  const { height, width } = data.image!;
  const pixels = height * width;
  const stride = Math.floor(data.x.shape[0] / count);
  const rows: { name: string; x: Tensor }[] = [{ name: "original", x: data.x }, ...results.map((r) => ({ name: LABELS[r.name], x: r.reconstruction }))];
  const values = rows.flatMap(({ name, x }) => {
    const v = x.values();
    return Array.from({ length: count }, (_, k) => k * stride).flatMap((n, k) =>
      Array.from({ length: pixels }, (_, p) => ({ row: name, image: k, px: p % width, py: Math.floor(p / width), value: v[n * pixels + p] })),
    );
  });
  return {
    title: "Digits: originals (top) and reconstructions from each quantizer's codes",
    data: { values },
    facet: {
      row: { field: "row", type: "nominal", sort: rows.map((r) => r.name), title: null, header: { labelAngle: 0, labelAlign: "left" } },
      column: { field: "image", type: "ordinal", title: null, header: { labels: false } },
    },
    spacing: 2,
    spec: {
      width: 40, height: 40,
      mark: "rect",
      encoding: {
        x: { field: "px", type: "ordinal", axis: null },
        y: { field: "py", type: "ordinal", axis: null },
        color: { field: "value", type: "quantitative", scale: { scheme: "greys", domain: [0, 1], clamp: true }, legend: null },
      },
    },
  };
}

/** Writes the SVG charts and report.html into `dir`; returns the files written. */
export async function writeReport(dir: string, data: DataSet, results: RunResult[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const charts: [string, vl.TopLevelSpec][] = [
    ["loss-curves.svg", lossChart(results)],
    ["epochs.svg", epochChart(results)],
    ["codebook-usage.svg", usageChart(results)],
    ["codes-2d.svg", codesChart(data, results)],
  ];
  if (data.image) charts.push(["reconstructions.svg", reconstructionChart(data, results)]);
  const svgs: [string, string][] = [];
  for (const [file, spec] of charts) {
    const svg = await renderSvg(spec);
    await writeFile(join(dir, file), svg);
    svgs.push([file, svg]);
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>VQ codebook report: ${data.name}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}pre{background:#f6f6f6;padding:1em;overflow-x:auto}figure{margin:2em 0}</style>
</head><body>
<h1>VQ codebook lookup: ${data.name}</h1>
<p>${data.x.shape[0]} examples of dimension ${data.x.shape[1]}. Distortion is the mean over examples of ‖x − x̂‖², the squared distance
from an example to its reconstruction from its code; k-means (Lloyd's algorithm, best of 10 k-means++ starts) is the reference.</p>
<pre>${formatTable(results)}</pre>
${svgs.map(([file, svg]) => `<figure>${svg}<figcaption>${file}</figcaption></figure>`).join("\n")}
</body></html>
`;
  await writeFile(join(dir, "report.html"), html);
  return [...svgs.map(([file]) => file), "report.html"];
}
