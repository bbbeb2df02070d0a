// The base of the distributions, as torch.distributions' Distribution: a batch shape and an event
// shape, and argument validation in one place (the options, sample shapes, the generator, values
// outside the support). Each distribution is one class in its own file beside this one.
import { checkShape, describeValue, formatShape, getDefaultRng, GumbelgradError, optionsArg, Rng, ShapeError, Tensor, type FloatDType } from "../core/index.js";
import { broadcastShapes, unravelIndex } from "../kernels/index.js";
import type { UniformSource } from "../gumbel/index.js";

/** The options every distribution's constructor takes, last. @category Distributions */
export interface DistributionOptions {
  /**
   * Check the parameters when constructing (no NaN, and for categorical ones a possible category in
   * every distribution) and that logProb's value lies in the support, as PyTorch's validate_args.
   * Default true.
   */
  validateArgs?: boolean;
}

/** The options of `sample` and `rsample`. @category Distributions */
export interface DrawOptions {
  /** Leading axes of independent draws: a draw has shape [...sampleShape, ...batchShape, ...eventShape]. Default []. */
  sampleShape?: number[];
  /** Where the randomness comes from: an {@link Rng}, or any {@link UniformSource}. Default: the generator set by manualSeed. */
  rng?: UniformSource;
}

/**
 * What every distribution has, as in torch.distributions: independent distributions over a batch
 * shape, each over values of an event shape; normalised `logits` and `probs`; `sample` (no gradient)
 * and `logProb` (one number per distribution: the batch shape). Subclasses add `rsample` and
 * `entropy` where PyTorch has them.
 * @category Distributions
 */
export abstract class Distribution {
  /** Whether the parameters were checked and logProb's values are (the constructor's `validateArgs`). */
  readonly validateArgs: boolean;

  /**
   * Reads the options every distribution takes.
   * @param opts `{ validateArgs }`, or undefined for the defaults.
   */
  protected constructor(opts: DistributionOptions | undefined) {
    const o = optionsArg(this.kind, opts);
    if (o.validateArgs !== undefined && typeof o.validateArgs !== "boolean") {
      throw new GumbelgradError(this.kind, `validateArgs must be true or false, but got ${describeValue(o.validateArgs)}`);
    }
    this.validateArgs = o.validateArgs ?? true;
  }

  /** The class's name, which its error messages start with. */
  protected get kind(): string {
    return "Distribution";
  }

  /** The shape of the batch of independent distributions: the parameters' leading axes. */
  abstract get batchShape(): number[];
  /** The shape of one value: `[]` for a category index or a Bernoulli draw, `[K]` for a one-hot or a point of the simplex. */
  abstract get eventShape(): number[];
  /** The log-probabilities (normalised, as PyTorch's); for Bernoulli ones, the log-odds. */
  abstract get logits(): Tensor;
  /** The probabilities (of each category, or of a 1 for Bernoulli ones). */
  abstract get probs(): Tensor;
  /** Draws values of shape [...sampleShape, ...batchShape, ...eventShape]; they never carry a gradient. */
  abstract sample(opts?: DrawOptions): Tensor;
  /** The log-probability (or log-density) of `value`, with the batch shape (broadcast with the value's leading axes). */
  abstract logProb(value: Tensor): Tensor;
}

// ---- shared checks ---------------------------------------------------------------------------------

/** A distribution's class name, as its messages give it (klDivergence's message names both). */
export function kindOf(d: Distribution): string {
  return (d as unknown as { kind: string }).kind;
}

/** The sample shape and the generator of a draw, checked; the generator defaults to manualSeed's. */
export function drawArgs(op: string, opts: DrawOptions | undefined): { sampleShape: number[]; rng: UniformSource } {
  const o = optionsArg(op, opts);
  const sampleShape = o.sampleShape ?? [];
  checkShape(op, sampleShape);
  const rng = o.rng ?? getDefaultRng();
  if (rng === null || typeof rng !== "object" || typeof (rng as UniformSource).uniform !== "function") {
    throw new GumbelgradError(op, `rng must be an Rng (new Rng(seed)) or have a uniform() method, but got ${describeValue(rng)}`);
  }
  return { sampleShape: [...sampleShape], rng };
}

