// Held-out figures with discrete latents, whatever the estimator trained with:
//   −ELBO  = E_q[Σ BCE(decoder(z), x)] + KL(q ‖ p), the expectation a mean of `draws` one-hot samples
//   NLL ≈ −log (1/S) Σ_s p(x | z_s)·p(z_s)/q(z_s | x),  z_s ~ q(z | x)  (importance sampling, S samples)
// with p(z) uniform: log p(z) = −N·log K.
import { Categorical, Rng, binaryCrossEntropyWithLogits, logsumexp, noGrad, slice, stack, sum, type Tensor } from "../../src/index.js";
import type { CategoricalVae } from "./model.js";

export const ELBO_DRAWS = 10;
export const NLL_SAMPLES = 100;

/** Rows per forward pass, so that a large test set never makes one huge tensor. */
const CHUNK = 1000;

/** Mean −ELBO per image with one-hot latents, averaged over `draws` samples, and its two parts. */
export function negElbo(model: CategoricalVae, x: Tensor, rng: Rng, draws = ELBO_DRAWS): { negElbo: number; bce: number; kl: number } {
  return noGrad(() => {
    let bce = 0, kl = 0;
    for (const rows of chunks(x)) {
      const logits = model.encode(rows);
      kl += sum(model.klToPrior(logits)).item();
      const { z } = model.discreteSample(logits, rng, [draws]);
      const target = rows.broadcastTo([draws, ...rows.shape]);
      bce += binaryCrossEntropyWithLogits(model.decode(z), target, { reduction: "sum" }).item() / draws;
    }
    const n = x.shape[0];
    return { negElbo: (bce + kl) / n, bce: bce / n, kl: kl / n };
  });
}

/** The importance-sampled estimate of −log p(x), mean per image, from `samples` draws of q. */
export function nllEstimate(model: CategoricalVae, x: Tensor, rng: Rng, samples = NLL_SAMPLES): number {
  const { latents, categories } = model.sizes;
  const logPrior = -latents * Math.log(categories);
  return noGrad(() => {
    let total = 0;
    for (const rows of chunks(x)) {
      const logits = model.encode(rows);
      const q = new Categorical(logits);
      const logWeights: Tensor[] = [];
      for (let s = 0; s < samples; s++) {
        const { index, z } = model.discreteSample(logits, rng);
        const logLikelihood = sum(binaryCrossEntropyWithLogits(model.decode(z), rows, { reduction: "none" }), -1).neg();
        logWeights.push(logLikelihood.add(logPrior).sub(sum(q.logProb(index), -1)));
      }
      const logMean = logsumexp(stack(logWeights, 0), 0).sub(Math.log(samples));
      total -= sum(logMean).item();
    }
    return total / x.shape[0];
  });
}

function* chunks(x: Tensor): Generator<Tensor> {
  for (let start = 0; start < x.shape[0]; start += CHUNK) yield slice(x, 0, start, Math.min(x.shape[0], start + CHUNK));
}
