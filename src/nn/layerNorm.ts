// LayerNorm: normalises over the trailing axes, then scales and shifts, as PyTorch's nn.LayerNorm.
import { checkSize, describeValue, errorSample, GumbelgradError, numberIn, ones, optionsArg, positiveInteger, sample, ShapeError, show, uniformArg, zeros, type FloatDType, type OpSpec, type Tensor } from "../core/index.js";
import { add, div, mean, mul, sqrt, square, sub } from "../ops/index.js";
import { Module } from "./module.js";
import { booleanArg, dtypeArg, layerInput } from "./input.js";

/** Options for {@link LayerNorm}, as torch.nn.LayerNorm's. @category nn */
export interface LayerNormOptions {
  /** ε, added to the variance. Default 1e-5. */
  eps?: number;
  /** Whether to learn the scale γ (`weight`, ones) and shift β (`bias`, zeros). Default true. */
  elementwiseAffine?: boolean;
  /** The dtype of the parameters and of the computation: "float64" (default) or "float32". */
  dtype?: FloatDType;
}

/**
 * y = (x − μ)/√(σ² + ε)·γ + β, with μ and σ² the mean and the biased variance (÷ n) over the trailing
 * axes of x given by `normalizedShape`, as PyTorch's nn.LayerNorm. γ starts at 1 and β at 0.
 * @category nn
 */
export class LayerNorm extends Module {
  /** The trailing shape normalised over: x must end in it. */
  readonly normalizedShape: number[];
  /** ε. */
  readonly eps: number;
  /** γ, of normalizedShape; the parameter `weight`, or null without elementwiseAffine. */
  readonly weight: Tensor | null;
  /** β, of normalizedShape; the parameter `bias`, or null without elementwiseAffine. */
  readonly bias: Tensor | null;
  /** The dtype of the parameters, and of the input the layer takes. */
  readonly dtype: FloatDType;

  /**
   * A layer normalisation over the last axes: `new LayerNorm([64])`, or `new LayerNorm(64)`.
   * @param normalizedShape The trailing shape of x to normalise over: positive integers.
   * @throws GumbelgradError for a shape that is not positive integers, or a negative eps.
   */
  constructor(normalizedShape: number | number[], opts: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(shape) || shape.length === 0) {
      throw new GumbelgradError("LayerNorm", `normalizedShape must be a positive integer or a non-empty array of them, but got ${Array.isArray(shape) ? "[]" : describeValue(shape)}`);
    }
    shape.forEach((d, i) => positiveInteger("LayerNorm", `normalizedShape[${i}]`, d));
    checkSize("LayerNorm", shape);
    const o = optionsArg("LayerNorm", opts);
    this.normalizedShape = [...shape];
    this.eps = numberIn("LayerNorm", "eps", o.eps ?? 1e-5, { atLeast: 0 });
    this.dtype = dtypeArg("LayerNorm", o.dtype);
    const affine = booleanArg("LayerNorm", "elementwiseAffine", o.elementwiseAffine, true);
    this.weight = affine ? this.addParameter("weight", ones(this.normalizedShape, { dtype: this.dtype })) : null;
    this.bias = affine ? this.addParameter("bias", zeros(this.normalizedShape, { dtype: this.dtype })) : null;
  }

  /**
   * x [..., ...normalizedShape] normalised over its trailing axes, then scaled and shifted: same shape and dtype.
   * @throws ShapeError when x does not end in normalizedShape; GumbelgradError when x's dtype is not the layer's.
   */
  forward(x: Tensor): Tensor {
    const input = layerInput("LayerNorm", x, this.dtype);
    const k = this.normalizedShape.length;
    const tail = input.shape.slice(input.ndim - k);
    if (input.ndim < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError("LayerNorm", `x must end in normalizedShape [${this.normalizedShape.map(show).join(", ")}]`, { x: input.shape });
    }
    return layerNorm(input, k, this.eps, this.weight, this.bias);
  }
}

/** (x − μ)/√(σ² + ε)·γ + β over the last k axes of x, from the ops (so it is differentiable twice). */
function layerNorm(x: Tensor, k: number, eps: number, weight: Tensor | null, bias: Tensor | null): Tensor {
  const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const centred = sub(x, mean(x, axes, true));
  const variance = mean(square(centred), axes, true);
  const normalized = div(centred, sqrt(add(variance, eps)));
  return weight && bias ? add(mul(normalized, weight), bias) : normalized;
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const layerNormSpec: OpSpec = {
  name: "LayerNorm",
  fn: LayerNorm,
  // γ and β are inputs here, so the check covers the gradients into them as well as into x.
  samples: (rng) => [
    sample("x [3, 4] over the last axis, with γ and β", [uniformArg(rng, [3, 4]), uniformArg(rng, [4], 0.5, 1.5), uniformArg(rng, [4])], (x, w, b) => layerNorm(x, 1, 1e-5, w, b)),
    sample("x [2, 2, 3] over the last two axes", [uniformArg(rng, [2, 2, 3]), uniformArg(rng, [2, 3], 0.5, 1.5), uniformArg(rng, [2, 3])], (x, w, b) => layerNorm(x, 2, 1e-5, w, b)),
    sample("through the module, without affine parameters", [uniformArg(rng, [2, 5])], (x) => new LayerNorm([5], { elementwiseAffine: false, dtype: x.dtype as FloatDType }).forward(x)),
  ],
  errors: () => [
    errorSample("x that does not end in the shape", () => new LayerNorm([4]).forward(zeros([4, 3])), "LayerNorm: x must end in normalizedShape [4], but x has shape [4, 3]"),
    errorSample("a zero size", () => new LayerNorm([3, 0]), "LayerNorm: normalizedShape[1] must be a positive integer, but got 0"),
    errorSample("float32 input into a float64 layer", () => new LayerNorm(2).forward(zeros([1, 2], { dtype: "float32" })),
      'LayerNorm: x must be float64, the dtype of the module\'s parameters, but x is float32: cast it with x.cast("float64"), or build the module with { dtype: "float32" }'),
  ],
};
