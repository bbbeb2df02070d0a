// GumbelQuantizer: the stochastic alternative to nearest-code lookup (as in Jang et al. 2017 and
// DALL·E's dVAE). The input is projected to logits over the codes; a Gumbel-softmax sample y picks
// a (relaxed) code and z_q = y·E. Gradients reach the logits and the codebook through y.
import { errorSample, getDefaultRng, GumbelgradError, positiveInteger, randn, Rng, sample, ShapeError, Tensor, uniformArg, zeros, type OpSpec } from "../core/index.js";
import { argmax, logSoftmax, oneHot } from "../ops/index.js";
import { checkTau, gumbelSoftmax } from "../gumbel/index.js";
import { Linear, Module } from "../nn/index.js";
import { codebookStats } from "./codebook.js";
import type { Quantizer } from "./quantizer.js";

/** Options for {@link GumbelQuantizer}. @category Quantizers */
export interface GumbelQuantizerOptions {
  /** K, the number of codes. */
  numCodes: number;
  /** Size of each code vector (and of the output). */
  dim: number;
  /** Size of the input rows, projected to logits. Default: dim. */
  inputDim?: number;
  /** Temperature τ > 0, or a schedule step → τ (e.g. expDecayTau). Default 1. */
  tau?: number | ((step: number) => number);
  /** Straight-through: forward a one-hot code, backward the soft sample's gradient. Default false. */
  hard?: boolean;
  /** Weight of the KL-to-uniform term KL(q ‖ U) = Σ_k q_k log(K·q_k). Default 0 (off). */
  klWeight?: number;
  /** The generator for the initial weights and the Gumbel noise. Default: the generator set by manualSeed. */
  rng?: Rng;
}

/** What {@link GumbelQuantizer.forward} returns. @category Quantizers */
export interface GumbelQuantizerOutput {
  /** z_q = y·E: [N, dim]. */
  quantized: Tensor;
  /** The chosen code of each row (argmax of y; in evaluation mode, of the logits), int32 [N]. */
  indices: Tensor;
  /** klWeight·kl (a zero scalar when the term is off). */
  loss: Tensor;
  /** mean over rows of KL(softmax(logits) ‖ uniform). */
  kl: Tensor;
  /** The logits over the codes, [N, K]. */
  logits: Tensor;
  /** The temperature used for this step. */
  tau: number;
  /** exp(entropy) of the batch's code choices. */
  perplexity: number;
  /** Fraction of codes the batch used. */
  usage: number;
  /** How many rows chose each code, [K]. */
  counts: Int32Array;
}

/**
 * The stochastic alternative to nearest-code lookup (as in Jang et al. 2017 and DALL·E's dVAE): the
 * input is projected to logits over the codes, a Gumbel-softmax sample y picks a (relaxed) code, and
 * z_q = y·E. Gradients reach the logits and the codebook through y.
 * @category Quantizers
 */
export class GumbelQuantizer extends Module implements Quantizer {
  /** K, the number of codes. */
  readonly numCodes: number;
  /** The size of each code vector (and of the output). */
  readonly dim: number;
  /** The size of the input rows. */
  readonly inputDim: number;
  /** Whether the sample is straight-through (one-hot forward). */
  readonly hard: boolean;
  /** The weight of the KL-to-uniform term. */
  readonly klWeight: number;
  /** Input → logits over the codes. */
  readonly proj: Linear;
  /** E: [K, dim], initialised N(0, 1) as PyTorch's Embedding. */
  readonly codebook: Tensor;
  private readonly tauAt: (step: number) => number;
  private readonly rng: Rng;

