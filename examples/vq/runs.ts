// The comparison: each quantizer trained on the same data from the same seed, and k-means.
import { join } from "node:path";
import { markdownTable } from "markdown-table";
import { GumbelQuantizer, Rng, Tensor, VectorQuantizer, codebookStats, expDecayTau, kmeans, type Quantizer } from "../../src/index.js";
import { fsReason } from "../cli-common.js";
import type { QuantizerName } from "./cli.js";
import type { DataSet } from "./data.js";
import { VQAutoencoder, distortion } from "./model.js";
import { train, type EpochFigures } from "./train.js";
import type { Progress } from "../progress.js";

export const LABELS: Record<QuantizerName | "kmeans", string> = {
  st: "ST (VQ-VAE)",
  ema: "ST + EMA",
  restart: "ST + EMA + restarts",
  gumbel: "Gumbel (ST)",
  kmeans: "k-means (Lloyd)",
};

/** One row of summary.json. */
export interface Entry {
  distortion: number;
  kmeansDistortion: number;
  usage: number;
  perplexity: number;
  steps: number;
  seconds: number;
}

export interface RunResult {
  name: QuantizerName | "kmeans";
  entry: Entry;
  losses: number[];
  epochs: EpochFigures[];
  /** How many points chose each code, over the whole data set. */
  counts: Int32Array;
  /** The data-space point each code stands for (decoded code, or k-means centroid): [K, D]. */
  codePoints: Tensor;
  /** Reconstructions of the whole data set. */
  reconstruction: Tensor;
}

export interface RunSettings {
  codes: number;
  steps: number;
  seed: number;
  batchSize: number;
  hidden: number;
  codeDim: number;
  lr: number;
}

/** Sizes of the model for a data set: small enough that plain-JS kernels train it in seconds. */
export function settingsFor(data: DataSet, codes: number, steps: number, seed: number): RunSettings {
  const inputDim = data.x.shape[1];
  return inputDim > 32
    ? { codes, steps, seed, batchSize: 128, hidden: 96, codeDim: 16, lr: 2e-3 }
    : { codes, steps, seed, batchSize: 128, hidden: 64, codeDim: 8, lr: 2e-3 };
}

/** The reference: Lloyd's algorithm from the best of 10 k-means++ starts, in data space. */
export function runKMeans(data: DataSet, s: RunSettings): RunResult {
  const started = performance.now();
  const km = kmeans(data.x, s.codes, { rng: new Rng(s.seed).split(), restarts: 10 });
  const stats = codebookStats(km.assignments, s.codes);
  const reconstruction = km.centroids.indexSelect(0, Array.from(km.assignments)); // each row's centroid
  return {
    name: "kmeans",
    entry: {
      distortion: km.distortion, kmeansDistortion: km.distortion, usage: stats.usage, perplexity: stats.perplexity,
      steps: km.iterations, seconds: (performance.now() - started) / 1000,
    },
    losses: [], epochs: [], counts: stats.counts, codePoints: km.centroids, reconstruction,
  };
}

function makeQuantizer(name: QuantizerName, s: RunSettings, rng: Rng): Quantizer {
  const common = { numCodes: s.codes, dim: s.codeDim, rng };
  switch (name) {
    case "st":
      return new VectorQuantizer(common);
    case "ema":
      return new VectorQuantizer({ ...common, ema: true });
    case "restart":
      return new VectorQuantizer({ ...common, ema: true, restartDeadCodes: true, init: "kmeans++" });
    case "gumbel":
      return new GumbelQuantizer({ ...common, hard: true, tau: expDecayTau({ tau0: 2, rate: 3 / s.steps, min: 0.5 }), klWeight: 0.01 });
  }
}

/** Trains one autoencoder with the named quantizer and measures it on the whole data set. */
export function runQuantizer(name: QuantizerName, data: DataSet, s: RunSettings, kmeansDistortion: number, progress: Progress, checkpointDir?: string): RunResult {
  // The same seed for every quantizer: same encoder/decoder init and the same batches.
  const rng = new Rng(s.seed);
  const modelRng = rng.split();
  const batchRng = rng.split();
  const quantizer = makeQuantizer(name, s, rng.split());
  const model = new VQAutoencoder(data.x.shape[1], s.hidden, s.codeDim, quantizer, modelRng);
  const stepsPerEpoch = Math.max(1, Math.floor(data.x.shape[0] / s.batchSize));
  const epochs = Math.ceil(s.steps / stepsPerEpoch);
  const every = epochs <= 12 ? 1 : Math.ceil(epochs / 10);
  progress.log(`\n${LABELS[name]}: ${s.steps} steps, ${epochs} epochs of ${stepsPerEpoch} steps${every > 1 ? ` (printing every ${every} epochs)` : ""}`);
  progress.start(name, s.steps);
  const run = train(model, data.x, s.codes, {
    steps: s.steps, batchSize: s.batchSize, lr: s.lr, rng: batchRng,
    checkpointPath: checkpointDir && join(checkpointDir, `checkpoint-${name}.safetensors`),
    onCheckpointError: (err) => progress.warn(`  warning: cannot write checkpoints to ${checkpointDir} (${fsReason(err)}); training goes on without them`),
    onStep: (step, loss) => progress.update(step, loss),
    onEpoch: (f) => {
      if (f.epoch % every === 0 || f.step === s.steps) {
        progress.log(`  epoch ${String(f.epoch).padStart(3)}  loss ${f.loss.toFixed(4)}  recon ${f.reconstruction.toFixed(4)}  usage ${(100 * f.usage).toFixed(0).padStart(3)}%  perplexity ${f.perplexity.toFixed(2)}`);
      }
    },
  });
  progress.finish();
  const { reconstruction, indices } = model.reconstruct(data.x);
  const stats = codebookStats(indices, s.codes);
  return {
    name,
    entry: {
      distortion: distortion(data.x, reconstruction), kmeansDistortion, usage: stats.usage, perplexity: stats.perplexity,
      steps: s.steps, seconds: run.seconds,
    },
    losses: run.losses, epochs: run.epochs, counts: stats.counts,
    codePoints: model.decodedCodes(quantizer.codebook),
    reconstruction,
  };
}

/** The comparison as a fixed-width text table. */
export function formatTable(results: RunResult[]): string {
  const header = ["quantizer", "distortion", "vs k-means", "usage", "perplexity", "steps", "seconds"];
  const rows = results.map((r) => [
    LABELS[r.name],
    r.entry.distortion.toFixed(4),
    r.name === "kmeans" ? "1.000" : (r.entry.distortion / r.entry.kmeansDistortion).toFixed(3),
    `${(100 * r.entry.usage).toFixed(1)}%`,
    r.entry.perplexity.toFixed(2),
    String(r.entry.steps),
    r.entry.seconds.toFixed(1),
  ]);
  return markdownTable([header, ...rows], { align: ["l", "r", "r", "r", "r", "r", "r"] });
}
