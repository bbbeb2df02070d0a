// One training run: Adam on the autoencoder, minibatches from a shuffled data set, per-epoch figures.
import { Adam, Rng, Tensor, codebookStats, findNonFinite, type NonFinite } from "../../src/index.js";
import { saveParametersSync } from "../../src/node/index.js";
import { rows, shuffled } from "./data.js";
import type { VQAutoencoder } from "./model.js";

export interface EpochFigures {
  epoch: number;
  step: number;
  loss: number;
  reconstruction: number;
  usage: number;
  perplexity: number;
}

export interface TrainOptions {
  steps: number;
  batchSize: number;
  lr: number;
  rng: Rng;
  /** Called after every step (a progress bar). */
  onStep?: (step: number, loss: number) => void;
  /** Called at the end of every epoch (a pass over the data) and after the last step. */
  onEpoch?: (figures: EpochFigures) => void;
  /** Where to keep the last good parameters, rewritten (atomically) after every healthy epoch. */
  checkpointPath?: string;
  /** Called when a checkpoint cannot be written; training then goes on without checkpoints. Without it, the error is thrown. */
  onCheckpointError?: (err: unknown) => void;
}

/** A NaN or ±∞ appeared in a batch, the loss or a parameter: which one, at which step. */
export class TrainingDiverged extends Error {
  constructor(readonly step: number, readonly bad: NonFinite, readonly checkpoint: { path: string; step: number } | null) {
    const at = bad.index.length > 0 ? ` at [${bad.index.join(", ")}]` : "";
    const kept = checkpoint ? `the last good checkpoint (after step ${checkpoint.step}) is kept in ${checkpoint.path}` : "no checkpoint was written yet";
    super(`training diverged at step ${step}: ${bad.name} holds ${bad.value}${at}; ${kept}`);
    this.name = "TrainingDiverged";
  }
}

export interface TrainResult {
  /** The loss of every step. */
  losses: number[];
  epochs: EpochFigures[];
  seconds: number;
}

export function train(model: VQAutoencoder, x: Tensor, numCodes: number, opts: TrainOptions): TrainResult {
  const started = performance.now();
  const optimizer = new Adam(model.parameters(), { lr: opts.lr });
  const n = x.shape[0];
  const stepsPerEpoch = Math.max(1, Math.floor(n / opts.batchSize));
  const losses: number[] = [];
  const epochs: EpochFigures[] = [];
  let order = shuffled(n, opts.rng);
  let sums = { loss: 0, reconstruction: 0, steps: 0 };
  let chosen: number[] = [];
  let checkpoint: { path: string; step: number } | null = null;
  let checkpointPath = opts.checkpointPath;
  const check = (step: number, named: Iterable<[string, Tensor]>) => {
    const bad = findNonFinite(named);
    if (bad) throw new TrainingDiverged(step, bad, checkpoint);
  };
  model.train();
  for (let step = 0; step < opts.steps; step++) {
    const slot = step % stepsPerEpoch;
    if (slot === 0 && step > 0) order = shuffled(n, opts.rng);
    const batch = rows(x, order.subarray(slot * opts.batchSize, (slot + 1) * opts.batchSize));
    check(step + 1, [["batch", batch]]);
    optimizer.lr = cosineRate(opts.lr, step, opts.steps);
    optimizer.zeroGrad();
    const out = model.trainingStep(batch, step);
    check(step + 1, [["loss", out.loss]]);
    out.loss.backward();
    optimizer.step();
    check(step + 1, [...model.namedParameters(), ...model.namedBuffers()]);
    const loss = out.loss.item();
    losses.push(loss);
    sums = { loss: sums.loss + loss, reconstruction: sums.reconstruction + out.reconstructionLoss, steps: sums.steps + 1 };
    chosen.push(...out.indices);
    opts.onStep?.(step + 1, loss);
    if (slot === stepsPerEpoch - 1 || step === opts.steps - 1) {
      const stats = codebookStats(chosen, numCodes);
      const figures = {
        epoch: epochs.length + 1, step: step + 1, loss: sums.loss / sums.steps,
        reconstruction: sums.reconstruction / sums.steps, usage: stats.usage, perplexity: stats.perplexity,
      };
      epochs.push(figures);
      opts.onEpoch?.(figures);
      if (checkpointPath) {
        try {
          saveParametersSync(model, checkpointPath);
          checkpoint = { path: checkpointPath, step: step + 1 };
        } catch (err) {
          // A checkpoint is insurance: losing it must not cost the run itself.
          if (!opts.onCheckpointError) throw err;
          opts.onCheckpointError(err);
          checkpointPath = undefined;
        }
      }
      sums = { loss: 0, reconstruction: 0, steps: 0 };
      chosen = [];
    }
  }
  return { losses, epochs, seconds: (performance.now() - started) / 1000 };
}

/** Cosine decay from lr to lr/10 over the run: big steps to find the clusters, small ones to settle. */
export function cosineRate(lr: number, step: number, steps: number): number {
  const progress = steps > 1 ? step / (steps - 1) : 1;
  return lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
