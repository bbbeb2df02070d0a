// Concrete(π, τ), the relaxed one-hot categorical of Maddison et al. 2017 and Jang et al. 2017, as
// PyTorch's RelaxedOneHotCategorical: ExpRelaxedCategorical's values, exponentiated.
//   rsample: y = softmax((ℓ + g)/τ), g ~ Gumbel(0, 1) (gumbelSoftmax)
//   log p(y) = log p_ExpConcrete(log y) − Σ_k log y_k   (the Jacobian of exp)
import { errorSample, fullArg, GumbelgradError, noGrad, sample, tensor, uniformArg, type OpSpec, type Rng, type Tensor } from "../core/index.js";
import { broadcastTo, cast, log, softmax, sub, sum } from "../ops/index.js";
import { sameShape, unravelIndex } from "../kernels/index.js";
import { gumbel, gumbelSoftmax, type Tau } from "../gumbel/index.js";
import { CategoricalParams, categoricalParamsOf } from "./categoricalParams.js";
import { checkVectors, Distribution, drawArgs, floatDType, sampleRng, valueArg, valueBatch, type DistributionOptions, type DrawOptions } from "./distribution.js";
import { expConcreteLogProb } from "./expRelaxedCategorical.js";
import { perEvent, temperatureArg } from "./temperature.js";

/** PyTorch's tolerance for a point of the simplex: |Σ y − 1| < 1e-6. */
const SIMPLEX_TOLERANCE = 1e-6;

/**
 * The Concrete (Gumbel-softmax) distribution over the last axis, as PyTorch's
 * `RelaxedOneHotCategorical`: reparameterised samples on the simplex, and their log-density. At low
 * τ (below about 0.01) the entries of a sample underflow to 0, where the density of y cannot be
 * represented: {@link ExpRelaxedCategorical} works with log y instead and stays finite.
 * @category Distributions
 */
export class RelaxedOneHotCategorical extends Distribution {
  private readonly params: CategoricalParams;
  private readonly batch: number[];
  /** The temperature: a number, or a Tensor (learnable) that broadcasts with the batch shape. */
  readonly tau: Tau;

  /**
   * Concrete(softmax(logits), τ) over the last axis.
   * @param logits Unnormalised log-probabilities [..., K], any batch shape; −∞ marks an impossible category.
   * @param tau The temperature τ > 0: a number, or a Tensor (rank 0, or of a shape that broadcasts with the batch shape).
   * @param opts `validateArgs` (default true): check the logits, and that logProb's values lie on the simplex.
   * @throws GumbelgradError for logits of rank 0, a τ that is not positive and finite, and (validating) NaN, +∞ or all −∞ logits.
   */
  constructor(logits: Tensor, tau: Tau, opts: DistributionOptions = {}) {
    super(opts);
    this.params = new CategoricalParams(this.kind, logits, false, this.validateArgs);
    categoricalParamsOf.set(this, this.params);
    ({ tau: this.tau, batch: this.batch } = temperatureArg(this.kind, tau, this.params.batch));
  }

  /** The class's name, which its error messages start with. */
  protected override get kind(): string {
    return "RelaxedOneHotCategorical";
  }

  /** The logits' leading axes, broadcast with a Tensor τ's shape. */
  get batchShape(): number[] {
    return [...this.batch];
  }

  /** `[K]`: a value is a point of the simplex. */
  get eventShape(): number[] {
    return [this.params.k];
  }

  /** The normalised log-probabilities ℓ − logsumexp ℓ, [..., K] (PyTorch's; the logits as given are not kept). */
  get logits(): Tensor {
    return this.params.logits;
  }

  /** The probabilities softmax(ℓ), [..., K]. */
  get probs(): Tensor {
    return this.params.probs;
  }

  /**
   * A reparameterised sample softmax((ℓ + g)/τ), [...sampleShape, ...batchShape, K], differentiable
   * in the logits and τ: gumbelSoftmax with fresh noise.
   */
  rsample(opts: DrawOptions = {}): Tensor {
    const { sampleShape, rng } = drawArgs(`${this.kind}.rsample`, opts);
    const shape = [...sampleShape, ...this.batch, this.params.k];
    const l = this.params.sampling;
    const logits = sameShape(l.shape, shape) ? l : broadcastTo(l, shape);
    return gumbelSoftmax(logits, { tau: perEvent(this.tau), noise: gumbel(shape, { rng, dtype: floatDType(l) }) });
  }

  /** The same as rsample, without a gradient. */
  sample(opts: DrawOptions = {}): Tensor {
    return noGrad(() => this.rsample(opts));
  }

