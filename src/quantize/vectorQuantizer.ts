// VectorQuantizer: the VQ-VAE codebook lookup (van den Oord et al. 2017), with the known remedies
// for codebook collapse: EMA codebook updates, dead-code restarts, and k-means++ initialisation.
import { checkedAgainst, indexSelect, stopGradient, straightThrough } from "../ops/index.js";
import { errorSample, getDefaultRng, GumbelgradError, numberIn, overwrite, positiveInteger, Rng, sample, ShapeError, Tensor, uniformArg, wrap, writableValues, zeros, type OpSpec } from "../core/index.js";
import { mseLoss } from "../losses/index.js";
import { Module } from "../nn/index.js";
import { clusterSums, codebookStats, nearest } from "./codebook.js";
import { kmeansPlusPlus, nextSeed } from "./kmeans.js";
import type { Quantizer } from "./quantizer.js";

/** Options for {@link VectorQuantizer}. @category Quantizers */
export interface VectorQuantizerOptions {
  /** K, the number of codes. */
  numCodes: number;
  /** D, the size of each code (the encodings' last axis). */
  dim: number;
  /** Weight of the commitment term. Default 0.25. */
  beta?: number;
  /** Update the codebook by exponential moving averages of its clusters instead of by gradient. Default false. */
  ema?: boolean;
  /** EMA decay γ. Default 0.99. */
  decay?: number;
  /** Laplace smoothing ε of the EMA cluster sizes. Default 1e-5. */
  epsilon?: number;
  /** Re-seed codes unused for `deadAfter` training steps from the batch's encodings. Default false. */
  restartDeadCodes?: boolean;
  /** Training steps without a single assignment after which a code counts as dead. Default 20. */
  deadAfter?: number;
  /** "uniform": U(−1/K, 1/K) as the original VQ-VAE; "kmeans++": seeded from the first training batch. Default "uniform". */
  init?: "uniform" | "kmeans++";
  /** The generator for the initial codebook, k-means++ and restarts. Default: the generator set by manualSeed. */
  rng?: Rng;
}

/** What {@link VectorQuantizer.forward} returns: the quantized encodings, the chosen codes, the losses and code statistics. @category Quantizers */
export interface QuantizerOutput {
  /** z_st = z + stopGradient(z_q − z): forward exactly the codes, backward the identity to z. */
  quantized: Tensor;
  /** The nearest code of each row, int32 [N]. */
  indices: Tensor;
  /** codebookLoss + β·commitmentLoss (the codebook term only when it is learned by gradient). */
  loss: Tensor;
  /** ‖stopGradient(z) − z_q‖², as a mean: moves the codes toward the encodings (only E gets a gradient). */
  codebookLoss: Tensor;
  /** ‖z − stopGradient(z_q)‖², as a mean: keeps the encoder near its codes (only z gets a gradient). */
  commitmentLoss: Tensor;
  /** exp(entropy) of the batch's code choices. */
  perplexity: number;
  /** Fraction of codes the batch used. */
  usage: number;
  /** How many rows chose each code, [K]. */
  counts: Int32Array;
}

/**
 * The VQ-VAE codebook lookup (van den Oord et al. 2017): each encoding z is replaced by its
 * nearest code e_k, k = argmin_j ‖z − e_j‖², with a straight-through gradient to z. Offers the
 * known remedies for codebook collapse: EMA codebook updates, dead-code restarts and k-means++
 * initialisation.
 * @category Quantizers
 */
export class VectorQuantizer extends Module implements Quantizer {
  /** K, the number of codes. */
  readonly numCodes: number;
  /** D, the size of each code. */
  readonly dim: number;
  /** β, the weight of the commitment term. */
  readonly beta: number;
  /** Whether the codebook is updated by EMA (a buffer) rather than by gradient (a parameter). */
  readonly ema: boolean;
  /** γ, the EMA decay. */
  readonly decay: number;
  /** ε, the Laplace smoothing of the EMA cluster sizes. */
  readonly epsilon: number;
  /** Whether unused codes are re-seeded in training. */
  readonly restartDeadCodes: boolean;
  /** Training steps without an assignment after which a code counts as dead. */
  readonly deadAfter: number;
  /** How the codebook starts: "uniform" or "kmeans++". */
  readonly init: "uniform" | "kmeans++";
  /** E: [K, D]. A parameter, or (with ema) a buffer rewritten from the EMA statistics. */
  readonly codebook: Tensor;
  /** EMA of the number of encodings per code, N_k. */
  readonly clusterSize: Tensor;
  /** EMA of the sum of the encodings per code, m_k: [K, D]. */
  readonly clusterSum: Tensor;
  /** Training steps since each code was last chosen. */
  readonly stepsUnused: Tensor;
  /** 1 once the codebook holds its initial values (k-means++ waits for the first batch). */
  readonly initialized: Tensor;
  /** How many codes restarts have re-seeded so far. */
  restarts = 0;
  private readonly rng: Rng;

