// The Concrete (relaxed one-hot categorical) density of Maddison et al. 2017, as a plain formula (the
// distribution itself, with samples and support checks, is RelaxedOneHotCategorical in distributions/).
//   log p(y) = log Γ(K) + (K−1)·log τ + Σ_k (s_k − log y_k) − K·logsumexp_k s_k,   s_k = log π_k − τ·log y_k
//   (the ExpConcrete density of x = log y, minus Σ_k log y_k, the Jacobian of exp)
import { errorSample, floatArg, formatShape, fullArg, GumbelgradError, sample, ShapeError, tensor, Tensor, uniformArg, type OpSpec, type Rng } from "../core/index.js";
import { add, cast, log, logSoftmax, logsumexp, mul, reshape, softmax, sub, sum } from "../ops/index.js";
import { broadcastShapes, unravelIndex } from "../kernels/index.js";
import { checkTau, type Tau } from "./tau.js";

/** log Γ(K) = log (K−1)! for a whole number K ≥ 1. */
function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** τ with a trailing size-1 axis, so a batch-shaped τ lines up with [..., K] tensors. */
function perEvent(tau: Tau): Tau {
  return typeof tau === "number" ? tau : reshape(tau, [...tau.shape, 1]);
}

/**
 * The Concrete log-density of y (a point strictly inside the simplex, event axis last) under
 * logits and temperature τ. Returns the batch shape: logits and y broadcast, and τ (a number or a
 * Tensor of batch shape) broadcasts against their batch. Differentiable in logits, τ and y.
 * @category Gumbel family
 */
export function concreteLogProb(logits: Tensor, tau: Tau, y: Tensor): Tensor {
  const op = "concreteLogProb";
  const l = floatArg(op, "logits", logits);
  const ty = floatArg(op, "y", y);
  checkEvent(op, l, ty);
  checkTau(op, tau);
  checkTauBatch(op, tau, broadcastShapes(l.shape, ty.shape)!.slice(0, -1));
  checkInsideSimplex(op, ty);
  const K = ty.shape[ty.ndim - 1];
  const logY = log(ty);
  const scores = sub(logSoftmax(l, -1), mul(perEvent(tau), logY));
  const constant = typeof tau === "number" ? (K - 1) * Math.log(tau) + logFactorial(K - 1) : add(mul(log(tau), K - 1), logFactorial(K - 1));
  return add(constant, sub(sum(sub(scores, logY), -1), mul(logsumexp(scores, -1), K)));
}

function checkEvent(op: string, logits: Tensor, y: Tensor): void {
  if (logits.ndim === 0 || y.ndim === 0 || logits.shape[logits.ndim - 1] !== y.shape[y.ndim - 1]) {
    throw new ShapeError(op, "logits and y must have the same number of categories along the last axis", { logits: logits.shape, y: y.shape });
  }
  if (!broadcastShapes(logits.shape, y.shape)) {
    throw new ShapeError(op, "logits and y must broadcast (NumPy rules)", { logits: logits.shape, y: y.shape });
  }
}

/** A Tensor τ broadcasts against the batch shape (it may add batch axes of its own). */
function checkTauBatch(op: string, tau: Tau, batch: number[]): void {
  if (typeof tau !== "number" && !broadcastShapes(batch, tau.shape)) {
    throw new ShapeError(op, "tau must broadcast with the batch shape (NumPy rules)", { batch, tau: tau.shape });
  }
}

/** Entries in (0, 1], where the log-density is finite. */
function checkInsideSimplex(op: string, y: Tensor): void {
  const v = y.values();
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] > 0 && v[i] <= 1)) {
      throw new GumbelgradError(op, `y must lie strictly inside the simplex (0 < y ≤ 1), but y has ${v[i]} at ${formatShape(unravelIndex(i, y.shape))}; at low tau, samples underflow to 0 and the density is not representable`);
    }
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

/** Points strictly inside the simplex (rows of a softmax), as fixed or perturbable inputs. */
function simplexPoints(rng: Rng, shape: number[], requiresGrad: boolean): Tensor {
  const t = softmax(uniformArg(rng, shape, -1.5, 1.5, false), -1).detach();
  t.requiresGrad = requiresGrad;
  return t;
}


export const concreteLogProbSpec: OpSpec = {
  name: "concreteLogProb",
  fn: concreteLogProb,
  samples: (rng) => {
    const fixedY = tensor([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.15, 0.05]]); // points of the 4-simplex, not perturbed
    return [
      sample("logits [3, 4], tau 0.7", [uniformArg(rng, [3, 4], -2, 2)], (l) => concreteLogProb(l, 0.7, cast(fixedY, l.dtype))),
      sample("logits, learnable tau and y", [uniformArg(rng, [3, 4], -2, 2), fullArg(0.6), simplexPoints(rng, [3, 4], true)],
        (l, t, y) => concreteLogProb(l, t, y)),
      sample("batch tau [3], logits [4] broadcast against y [3, 4]", [uniformArg(rng, [4], -2, 2), fullArg(1.5, [3])],
        (l, t) => concreteLogProb(l, t, cast(fixedY, l.dtype))),
      sample("K = 2, tau 0.3", [uniformArg(rng, [5, 2], -2, 2), simplexPoints(rng, [5, 2], true)], (l, y) => concreteLogProb(l, 0.3, y)),
    ];
  },
  errors: () => [
    errorSample("categories differ", () => concreteLogProb(tensor([[0, 0, 0]]), 1, tensor([[0.5, 0.5]])),
      "concreteLogProb: logits and y must have the same number of categories along the last axis, but logits has shape [1, 3] and y has shape [1, 2]"),
    errorSample("y on the boundary", () => concreteLogProb(tensor([0, 0]), 1, tensor([1, 0])),
      "concreteLogProb: y must lie strictly inside the simplex (0 < y ≤ 1), but y has 0 at [1]; at low tau, samples underflow to 0 and the density is not representable"),
    errorSample("tau 0", () => concreteLogProb(tensor([0, 0]), 0, tensor([0.5, 0.5])), "concreteLogProb: tau must be a positive finite number, but got 0"),
    errorSample("batch shapes do not broadcast", () => concreteLogProb(tensor([[0, 0], [0, 0]]), 1, tensor([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]])),
      "concreteLogProb: logits and y must broadcast (NumPy rules), but logits has shape [2, 2] and y has shape [3, 2]"),
  ],
};
