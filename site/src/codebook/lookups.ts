// Three ways to put a codebook lookup between an encoder and a decoder, trained on the same data
// from the same starting networks and minibatches. x → encoder → z → lookup → z_q → decoder → x̂.
//   soft:    z_q = softmax(logits)·E            a blend of codes, differentiable, no noise
//   Gumbel:  z_q = gumbelSoftmax(logits, τ)·E   a random blend (GumbelQuantizer)
//   ST:      z_q = the nearest code e_k, and backward the straight-through copy z_q ← z (VectorQuantizer)
// A deployed lookup hands the decoder one real code, so each is measured by decoding the chosen code.
import {
  Adam, GumbelQuantizer, MLP, Rng, VectorQuantizer, fromData, gumbelSoftmax, mseLoss, noGrad, softmax, type Tensor,
} from "../../../src/index.js";

export type LookupKind = "soft" | "gumbel" | "st";
export const LOOKUPS: LookupKind[] = ["soft", "gumbel", "st"];

const CODES = 16;
const HIDDEN = 32;
const BATCH = 64;
const LEARNING_RATE = 0.01;
const TAU = 1;

export interface LookupErrors {
  /** Mean squared reconstruction error when the decoder gets the chosen code (evaluation mode). */
  looked: number;
  /** The same error with what the lookup hands the decoder in training (a blend, for soft and Gumbel). */
  trained: number;
}

export class LookupModel {
  private readonly encoder = new MLP([2, HIDDEN, 2], { rng: new Rng(21) });
  private readonly decoder = new MLP([2, HIDDEN, 2], { rng: new Rng(22) });
  private readonly quantizer: VectorQuantizer | GumbelQuantizer;
  private readonly optimizer: Adam;
  private readonly batches = new Rng(23);
  /** Noise for measuring the Gumbel blend, apart from the training noise. */
  private readonly evaluationNoise = new Rng(24);
  step = 0;

  constructor(readonly kind: LookupKind, private readonly data: Tensor) {
    this.quantizer = kind === "st"
      // k-means++ starts the codes among the encodings, so no code starts dead (collapse is the next panel's story)
      ? new VectorQuantizer({ numCodes: CODES, dim: 2, init: "kmeans++", rng: new Rng(25) })
      : new GumbelQuantizer({ numCodes: CODES, dim: 2, tau: TAU, rng: new Rng(25) });
    this.optimizer = new Adam([...this.encoder.parameters(), ...this.decoder.parameters(), ...this.quantizer.parameters()], { lr: LEARNING_RATE });
  }

  trainStep(): void {
    const x = minibatch(this.data, this.batches);
    this.quantizer.train();
    this.optimizer.zeroGrad();
    this.lossOn(x).backward();
    this.optimizer.step();
    this.step++;
  }

  /** Reconstruction through the lookup as trained, plus the quantizer's own terms (codebook and commitment). */
  private lossOn(x: Tensor): Tensor {
    const z = this.encoder.forward(x);
    const q = this.quantizer;
    if (q instanceof VectorQuantizer) {
      const out = q.forward(z);
      return mseLoss(this.decoder.forward(out.quantized), x).add(out.loss);
    }
    const zq = this.kind === "soft" ? softmax(q.proj.forward(z)).matmul(q.codebook) : q.forward(z, this.step).quantized;
    return mseLoss(this.decoder.forward(zq), x);
  }

  /** Both errors on all the data. */
  errors(): LookupErrors {
    return noGrad(() => {
      const z = this.encoder.forward(this.data);
      const q = this.quantizer;
      q.eval();
      const looked = mseLoss(this.decoder.forward(q.forward(z).quantized), this.data).item();
      if (q instanceof VectorQuantizer) return { looked, trained: looked }; // ST trains on the chosen code itself
      const logits = q.proj.forward(z);
      const blend = this.kind === "soft" ? softmax(logits) : gumbelSoftmax(logits, { tau: TAU, rng: this.evaluationNoise });
      return { looked, trained: mseLoss(this.decoder.forward(blend.matmul(q.codebook)), this.data).item() };
    });
  }
}

/** BATCH rows of the data, drawn with replacement. */
function minibatch(data: Tensor, rng: Rng): Tensor {
  const x = data.values();
  const [n, d] = data.shape;
  const rows = new Float64Array(BATCH * d);
  for (let i = 0; i < BATCH; i++) {
    const r = rng.int(n);
    for (let j = 0; j < d; j++) rows[i * d + j] = x[r * d + j];
  }
  return fromData(rows, [BATCH, d]);
}
