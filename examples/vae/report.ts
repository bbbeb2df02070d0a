// The table, and the HTML report: training curves of every estimator on one chart, test digits and
// their reconstructions, and digits decoded from prior samples, drawn by Vega-Lite as image grids.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { markdownTable } from "markdown-table";
import type * as vl from "vega-lite";
import { Rng, cast, fromData, noGrad, oneHot, sigmoid, slice, type Tensor } from "../../src/index.js";
import { renderSvg } from "../vq/report.js";
import type { VaeData } from "./data.js";
import { DECODER_PASSES, ESTIMATOR_LABELS, type EstimatorName } from "./model.js";
import type { TrainedEstimator } from "./train.js";

/** A row of summary.json. */
export interface SummaryRow {
  estimator: EstimatorName;
  trainNegElbo: number;
  testNegElbo: number;
  testNll: number;
  seconds: number;
  epochs: number;
}

export function summaryRow(r: TrainedEstimator): SummaryRow {
  return { estimator: r.estimator, trainNegElbo: r.trainNegElbo, testNegElbo: r.testNegElbo, testNll: r.testNll, seconds: r.seconds, epochs: r.epochs.length };
}

export function formatTable(rows: SummaryRow[]): string {
  const header = ["estimator", "decoder passes", "train −ELBO", "test −ELBO", "test NLL ≈", "seconds"];
  const body = rows.map((r) => [
    ESTIMATOR_LABELS[r.estimator],
    String(DECODER_PASSES[r.estimator]),
    r.trainNegElbo.toFixed(2),
    r.testNegElbo.toFixed(2),
    r.testNll.toFixed(2),
    r.seconds.toFixed(1),
  ]);
  return markdownTable([header, ...body], { align: ["l", "r", "r", "r", "r", "r"] });
}

function curvesChart(results: TrainedEstimator[]): vl.TopLevelSpec {
  const order = results.map((r) => ESTIMATOR_LABELS[r.estimator]);
  return {
    title: "Training −ELBO per epoch (of the sample each estimator decodes; nats per image)",
    width: 560, height: 280,
    data: { values: results.flatMap((r) => r.epochs.map((e) => ({ estimator: ESTIMATOR_LABELS[r.estimator], epoch: e.epoch, negElbo: e.negElbo }))) },
    mark: { type: "line", point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: "epoch", type: "quantitative" },
      y: { field: "negElbo", type: "quantitative", title: "−ELBO", scale: { zero: false } },
      color: { field: "estimator", type: "nominal", sort: order },
    },
  };
}

/** Rows of grey images, one row per entry: `images` [count, height·width] with values in [0, 1]. */
function imageGrid(title: string, rows: { name: string; images: Tensor }[], data: VaeData): vl.TopLevelSpec {
  const { height, width } = data;
  const pixels = height * width;
  const values = rows.flatMap(({ name, images }) => {
    const v = images.values();
    return Array.from({ length: images.shape[0] }, (_, k) => k).flatMap((k) =>
      Array.from({ length: pixels }, (_, p) => ({ row: name, image: k, px: p % width, py: Math.floor(p / width), value: v[k * pixels + p] })),
    );
  });
  const size = height <= 8 ? 40 : 56;
  return {
    title,
    data: { values },
    facet: {
      row: { field: "row", type: "nominal", sort: rows.map((r) => r.name), title: null, header: { labelAngle: 0, labelAlign: "left" } },
      column: { field: "image", type: "ordinal", title: null, header: { labels: false } },
    },
    spacing: 2,
    spec: {
      width: size, height: size,
      mark: "rect",
      encoding: {
        x: { field: "px", type: "ordinal", axis: null },
        y: { field: "py", type: "ordinal", axis: null },
        color: { field: "value", type: "quantitative", scale: { scheme: "greys", domain: [0, 1] }, legend: null },
      },
    },
  };
}

/** Pixel probabilities σ(decoder(z)) for one-hot latents drawn from q(z | x) (x given) or from the uniform prior. */
function decodedImages(r: TrainedEstimator, rng: Rng, x: Tensor | null, count: number): Tensor {
  return noGrad(() => {
    const { latents, categories } = r.model.sizes;
    if (x) return sigmoid(r.model.decode(r.model.discreteSample(r.model.encode(x), rng).z));
    const codes = fromData(Int32Array.from({ length: count * latents }, () => Math.floor(rng.uniform() * categories)), [count, latents]);
    const z = cast(oneHot(codes, categories), r.model.dtype);
    return sigmoid(r.model.decode(z));
  });
}

/** Writes the SVG charts and report.html into `dir`; returns the files written. */
export async function writeReport(dir: string, data: VaeData, results: TrainedEstimator[], seed: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const count = data.height <= 8 ? 12 : 8;
  const originals = slice(data.test, 0, 0, count);
  const charts: [string, vl.TopLevelSpec][] = [["curves.svg", curvesChart(results)]];
  if (results.length > 0) {
    charts.push(["reconstructions.svg", imageGrid("Test digits (top) and their reconstructions σ(decoder(z)), z a one-hot sample of q(z | x)",
      [{ name: "test digit", images: originals }, ...results.map((r) => ({ name: ESTIMATOR_LABELS[r.estimator], images: decodedImages(r, new Rng(seed), originals, count) }))], data)]);
    charts.push(["prior-samples.svg", imageGrid("Digits decoded from samples of the uniform prior (the same latents in every row)",
      results.map((r) => ({ name: ESTIMATOR_LABELS[r.estimator], images: decodedImages(r, new Rng(seed), null, count) })), data)]);
  }
  const svgs: [string, string][] = [];
  for (const [file, spec] of charts) {
    const svg = await renderSvg(spec);
    await writeFile(join(dir, file), svg);
    svgs.push([file, svg]);
  }
  const { latents, categories } = results[0]?.model.sizes ?? { latents: 0, categories: 0 };
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Categorical VAE: ${data.name}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}pre{background:#f6f6f6;padding:1em;overflow-x:auto}figure{margin:2em 0}</style>
</head><body>
<h1>Categorical VAE on ${data.name}: the gradient estimators side by side</h1>
<p>${data.train.shape[0]} training and ${data.test.shape[0]} test images of ${data.height}×${data.width} binary pixels; ${latents} categorical
latents of ${categories} classes. The −ELBO and the NLL estimate are in nats per image, with one-hot latents whatever the estimator
trained with (−ELBO: mean of 10 draws; NLL: importance sampling with 100 draws of q).</p>
<pre>${formatTable(results.map(summaryRow))}</pre>
${svgs.map(([file, svg]) => `<figure>${svg}<figcaption>${file}</figcaption></figure>`).join("\n")}
</body></html>
`;
  await writeFile(join(dir, "report.html"), html);
  return [...svgs.map(([file]) => file), "report.html"];
}
