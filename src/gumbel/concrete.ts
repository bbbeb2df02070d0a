// The Concrete (relaxed one-hot categorical) distribution of Maddison et al. 2017: reparameterised
// samples and the log-density, for relaxed KL terms.
//   log p(y) = log Γ(K) + (K−1)·log τ + Σ_k (s_k − log y_k) − K·logsumexp_k s_k,   s_k = log π_k − τ·log y_k
//   (the ExpConcrete density of x = log y, minus Σ_k log y_k, the Jacobian of exp)
import { errorSample, floatArg, formatShape, fullArg, GumbelgradError, sample, ShapeError, tensor, Tensor, uniformArg, type OpSpec, Rng } from "../core/index.js";
import { add, broadcastTo, cast, log, logSoftmax, logsumexp, mul, reshape, softmax, sub, sum } from "../ops/index.js";
import { broadcastShapes, sameShape, unravelIndex } from "../kernels/index.js";
import { gumbelSoftmax } from "./gumbelSoftmax.js";
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
  return logDensity("concreteLogProb", logits, tau, y);
}

/** concreteLogProb, with errors that name `op` (the function or class the user called). */
function logDensity(op: string, logits: Tensor, tau: Tau, y: Tensor): Tensor {
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

/**
 * Entries along the last axis that sum to 1 (within 1e-6, PyTorch's tolerance for its simplex). The
 * distribution checks this (as PyTorch's validate_args); concreteLogProb, a plain formula, is also
 * defined off the simplex, which its gradient check needs.
 */
function checkOnSimplex(op: string, y: Tensor): void {
  const v = y.values();
  const k = y.shape[y.ndim - 1];
  for (let r = 0; r < v.length / k; r++) {
    let total = 0;
    for (let j = 0; j < k; j++) total += v[r * k + j];
    if (!(Math.abs(total - 1) <= SIMPLEX_TOLERANCE)) {
      throw new GumbelgradError(op, `y must lie on the simplex (its entries along the last axis sum to 1), but the entries at [${[...unravelIndex(r * k, y.shape).slice(0, -1), ":"].join(", ")}] sum to ${total}`);
    }
  }
}

const SIMPLEX_TOLERANCE = 1e-6;

/** Concrete(π = softmax(logits), τ) over the last axis, as PyTorch's RelaxedOneHotCategorical. @category Gumbel family */
export class RelaxedOneHotCategorical {
  /** The logits as given (unnormalised), [..., K]: the event axis is the last. */
  readonly logits: Tensor;
  /** The temperature: a number, or a Tensor that broadcasts against the batch shape. */
  readonly tau: Tau;

  /**
   * Concrete(softmax(logits), τ) over the last axis.
   * @param logits Unnormalised log-probabilities [..., K], any batch shape; the last axis holds the categories.
   * @param tau The temperature τ > 0, a number or a Tensor of (a shape that broadcasts with) the batch shape.
   * @throws GumbelgradError for rank-0 logits or a τ that is not positive and finite.
   */
  constructor(logits: Tensor, tau: Tau) {
    this.logits = floatArg("RelaxedOneHotCategorical", "logits", logits);
    if (this.logits.ndim === 0) throw new GumbelgradError("RelaxedOneHotCategorical", "logits need an event axis (the last), but logits has shape []");
    this.tau = checkTau("RelaxedOneHotCategorical", tau);
    checkTauBatch("RelaxedOneHotCategorical", this.tau, this.logits.shape.slice(0, -1));
  }

  /** The shape of one draw: the batch (logits' and τ's, broadcast) and the event axis. */
  get shape(): number[] {
    const batch = this.logits.shape.slice(0, -1);
    const joint = typeof this.tau === "number" ? batch : broadcastShapes(batch, this.tau.shape)!;
    return [...joint, this.logits.shape[this.logits.ndim - 1]];
  }

  /** π = softmax(logits) */
  get probs(): Tensor {
    return softmax(this.logits, -1);
  }

  /** A reparameterised sample: softmax((logits + g)/τ), differentiable in logits and τ. */
  rsample(opts: { rng?: Rng } = {}): Tensor {
    const logits = sameShape(this.shape, this.logits.shape) ? this.logits : broadcastTo(this.logits, this.shape);
    return gumbelSoftmax(logits, { tau: perEvent(this.tau), rng: opts.rng });
  }

  /** The Concrete log-density of y, with the batch shape. y must lie on the simplex. */
  logProb(y: Tensor): Tensor {
    const op = "RelaxedOneHotCategorical";
    const ty = floatArg(op, "y", y);
    checkEvent(op, this.logits, ty);
    checkOnSimplex(op, ty);
    return logDensity(op, this.logits, this.tau, ty);
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

export const relaxedOneHotCategoricalSpec: OpSpec = {
  name: "RelaxedOneHotCategorical",
  fn: RelaxedOneHotCategorical,
  samples: (rng) => {
    const y = tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]);
    return [
      sample("logProb, in the logits and τ", [uniformArg(rng, [2, 3], -1, 1), fullArg(0.8)], (l, t) => new RelaxedOneHotCategorical(l, t).logProb(cast(y, l.dtype))),
      // the same seed in every call: the checker sees one reparameterised draw
      sample("rsample, in the logits and τ", [uniformArg(rng, [2, 3], -1, 1), fullArg(0.8)], (l, t) => new RelaxedOneHotCategorical(l, t).rsample({ rng: new Rng(13) })),
    ];
  },
  errors: () => [
    errorSample("logits without an event axis", () => new RelaxedOneHotCategorical(tensor(1), 1), "RelaxedOneHotCategorical: logits need an event axis (the last), but logits has shape []"),
  ],
};
