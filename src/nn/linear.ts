// Linear: the affine layer of the examples' encoders and decoders.
import { checkSize, errorSample, optionsArg, positiveInteger, Rng, rngArg, sample, ShapeError, Tensor, uniformArg, wrap, zeros, type FloatDType, type OpSpec } from "../core/index.js";
import { allocate, sizeOf } from "../kernels/index.js";
import { linear } from "../ops/index.js";
import { Module } from "./module.js";
import { booleanArg, dtypeArg, layerInput } from "./input.js";

/** Options for {@link Linear}. @category nn */
export interface LinearOptions {
  /** Whether to learn a bias b. Default true. */
  bias?: boolean;
  /** The dtype of the parameters and of the computation: "float64" (default) or "float32". */
  dtype?: FloatDType;
  /** The generator for the initial weights. Default: the generator set by manualSeed. */
  rng?: Rng;
}

/** Uniform samples in (−bound, bound), as a packed tensor of `dtype`. */
export function uniformInit(shape: number[], bound: number, rng: Rng, dtype: FloatDType): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = bound * (2 * rng.uniform() - 1);
  return wrap(data, shape);
}

/**
 * y = x·Wᵀ + b, with W of shape [outFeatures, inFeatures] as in PyTorch (so weights load across).
 * Init as PyTorch: W and b ~ U(−1/√in, 1/√in), drawn from `rng` (seeded) or the default generator.
 * A float32 layer keeps float32 end to end; x must have the layer's dtype.
 * @category nn
 */
export class Linear extends Module {
  /** W, [outFeatures, inFeatures]; the parameter `weight`. */
  readonly weight: Tensor;
  /** b, [outFeatures]; the parameter `bias`, or null with `{ bias: false }`. */
  readonly bias: Tensor | null;
  /** The dtype of the parameters, and of the input the layer takes. */
  readonly dtype: FloatDType;

  /**
   * A layer mapping inFeatures to outFeatures, with freshly drawn weights.
   * @param inFeatures The size of the last axis of x.
   * @param outFeatures The size of the last axis of y.
   * @throws GumbelgradError unless both sizes are positive integers.
   */
  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: LinearOptions = {}) {
    super();
    positiveInteger("Linear", "inFeatures", inFeatures);
    positiveInteger("Linear", "outFeatures", outFeatures);
    checkSize("Linear", [outFeatures, inFeatures]);
    const o = optionsArg("Linear", opts);
    const rng = rngArg("Linear", o.rng);
    const withBias = booleanArg("Linear", "bias", o.bias, true);
    this.dtype = dtypeArg("Linear", o.dtype);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.addParameter("weight", uniformInit([outFeatures, inFeatures], bound, rng, this.dtype));
    this.bias = withBias ? this.addParameter("bias", uniformInit([outFeatures], bound, rng, this.dtype)) : null;
  }

  /**
   * y = x·Wᵀ + b: x [..., inFeatures] gives y [..., outFeatures], in the layer's dtype.
   * @throws ShapeError when the last axis of x is not inFeatures; GumbelgradError when x's dtype is not the layer's.
   */
  forward(x: Tensor): Tensor {
    const input = layerInput("Linear", x, this.dtype);
    if (input.ndim < 1 || input.shape[input.ndim - 1] !== this.inFeatures) {
      throw new ShapeError("Linear", `the last axis of x must be inFeatures = ${this.inFeatures}`, { x: input.shape });
    }
    return linear(input, this.weight, this.bias);
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const linearSpec: OpSpec = {
  name: "Linear",
  fn: Linear,
  samples: (rng) => {
    const layer = new Linear(3, 2, { rng: new Rng(7) });
    const noBias = new Linear(4, 3, { bias: false, rng: new Rng(8) });
    return [
      sample("x [5, 3] through Linear(3, 2)", [uniformArg(rng, [5, 3])], (x) => layer.forward(x), true),
      sample("a batch of batches [2, 3, 4], no bias", [uniformArg(rng, [2, 3, 4])], (x) => noBias.forward(x)),
    ].map((s) => ({ ...s, float32: false })); // the layer fixes the dtype (float32: test/nn-modules.test.ts)
  },
  errors: () => [
    errorSample("wrong last axis", () => new Linear(3, 2).forward(zeros([4, 2])), "Linear: the last axis of x must be inFeatures = 3, but x has shape [4, 2]"),
    errorSample("zero features", () => new Linear(0, 2), "Linear: inFeatures must be a positive integer, but got 0"),
    errorSample("float64 input into a float32 layer", () => new Linear(2, 2, { dtype: "float32" }).forward(zeros([1, 2])),
      'Linear: x must be float32, the dtype of the module\'s parameters, but x is float64: cast it with x.cast("float32"), or build the module with { dtype: "float64" }'),
    errorSample("a bias option that is not a boolean", () => new Linear(2, 2, { bias: 0 as unknown as boolean }), "Linear: bias must be true or false, but got the number 0"),
  ],
};
