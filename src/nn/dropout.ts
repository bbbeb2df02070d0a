// Dropout: in training, zeroes each element with probability p and scales the rest by 1/(1 − p),
// as PyTorch's nn.Dropout; in evaluation mode, the identity.
import { errorSample, numberIn, optionsArg, Rng, rngArg, sample, uniformArg, wrap, type OpSpec, type Tensor } from "../core/index.js";
import { allocate, sizeOf, type DType } from "../kernels/index.js";
import { mul } from "../ops/index.js";
import { Module } from "./module.js";
import { floatInput } from "./input.js";

/** Options for {@link Dropout}. @category nn */
export interface DropoutOptions {
  /** The generator of the masks. Default: the generator set by manualSeed. */
  rng?: Rng;
}

/**
 * y = x·m/(1 − p), with m ~ Bernoulli(1 − p) drawn afresh at every forward in training mode, as
 * PyTorch's nn.Dropout: the expected value of y is x. p = 1 gives zeros (x·0); evaluation mode
 * (`eval()`) and p = 0 return x itself. The gradient is masked the same way: g·m/(1 − p).
 * @category nn
 */
export class Dropout extends Module {
  /** The generator of the masks. */
  readonly rng: Rng;

  /**
   * A dropout layer: `new Dropout(0.1, { rng })`.
   * @param p The probability that an element is zeroed, in [0, 1]. Default 0.5, as PyTorch's.
   * @throws GumbelgradError for a p outside [0, 1].
   */
  constructor(readonly p = 0.5, opts: DropoutOptions = {}) {
    super();
    numberIn("Dropout", "p", p, { atLeast: 0, atMost: 1 });
    this.rng = rngArg("Dropout", optionsArg("Dropout", opts).rng);
  }

  /** In training mode, x with a fresh mask applied; in evaluation mode, x. Same shape and dtype. */
  forward(x: Tensor): Tensor {
    const input = floatInput("Dropout", x);
    if (!this.training || this.p === 0) return input;
    return mul(input, dropoutMask(input.shape, input.dtype, this.p, this.rng));
  }
}

/** m/(1 − p) with m ~ Bernoulli(1 − p) per element, in `dtype`: each entry 0 or 1/(1 − p); all 0 when p = 1. */
function dropoutMask(shape: number[], dtype: DType, p: number, rng: Rng): Tensor {
  const mask = allocate(dtype, sizeOf(shape));
  const kept = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < 1 - p ? kept : 0;
  return wrap(mask, shape);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const dropoutSpec: OpSpec = {
  name: "Dropout",
  fn: Dropout,
  // A fresh layer from the same seed at every call: the same mask for every evaluation of the check.
  samples: (rng) => [
    sample("training, p = 0.4, from a fixed seed", [uniformArg(rng, [4, 5])], (x) => new Dropout(0.4, { rng: new Rng(5) }).forward(x)),
    sample("evaluation mode: the identity", [uniformArg(rng, [3])], (x) => new Dropout(0.4).eval().forward(x)),
    sample("p = 1: zeros", [uniformArg(rng, [2, 2])], (x) => new Dropout(1, { rng: new Rng(6) }).forward(x)),
  ],
  errors: () => [
    errorSample("p above 1", () => new Dropout(1.5), "Dropout: p must be a number in [0, 1], but got 1.5"),
    errorSample("p below 0", () => new Dropout(-0.1), "Dropout: p must be a number in [0, 1], but got -0.1"),
    errorSample("a plain array", () => new Dropout(0.5).forward([1, 2] as unknown as Tensor), "Dropout: x must be a Tensor, but got an array (wrap it with tensor(...))"),
  ],
};
