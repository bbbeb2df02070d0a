// The categorical VAE of Jang et al. (2017): an encoder gives N categorical variables of K classes,
// one sample of them goes through a decoder to Bernoulli logits of the pixels.
//   −ELBO(x) = Σ_pixels BCE(decoder(z), x) + Σ_n KL(softmax(ℓ_n) ‖ Uniform(K)),  z ~ q(z | x)
// Each gradient estimator is a different way to get a sample z that gradients can flow through.
import {
  Categorical, MLP, Module, Rng, binaryCrossEntropyWithLogits, cast, gumbelRao, gumbelSoftmax, klDivergence,
  oneHot, reinmax, reshape, stopGradient, sum, zeros, type FloatDType, type Tensor,
} from "../../src/index.js";

export interface VaeSizes {
  /** Pixels per image. */
  input: number;
  /** The encoder's hidden widths; the decoder mirrors them. */
  hidden: number[];
  /** N, the number of categorical variables. */
  latents: number;
  /** K, the classes of each. */
  categories: number;
}

export const DIGITS_SIZES: VaeSizes = { input: 64, hidden: [256], latents: 8, categories: 10 };
/** The paper's MNIST model: 784–512–256–(30×10), the decoder mirrored. */
export const MNIST_SIZES: VaeSizes = { input: 784, hidden: [512, 256], latents: 30, categories: 10 };

export class CategoricalVae extends Module {
  readonly encoder: MLP;
  readonly decoder: MLP;

  /** PyTorch's default initialisation, drawn from `rng`: the same seed gives the same model. */
  constructor(readonly sizes: VaeSizes, rng: Rng, readonly dtype: FloatDType = "float64") {
    super();
    const { input, hidden, latents, categories } = sizes;
    const code = latents * categories;
    this.encoder = this.addModule("encoder", new MLP([input, ...hidden, code], { rng, dtype }));
    this.decoder = this.addModule("decoder", new MLP([code, ...[...hidden].reverse(), input], { rng, dtype }));
  }

  /** The logits ℓ of q(z | x), [B, N, K]. */
  encode(x: Tensor): Tensor {
    return reshape(this.encoder.forward(x), [x.shape[0], this.sizes.latents, this.sizes.categories]);
  }

  /** Bernoulli logits of the pixels from latents z [..., N, K] (one-hot or relaxed): [..., pixels]. */
  decode(z: Tensor): Tensor {
    const lead = z.shape.slice(0, -2);
    return this.decoder.forward(reshape(z, [...lead, this.sizes.latents * this.sizes.categories]));
  }

  /** KL(q(z | x) ‖ Uniform(K)), summed over the N variables: [B]. */
  klToPrior(logits: Tensor): Tensor {
    const prior = new Categorical(zeros([this.sizes.latents, this.sizes.categories], { dtype: logits.dtype as FloatDType }));
    return sum(klDivergence(new Categorical(logits), prior), -1);
  }

  /** One-hot draws from q(z | x): sampleShape [...], then the logits' batch, then K. No gradient. */
  discreteSample(logits: Tensor, rng: Rng, sampleShape: number[] = []): { index: Tensor; z: Tensor } {
    const index = new Categorical(logits).sample({ sampleShape, rng });
    return { index, z: cast(oneHot(index, this.sizes.categories), logits.dtype) };
  }
}

export const ESTIMATORS = ["gs", "st", "gr", "reinmax", "reinforce"] as const;
export type EstimatorName = (typeof ESTIMATORS)[number];

export const ESTIMATOR_LABELS: Record<EstimatorName, string> = {
  gs: "Gumbel-softmax",
  st: "ST Gumbel-softmax",
  gr: "Gumbel-Rao (10)",
  reinmax: "ReinMax",
  reinforce: "REINFORCE (LOO, 4)",
};

/** Monte Carlo samples of Gumbel-Rao, and REINFORCE's samples per data point. */
export const GUMBEL_RAO_SAMPLES = 10;
export const REINFORCE_SAMPLES = 4;

/** Decoder passes per data point in a training step: REINFORCE decodes each of its samples. */
export const DECODER_PASSES: Record<EstimatorName, number> = { gs: 1, st: 1, gr: 1, reinmax: 1, reinforce: REINFORCE_SAMPLES };

/** A batch's loss: the mean −ELBO to minimise, and its two parts (means over the batch, no gradient). */
export interface BatchLoss {
  loss: Tensor;
  bce: number;
  kl: number;
}

/**
 * The training loss of a batch x [B, pixels] with one estimator, at temperature τ: backward from
 * `loss` gives that estimator's gradient. The reported −ELBO parts are of the sample the estimator
 * decoded (relaxed for Gumbel-softmax, one-hot for the others).
 */
export function batchLoss(model: CategoricalVae, x: Tensor, estimator: EstimatorName, tau: number, rng: Rng): BatchLoss {
  const batch = x.shape[0];
  const logits = model.encode(x);
  const kl = sum(model.klToPrior(logits));
  if (estimator === "reinforce") return reinforceLoss(model, x, logits, kl, rng);
  const z = latentSample(estimator, logits, tau, rng);
  const bce = binaryCrossEntropyWithLogits(model.decode(z), x, { reduction: "sum" });
  return { loss: bce.add(kl).div(batch), bce: bce.item() / batch, kl: kl.item() / batch };
}

/** The sample z [B, N, K] that the decoder sees, through which each pathwise estimator's gradient flows. */
export function latentSample(estimator: Exclude<EstimatorName, "reinforce">, logits: Tensor, tau: number, rng: Rng): Tensor {
  switch (estimator) {
    case "gs": return gumbelSoftmax(logits, { tau, rng });
    case "st": return gumbelSoftmax(logits, { tau, hard: true, rng });
    case "gr": return gumbelRao(logits, { tau, samples: GUMBEL_RAO_SAMPLES, rng });
    case "reinmax": return reinmax(logits, { tau, rng });
  }
}

/**
 * REINFORCE with a leave-one-out baseline (Kool et al. 2019) over S samples per data point:
 *   f_s = Σ_pixels BCE(decoder(z_s), x),  b_s = (Σ_{t≠s} f_t)/(S − 1),
 *   surrogate = (1/S) Σ_s [f_s + stopGradient(f_s − b_s)·log q(z_s | x)]
 * Its gradient is the decoder's average gradient and the score-function estimate for the encoder.
 */
function reinforceLoss(model: CategoricalVae, x: Tensor, logits: Tensor, kl: Tensor, rng: Rng): BatchLoss {
  const S = REINFORCE_SAMPLES, batch = x.shape[0];
  const { index, z } = model.discreteSample(logits, rng, [S]);            // [S, B, N], [S, B, N, K]
  const bcePerPixel = binaryCrossEntropyWithLogits(model.decode(z), x.broadcastTo([S, ...x.shape]), { reduction: "none" });
  const f = sum(bcePerPixel, -1);                                         // [S, B]
  const others = stopGradient(sum(f, 0, true).sub(f).div(S - 1));         // b_s
  const logQ = sum(new Categorical(logits).logProb(index), -1);           // [S, B]
  const surrogate = sum(f.add(stopGradient(f.sub(others)).mul(logQ))).div(S);
  const bce = sum(f).item() / S;
  return { loss: surrogate.add(kl).div(batch), bce: bce / batch, kl: kl.item() / batch };
}
