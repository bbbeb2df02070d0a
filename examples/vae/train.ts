// Training one estimator: Adam, shuffled minibatches, τ annealed per epoch; then the held-out figures.
import { Adam, Rng, batches, expDecayTau, gatherRows, type FloatDType } from "../../src/index.js";
import type { Progress } from "../progress.js";
import type { VaeData } from "./data.js";
import { ESTIMATOR_LABELS, CategoricalVae, batchLoss, type EstimatorName, type VaeSizes } from "./model.js";
import { negElbo, nllEstimate } from "./evaluate.js";

export interface TrainSettings {
  sizes: VaeSizes;
  epochs: number;
  seed: number;
  dtype: FloatDType;
  batchSize: number;
  lr: number;
  /** τ starts here and decays exponentially to tauEnd, reached in the last epoch. */
  tauStart: number;
  tauEnd: number;
}

export const DEFAULT_SETTINGS = { batchSize: 100, lr: 1e-3, tauStart: 1, tauEnd: 0.5 };

/** Means over an epoch's batches of the training objective's parts. */
export interface EpochRecord {
  epoch: number;
  tau: number;
  negElbo: number;
  bce: number;
  kl: number;
}

export interface TrainedEstimator {
  estimator: EstimatorName;
  model: CategoricalVae;
  epochs: EpochRecord[];
  seconds: number;
  trainNegElbo: number;
  testNegElbo: number;
  testNll: number;
}

/**
 * The generators of a run, split from the seed in a fixed order: every estimator starts from the
 * same parameters and sees the same batches; the noise and the evaluation draws are their own.
 */
export function runGenerators(seed: number) {
  const root = new Rng(seed);
  return { init: root.split(), batches: root.split(), noise: root.split(), evaluation: root.split() };
}

/** τ for each epoch: τ_e = tauStart·exp(−r·e) with r chosen so that the last epoch has tauEnd. */
export function tauSchedule(s: TrainSettings, stepsPerEpoch: number): (step: number) => number {
  const rate = s.epochs > 1 ? Math.log(s.tauStart / s.tauEnd) / ((s.epochs - 1) * stepsPerEpoch) : 0;
  return expDecayTau({ tau0: s.tauStart, rate, min: Math.min(s.tauStart, s.tauEnd), every: stepsPerEpoch });
}

export function trainEstimator(estimator: EstimatorName, data: VaeData, s: TrainSettings, progress: Progress, logEvery: number): TrainedEstimator {
  const rngs = runGenerators(s.seed);
  const model = new CategoricalVae(s.sizes, rngs.init, s.dtype);
  const opt = new Adam(model.parameters(), { lr: s.lr });
  const rows = data.train.shape[0];
  const stepsPerEpoch = Math.floor(rows / s.batchSize) + (rows % s.batchSize > 0 ? 1 : 0);
  const tauAt = tauSchedule(s, stepsPerEpoch);
  const label = ESTIMATOR_LABELS[estimator];
  const epochs: EpochRecord[] = [];
  const started = performance.now();
  progress.start(label, s.epochs);
  let step = 0;
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    const tau = tauAt(step);
    let bce = 0, kl = 0, count = 0;
    for (const idx of batches(rows, s.batchSize, { shuffle: true, rng: rngs.batches })) {
      const x = gatherRows(data.train, idx);
      const result = batchLoss(model, x, estimator, tau, rngs.noise);
      opt.zeroGrad();
      result.loss.backward();
      opt.step();
      bce += result.bce * idx.length;
      kl += result.kl * idx.length;
      count += idx.length;
      step++;
    }
    const record = { epoch, tau, negElbo: (bce + kl) / count, bce: bce / count, kl: kl / count };
    if (!Number.isFinite(record.negElbo)) throw new Error(`the −ELBO became ${record.negElbo} in epoch ${epoch}`);
    epochs.push(record);
    progress.update(epoch, record.negElbo);
    if (epoch % logEvery === 0 || epoch === s.epochs) {
      progress.log(`  ${label.padEnd(20)} epoch ${String(epoch).padStart(3)}  −ELBO ${record.negElbo.toFixed(2)}  (BCE ${record.bce.toFixed(2)} + KL ${record.kl.toFixed(2)})  τ ${tau.toFixed(3)}`);
    }
  }
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  return {
    estimator, model, epochs, seconds,
    trainNegElbo: negElbo(model, data.train, rngs.evaluation).negElbo,
    testNegElbo: negElbo(model, data.test, rngs.evaluation).negElbo,
    testNll: nllEstimate(model, data.test, rngs.evaluation),
  };
}