/** n uniforms in (0, 1); an Rng fills them in bulk, in the same order as n calls of uniform(). */
export function uniforms(op: string, rng: UniformSource, n: number): Float64Array {
  const out = new Float64Array(n);
  if (rng instanceof Rng) rng.fillUniform(out);
  else for (let i = 0; i < n; i++) out[i] = rng.uniform();
  for (let i = 0; i < n; i++) {
    if (!(out[i] > 0 && out[i] < 1)) throw new GumbelgradError(op, `rng must give uniforms in the open interval (0, 1), but gave ${out[i]}`);
  }
  return out;
}

/** The value argument of logProb: a Tensor. */
export function valueArg(op: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw new GumbelgradError(op, `value must be a Tensor, but got ${describeValue(value)}`);
  return value;
}

/**
 * The batch shape of logProb's result: the value's leading axes (all but the event's) broadcast with
 * the distribution's batch shape, as PyTorch's; throws when the event axes or the batch do not fit.
 */
export function valueBatch(op: string, value: Tensor, batch: readonly number[], event: readonly number[]): number[] {
  const lead = value.ndim - event.length;
  if (lead < 0 || event.some((d, i) => value.shape[lead + i] !== d)) {
    throw new ShapeError(op, `value must end with the event shape ${formatShape(event)}`, { value: value.shape });
  }
  const joint = broadcastShapes(value.shape.slice(0, lead), batch);
  if (!joint) throw new ShapeError(op, "value must broadcast with the batch shape (NumPy rules)", { value: value.shape, batch });
  return joint;
}

/** The error for a value outside the support: the class's method, the value, where it is, and the support. */
export function outsideSupport(op: string, shown: string, index: number[], support: string): GumbelgradError {
  return new GumbelgradError(op, `value ${shown} at ${formatShape(index)} is outside the support ${support}`);
}

/** Checks each element of `value` with `inside`, or throws naming the first that is not. */
export function checkElements(op: string, value: Tensor, inside: (v: number) => boolean, support: string): void {
  const v = value.values();
  for (let i = 0; i < v.length; i++) if (!inside(v[i])) throw outsideSupport(op, String(v[i]), unravelIndex(i, value.shape), support);
}

/**
 * Checks each vector along the last axis with `inside`, or throws naming the first that is not,
 * with its entries and its position written `[1, :]`.
 */
export function checkVectors(op: string, value: Tensor, inside: (row: ArrayLike<number>) => boolean, support: string): void {
  const v = value.values();
  const k = value.shape[value.ndim - 1];
  for (let r = 0; k > 0 && r < v.length / k; r++) {
    const row = v.subarray(r * k, (r + 1) * k);
    if (!inside(row)) {
      const at = `[${[...unravelIndex(r * k, value.shape).slice(0, -1), ":"].join(", ")}]`;
      throw new GumbelgradError(op, `value [${Array.from(row).join(", ")}] at ${at} is outside the support ${support}`);
    }
  }
}

/** PyTorch's torch.finfo: the machine epsilon, the smallest normal number and the most negative finite number. */
export function finfo(dtype: FloatDType | string): { eps: number; tiny: number; min: number } {
  return dtype === "float32"
    ? { eps: 2 ** -23, tiny: 2 ** -126, min: -3.4028234663852886e38 }
    : { eps: 2 ** -52, tiny: 2 ** -1022, min: -Number.MAX_VALUE };
}

/** The floating dtype of a parameter, for constants and draws made to match it. */
export function floatDType(t: Tensor): FloatDType {
  return t.dtype === "float32" ? "float32" : "float64";
}

// ---- construction from probabilities ------------------------------------------------------------------

// `X.fromProbs(probs)` runs the constructor with `probs` in the place of the logits and this flag set,
// so that subclasses (OneHotCategoricalStraightThrough) get theirs too, through `new this(...)`.
let probsInConstruction: Tensor | null = null;

/** Calls `make` (a constructor call with `probs` as its first argument) so that the constructor reads `probs` as probabilities. */
export function constructFromProbs<T>(probs: Tensor, make: () => T): T {
  probsInConstruction = probs;
  try {
    return make();
  } finally {
    probsInConstruction = null;
  }
}

/** True when the constructor's first argument is the probabilities that fromProbs passes on. */
export function isProbsInConstruction(arg: unknown): boolean {
  const yes = probsInConstruction !== null && arg === probsInConstruction;
  probsInConstruction = null;
  return yes;
}

/** A generator at a fixed seed, made afresh in each call of an rsample's gradient-check sample, so that the checker sees one reparameterised draw. */
export const sampleRng = (): Rng => new Rng(13);
