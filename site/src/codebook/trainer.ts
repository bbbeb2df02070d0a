// A codebook trained live: each step takes a random minibatch of the 2-D data and updates the codes.
//   ST:     VectorQuantizer, codes learned by gradient of ‖sg(z) − z_q‖² (straight-through lookup)
//   EMA:    VectorQuantizer, codes set to moving averages of the points assigned to them
//   Gumbel: GumbelQuantizer, logits over codes from a linear map, z_q = y·E, trained on ‖z_q − x‖²
// With no encoder the data are the encodings, so the codes move in the plane of the data.
import {
  Adam, GumbelQuantizer, Rng, VectorQuantizer, codebookStats, fromData, mseLoss, noGrad, type Tensor,
} from "../../../src/index.js";

export type QuantizerKind = "st" | "ema" | "gumbel";

export const NUM_CODES = 16;
const BATCH = 128;
/** Faster than the usual 0.99, so that the EMA codebook visibly moves within seconds. */
const EMA_DECAY = 0.95;
const DEAD_AFTER = 10;
/** The Gumbel quantizer's pull of each point's code probabilities toward uniform, against collapse. */
const KL_WEIGHT = 0.5;

export interface TrainerOptions {
  kind: QuantizerKind;
  /** Dead-code restarts (vector quantizers only). */
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
  readonly kind: QuantizerKind;
  private readonly quantizer: VectorQuantizer | GumbelQuantizer;
  private readonly optimizer: Adam | null;
  private readonly rng: Rng;

  constructor(private readonly data: Tensor, opts: TrainerOptions) {
    this.kind = opts.kind;
    this.rng = new Rng(opts.seed ?? 11);
    if (opts.kind === "gumbel") {
      this.quantizer = new GumbelQuantizer({ numCodes: NUM_CODES, dim: 2, tau: 1, klWeight: KL_WEIGHT, rng: this.rng.split() });
      this.optimizer = new Adam(this.quantizer.parameters(), { lr: 0.05 });
    } else {
      this.quantizer = new VectorQuantizer({
        numCodes: NUM_CODES, dim: 2, ema: opts.kind === "ema", decay: EMA_DECAY,
        restartDeadCodes: opts.restarts, deadAfter: DEAD_AFTER, rng: this.rng.split(),
      });
      this.optimizer = opts.kind === "st" ? new Adam([this.quantizer.codebook], { lr: 0.03 }) : null;
    }
  }

  /** One minibatch update. */
  trainStep(): void {
    const batch = this.minibatch();
    this.quantizer.train();
    this.optimizer?.zeroGrad();
    const loss = this.quantizer instanceof GumbelQuantizer
      ? this.gumbelLoss(this.quantizer, batch) // z_q = y·E should reproduce the point
      : this.quantizer.forward(batch).loss; // ST: codebook + commitment terms; EMA: moves the codes itself
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

  /** Which code each data point chooses now (evaluation mode: nearest code, or the most likely one). */
  evaluate(): CodebookFigures {
    this.quantizer.eval();
    const indices = noGrad(() => this.quantizer.forward(this.data).indices.values());
    const { usage, perplexity, counts } = codebookStats(indices, NUM_CODES);
    return { usage, perplexity, counts };
  }

  private gumbelLoss(quantizer: GumbelQuantizer, batch: Tensor): Tensor {
    const out = quantizer.forward(batch, this.step);
    return mseLoss(out.quantized, batch).add(out.loss);
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