  /**
   * A quantizer with K codes of size D, `new VectorQuantizer({ numCodes: 512, dim: 64 })`.
   * @throws GumbelgradError for sizes that are not positive integers, or an option out of range.
   */
  constructor(opts: VectorQuantizerOptions) {
    super();
    const { numCodes, dim } = opts ?? ({} as VectorQuantizerOptions);
    positiveInteger("VectorQuantizer", "numCodes", numCodes);
    positiveInteger("VectorQuantizer", "dim", dim);
    this.numCodes = numCodes;
    this.dim = dim;
    this.beta = numberIn("VectorQuantizer", "beta", opts.beta ?? 0.25, { atLeast: 0 });
    this.ema = opts.ema ?? false;
    this.decay = numberIn("VectorQuantizer", "decay", opts.decay ?? 0.99, { atLeast: 0, atMost: 1 });
    this.epsilon = numberIn("VectorQuantizer", "epsilon", opts.epsilon ?? 1e-5, { atLeast: 0 });
    this.restartDeadCodes = opts.restartDeadCodes ?? false;
    this.deadAfter = opts.deadAfter ?? 20;
    positiveInteger("VectorQuantizer", "deadAfter", this.deadAfter);
    this.init = opts.init ?? "uniform";
    if (this.init !== "uniform" && this.init !== "kmeans++") throw new GumbelgradError("VectorQuantizer", `init must be "uniform" or "kmeans++", but got ${JSON.stringify(this.init)}`);
    this.rng = opts.rng ?? getDefaultRng();

    const e = uniformCodebook(numCodes, dim, this.rng);
    this.codebook = this.ema ? this.addBuffer("codebook", e) : this.addParameter("codebook", e);
    // The EMA starts as if each code had one encoding at its own position, so an unused code stays put.
    this.clusterSize = this.addBuffer("clusterSize", wrap(new Float64Array(numCodes).fill(1), [numCodes]));
    this.clusterSum = this.addBuffer("clusterSum", wrap(Float64Array.from(e.values()), [numCodes, dim]));
    this.stepsUnused = this.addBuffer("stepsUnused", wrap(new Float64Array(numCodes), [numCodes]));
    this.initialized = this.addBuffer("initialized", wrap(new Float64Array([this.init === "uniform" ? 1 : 0]), [1]));
  }

  /** z: [N, D] encodings. In training mode also runs the k-means++ init, EMA update and restarts. */
  forward(z: Tensor): QuantizerOutput {
    if (!(z instanceof Tensor) || z.ndim !== 2 || z.shape[1] !== this.dim) {
      throw new ShapeError("VectorQuantizer", `z must be [N, ${this.dim}] to match the codebook`, { z: z?.shape ?? [], codebook: this.codebook.shape });
    }
    if (this.training && this.initialized.values()[0] === 0) this.initFromBatch(z);

    // k = argmin_j ‖z − e_j‖²: a choice, not differentiated
    const { indices: chosen, distances } = nearest(z, this.codebook);
    const indices = wrap(chosen, [chosen.length]);
    const zq = indexSelect(this.codebook, 0, indices); // z_q = e_k, gradient to E by scatter-add
    // codebook term ‖sg(z) − z_q‖²: moves the codes toward the encodings (only E gets a gradient)
    const codebookLoss = mseLoss(stopGradient(z), zq);
    // commitment term ‖z − sg(z_q)‖²: keeps the encoder near its codes (only z gets a gradient)
    const commitmentLoss = mseLoss(z, stopGradient(zq));
    // with EMA the codebook learns from its statistics, so its term would carry no gradient at all
    const loss = this.ema ? commitmentLoss.mul(this.beta) : codebookLoss.add(commitmentLoss.mul(this.beta));
    // z_st = z + sg(z_q − z): the decoder sees the codes, the encoder gets the decoder's gradient.
    // straightThrough computes exactly that, with a forward that is z_q bit for bit (z + (z_q − z) is not).
    const quantized = straightThrough(stopGradient(zq), z);

    const stats = codebookStats(chosen, this.numCodes);
    if (this.training) {
      if (this.ema) this.emaUpdate(z, chosen, stats.counts);
      if (this.restartDeadCodes) this.restartUnused(z, stats.counts, distances);
    }
    return { quantized, indices, loss, codebookLoss, commitmentLoss, perplexity: stats.perplexity, usage: stats.usage, counts: stats.counts };
  }

