// A codebook trained live on fixed 2-D encodings (the points stand for an encoder's outputs, so the
// codes can be watched in the plane). Each step takes a random minibatch and updates the codes:
//   gradient: VectorQuantizer, codes learned by Adam on the codebook term ‖sg(z) − z_q‖²
//   EMA:      VectorQuantizer, codes set to moving averages of the points assigned to them
// Either may restart dead codes: a code unchosen for DEAD_AFTER steps jumps onto a badly served point.
import { Adam, Rng, VectorQuantizer, codebookStats, fromData, loadStateDict, noGrad, stateDict, type Tensor } from "../../../src/index.js";

export type CodebookRule = "gradient" | "ema";

export const NUM_CODES = 16;
const BATCH = 128;
/** Faster than the usual 0.99, so that the EMA codebook visibly moves within seconds. */
const EMA_DECAY = 0.95;
const DEAD_AFTER = 10;
/** The codes start on a 4 × 4 grid of this half-width around the origin, far from the data. */
const START_HALF_WIDTH = 0.75;

export interface TrainerOptions {
  rule: CodebookRule;
  restarts: boolean;
  seed?: number;
}

export interface CodebookFigures {
  /** Fraction of codes that some data point chooses. */
  usage: number;
  /** exp(entropy) of the code choices over all the data: 1 (one code) to NUM_CODES. */
  perplexity: number;
  counts: Int32Array;
}

export class CodebookTrainer {
  step = 0;
  private readonly quantizer: VectorQuantizer;
  private readonly optimizer: Adam | null;
  private readonly rng: Rng;

  constructor(private readonly data: Tensor, opts: TrainerOptions) {
    this.rng = new Rng(opts.seed ?? 11);
    this.quantizer = new VectorQuantizer({
      numCodes: NUM_CODES, dim: 2, ema: opts.rule === "ema", decay: EMA_DECAY,
      restartDeadCodes: opts.restarts, deadAfter: DEAD_AFTER, rng: this.rng.split(),
    });
    startOnGrid(this.quantizer);
    this.optimizer = opts.rule === "gradient" ? new Adam([this.quantizer.codebook], { lr: 0.03 }) : null;
  }

  /** One minibatch update. */
  trainStep(): void {
    const batch = this.minibatch();
    this.quantizer.train();
    this.optimizer?.zeroGrad();
    const { loss } = this.quantizer.forward(batch); // EMA moves the codes itself, inside forward
    if (this.optimizer) {
      loss.backward();
      this.optimizer.step();
    }
    this.step++;
  }

  /** The codes as points of the plane. */
  codes(): [number, number][] {
    const e = this.quantizer.codebook.values();
    return Array.from({ length: NUM_CODES }, (_, k) => [e[2 * k], e[2 * k + 1]]);
  }

  /** Which code each data point chooses now (the nearest). */
  evaluate(): CodebookFigures {
    this.quantizer.eval();
    const indices = noGrad(() => this.quantizer.forward(this.data).indices.values());
    return codebookStats(indices, NUM_CODES);
  }

  private minibatch(): Tensor {
    const x = this.data.values();
    const n = this.data.shape[0];
    const rows = new Float64Array(BATCH * 2);
    for (let i = 0; i < BATCH; i++) {
      const r = this.rng.int(n);
      rows[2 * i] = x[2 * r];
      rows[2 * i + 1] = x[2 * r + 1];
    }
    return fromData(rows, [BATCH, 2]);
  }
}

/**
 * Moves the codes onto a small grid at the origin. The original VQ-VAE draws them uniformly in ±1/K,
 * which is the same collapse but with all sixteen drawn on top of each other. The EMA's running
 * sums start at the codes too, as the quantizer's own initialisation does.
 */
function startOnGrid(quantizer: VectorQuantizer): void {
  const side = Math.sqrt(NUM_CODES);
  const grid = Array.from({ length: NUM_CODES }, (_, k) => [k % side, Math.floor(k / side)])
    .flatMap(([i, j]) => [i, j].map((g) => START_HALF_WIDTH * ((2 * g) / (side - 1) - 1)));
  const state = stateDict(quantizer);
  state.codebook.values = grid;
  state.clusterSum.values = grid;
  loadStateDict(quantizer, state);
}