  /**
   * A quantizer with K codes of size dim, `new GumbelQuantizer({ numCodes: 512, dim: 64, tau: expDecayTau({ rate: 1e-4 }) })`.
   * @throws GumbelgradError for sizes that are not positive integers, a τ ≤ 0, or a negative klWeight.
   */
  constructor(opts: GumbelQuantizerOptions) {
    super();
    const { numCodes, dim } = opts ?? ({} as GumbelQuantizerOptions);
    const op = "GumbelQuantizer";
    positiveInteger(op, "numCodes", numCodes);
    positiveInteger(op, "dim", dim);
    this.numCodes = numCodes;
    this.dim = dim;
    this.inputDim = opts.inputDim ?? dim;
    positiveInteger(op, "inputDim", this.inputDim);
    this.hard = opts.hard ?? false;
    this.klWeight = opts.klWeight ?? 0;
    if (!(this.klWeight >= 0 && Number.isFinite(this.klWeight))) throw new GumbelgradError(op, `klWeight must be a finite number ≥ 0, but got ${this.klWeight}`);
    const tau = opts.tau ?? 1;
    if (typeof tau === "number") checkTau(op, tau);
    else if (typeof tau !== "function") throw new GumbelgradError(op, `tau must be a number or a function of the step, but got ${typeof tau}`);
    this.tauAt = typeof tau === "number" ? () => tau : tau;
    this.rng = opts.rng ?? getDefaultRng();
    this.proj = this.addModule("proj", new Linear(this.inputDim, numCodes, { rng: this.rng }));
    this.codebook = this.addParameter("codebook", randn([numCodes, dim], { rng: this.rng }));
  }

  /**
   * z: [N, inputDim]. Training mode samples y; evaluation mode takes the most likely code.
   * `step` picks τ when `tau` is a schedule. Default 0.
   */
  forward(z: Tensor, step = 0): GumbelQuantizerOutput {
    if (!(z instanceof Tensor) || z.ndim !== 2 || z.shape[1] !== this.inputDim) {
      throw new ShapeError("GumbelQuantizer", `z must be [N, ${this.inputDim}] (inputDim)`, { z: z?.shape ?? [] });
    }
    const logits = this.proj.forward(z);
    const tau = this.tauAt(step);
    // y = gumbelSoftmax(logits, τ): a relaxed one-hot (exactly one-hot with hard), or the argmax in eval
    const y = this.training
      ? gumbelSoftmax(logits, { tau, hard: this.hard, rng: this.rng })
      : oneHot(argmax(logits, 1), this.numCodes);
    const quantized = y.matmul(this.codebook); // z_q = y·E
    // KL(q ‖ uniform) = Σ_k q_k (log q_k + log K), q = softmax(logits): discourages collapse onto few codes
    const logQ = logSoftmax(logits, 1);
    const kl = logQ.exp().mul(logQ.add(Math.log(this.numCodes))).sum(1).mean();
    const loss = this.klWeight > 0 ? kl.mul(this.klWeight) : zeros([]);
    const indices = argmax(y, 1);
    const stats = codebookStats(indices.values(), this.numCodes);
    return { quantized, indices, loss, kl, logits, tau, perplexity: stats.perplexity, usage: stats.usage, counts: stats.counts };
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const gumbelQuantizerSpec: OpSpec = {
  name: "GumbelQuantizer",
  fn: GumbelQuantizer,
  samples: (rng) => {
    // A fresh quantizer per call, from the same seed, draws the same noise: the checker sees one function.
    const soft = (_z: Tensor) => new GumbelQuantizer({ numCodes: 4, dim: 2, inputDim: 3, tau: 0.7, klWeight: 0.1, rng: new Rng(12) });
    return [
      { ...sample("the relaxed codes y·E of z [5, 3]", [uniformArg(rng, [5, 3])], (z) => soft(z).forward(z).quantized), float32: false },
      { ...sample("its KL term", [uniformArg(rng, [5, 3])], (z) => soft(z).forward(z).loss), float32: false },
    ];
  },
  errors: () => [
    errorSample("z of another width", () => new GumbelQuantizer({ numCodes: 4, dim: 2, inputDim: 3 }).forward(zeros([2, 2])),
      "GumbelQuantizer: z must be [N, 3] (inputDim), but z has shape [2, 2]"),
  ],
};