  /**
   * The Concrete log-density of y [..., K], with the batch shape broadcast with y's leading axes.
   * It is a density on the simplex, so positive values are normal. Differentiable in the logits, τ and y.
   * @throws GumbelgradError (validating) for a y off the simplex (an entry below 0, or a sum more than 1e-6 from 1), or with an entry 0, where the density is not representable; ShapeError when y does not fit.
   */
  logProb(value: Tensor): Tensor {
    const op = `${this.kind}.logProb`;
    const y = valueArg(op, value);
    valueBatch(op, y, this.batch, [this.params.k]);
    if (this.validateArgs) {
      checkVectors(op, y, onSimplex, `(the simplex: entries ≥ 0 that sum to 1 within ${SIMPLEX_TOLERANCE})`);
      checkInside(op, y);
    }
    const x = log(y);
    return sub(expConcreteLogProb(this.params.logits, this.tau, x, this.params.k), sum(x, -1));
  }
}

function onSimplex(row: ArrayLike<number>): boolean {
  let total = 0;
  for (let i = 0; i < row.length; i++) {
    if (!(row[i] >= 0)) return false;
    total += row[i];
  }
  return Math.abs(total - 1) < SIMPLEX_TOLERANCE;
}

/** No entry 0, where log y = −∞ and the density (PyTorch: NaN) is not representable. */
function checkInside(op: string, y: Tensor): void {
  const v = y.values();
  const i = v.indexOf(0);
  if (i >= 0) {
    const at = `[${unravelIndex(i, y.shape).join(", ")}]`;
    throw new GumbelgradError(op, `value has 0 at ${at}, where the log-density is not representable (at low tau, samples underflow to 0; ExpRelaxedCategorical's samples, log y, do not)`);
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

/** Points strictly inside the simplex (rows of a softmax), perturbable by the checker. */
function simplexPoints(rng: Rng, shape: number[]): Tensor {
  const t = softmax(uniformArg(rng, shape, -1.5, 1.5, false), -1).detach();
  t.requiresGrad = true;
  return t;
}

export const relaxedOneHotCategoricalSpec: OpSpec = {
  name: "RelaxedOneHotCategorical",
  fn: RelaxedOneHotCategorical,
  samples: (rng) => {
    const y = tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]);
    return [
      sample("logProb, in the logits and τ", [uniformArg(rng, [2, 3], -1, 1), fullArg(0.8)], (l, t) => new RelaxedOneHotCategorical(l, t).logProb(cast(y, l.dtype))),
      // off the simplex once perturbed, so validation is off: the density is a formula in y
      sample("logProb, in y too, τ 0.3", [uniformArg(rng, [2, 3], -1, 1), simplexPoints(rng, [2, 3])],
        (l, v) => new RelaxedOneHotCategorical(l, 0.3, { validateArgs: false }).logProb(v)),
      sample("logProb, τ per distribution [2]", [uniformArg(rng, [3], -1, 1), fullArg(1.5, [2])], (l, t) => new RelaxedOneHotCategorical(l, t).logProb(cast(y, l.dtype))),
      sample("rsample, in the logits and τ", [uniformArg(rng, [2, 3], -1, 1), fullArg(0.8)], (l, t) => new RelaxedOneHotCategorical(l, t).rsample({ rng: sampleRng() })),
      sample("rsample with sampleShape [2, 1]", [uniformArg(rng, [2, 3], -1, 1)], (l) => new RelaxedOneHotCategorical(l, 0.7).rsample({ sampleShape: [2, 1], rng: sampleRng() })),
      sample("logits and probs", [uniformArg(rng, [2, 3], -1, 1)], (l) => {
        const d = new RelaxedOneHotCategorical(l, 0.5);
        return d.logits.add(d.probs);
      }),
    ];
  },
  errors: () => [
    errorSample("logits of rank 0", () => new RelaxedOneHotCategorical(tensor(1), 1), "RelaxedOneHotCategorical: logits need an event axis (the last), but logits has shape []"),
    errorSample("tau -1", () => new RelaxedOneHotCategorical(tensor([0, 1]), -1), "RelaxedOneHotCategorical: tau must be a positive finite number, but got -1"),
    errorSample("tau that does not broadcast with the batch", () => new RelaxedOneHotCategorical(tensor([[0, 1], [1, 0]]), tensor([1, 2, 3])),
      "RelaxedOneHotCategorical: tau must broadcast with the batch shape (NumPy rules), but batch has shape [2] and tau has shape [3]"),
    errorSample("tau a string", () => new RelaxedOneHotCategorical(tensor([0, 1]), "1" as unknown as number),
      "RelaxedOneHotCategorical: tau must be a number or a Tensor, but got the string \"1\""),
  ],
};