  /** k-means++ on the first training batch: codes start where the encodings are. */
  private initFromBatch(z: Tensor): void {
    const seeds = kmeansPlusPlus(stopGradient(z), this.numCodes, { rng: this.rng });
    overwrite("VectorQuantizer", this.codebook, seeds.values());
    overwrite("VectorQuantizer", this.clusterSum, seeds.values());
    writableValues("VectorQuantizer", this.clusterSize).fill(1);
    writableValues("VectorQuantizer", this.initialized)[0] = 1;
  }

  /**
   * N_k ← γN_k + (1 − γ)n_k;  m_k ← γm_k + (1 − γ)Σ_{i: k_i = k} z_i;
   * Laplace smoothing Ñ_k = (N_k + ε)/(n + Kε)·n with n = Σ_k N_k;  e_k = m_k / Ñ_k.
   */
  private emaUpdate(z: Tensor, indices: ArrayLike<number>, counts: Int32Array): void {
    const { numCodes: k, dim: d, decay: g, epsilon: eps } = this;
    const zv = z.values();
    const size = writableValues("VectorQuantizer", this.clusterSize);
    const sums = writableValues("VectorQuantizer", this.clusterSum);
    const batchSums = clusterSums(zv, d, k, indices);
    let total = 0;
    for (let c = 0; c < k; c++) {
      size[c] = g * size[c] + (1 - g) * counts[c];
      total += size[c];
    }
    for (let i = 0; i < k * d; i++) sums[i] = g * sums[i] + (1 - g) * batchSums[i];
    const e = writableValues("VectorQuantizer", this.codebook);
    for (let c = 0; c < k; c++) {
      const smoothed = ((size[c] + eps) / (total + k * eps)) * total;
      for (let j = 0; j < d; j++) e[c * d + j] = sums[c * d + j] / smoothed;
    }
  }

  /**
   * Codes unchosen for `deadAfter` steps move onto encodings of this batch, picked as k-means++
   * picks seeds: with probability ∝ the squared distance to the nearest code, so they land where
   * the codebook serves the encodings worst.
   */
  private restartUnused(z: Tensor, counts: Int32Array, distances: Float64Array): void {
    const unused = writableValues("VectorQuantizer", this.stepsUnused);
    const dead: number[] = [];
    for (let c = 0; c < this.numCodes; c++) {
      unused[c] = counts[c] > 0 ? 0 : unused[c] + 1;
      if (unused[c] >= this.deadAfter) dead.push(c);
    }
    if (dead.length === 0) return;
    const d = this.dim;
    const zv = z.values();
    const e = writableValues("VectorQuantizer", this.codebook);
    const sums = writableValues("VectorQuantizer", this.clusterSum);
    const size = writableValues("VectorQuantizer", this.clusterSize);
    const gap = Float64Array.from(distances);
    for (const c of dead) {
      const r = nextSeed(zv, d, gap, this.rng);
      for (let j = 0; j < d; j++) e[c * d + j] = sums[c * d + j] = zv[r * d + j];
      size[c] = 1; // the EMA restarts as one encoding at the new position
      unused[c] = 0;
    }
    this.restarts += dead.length;
  }
}


/** U(−1/K, 1/K), the initialisation of the original VQ-VAE code. */
function uniformCodebook(k: number, d: number, rng: Rng): Tensor {
  const data = new Float64Array(k * d);
  for (let i = 0; i < data.length; i++) data[i] = (2 * rng.uniform() - 1) / k;
  return wrap(data, [k, d]);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const vectorQuantizerSpec: OpSpec = {
  name: "VectorQuantizer",
  fn: VectorQuantizer,
  samples: (rng) => {
    // In evaluation mode the forward pass changes no state, so the checker may call it again and again.
    const vq = new VectorQuantizer({ numCodes: 5, dim: 3, rng: new Rng(11) }).eval();
    return [
      // (the codebook term treats z as a constant, stopGradient(z), so only the commitment term has z's true gradient)
      { ...sample("the commitment loss of z [6, 3]", [uniformArg(rng, [6, 3], -0.3, 0.3)], (z) => vq.forward(z).commitmentLoss, false), float32: false },
      { ...sample("straight-through: the decoder's gradient reaches z unchanged", [uniformArg(rng, [4, 3], -0.3, 0.3)], (z) => checkedAgainst(vq.forward(z).quantized, z), false), float32: false },
    ];
  },
  errors: () => [
    errorSample("z of another width", () => new VectorQuantizer({ numCodes: 4, dim: 3 }).forward(zeros([2, 2])),
      "VectorQuantizer: z must be [N, 3] to match the codebook, but z has shape [2, 2] and codebook has shape [4, 3]"),
  ],
};
