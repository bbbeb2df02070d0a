/**
 * gumbelgrad: the public API. Everything a user imports comes from here. Tensors and their ops,
 * the tape and `backward`, the Gumbel family (noise, Gumbel-max, Gumbel-softmax, straight-through),
 * the gradient checker and the op registry, nn layers, optimizers, quantizers, and the lab of
 * gradient estimators. Browser-safe: nothing here needs Node's file system.
 *
 * ```ts
 * import { tensor, gumbelSoftmax } from "gumbelgrad";
 * const logits = tensor([[1, 2, 0.5]], { requiresGrad: true });
 * gumbelSoftmax(logits, { tau: 0.5, hard: true }).mul(tensor([[1, 2, 3]])).sum().backward();
 * ```
 * @module gumbelgrad
 *
 * @categoryDescription Tensors
 * Values in an ndarray view, float64 by default, and the functions that make them.
 * @categoryDescription Elementwise ops
 * Differentiable ops applied element by element. Binary ones broadcast with NumPy's rules and take a plain number for either operand.
 * @categoryDescription Reductions and softmax
 * Ops over one or more axes (negative axes count from the end), and the index-valued argmax and argmin.
 * @categoryDescription Shapes
 * Ops that move, repeat, cut or join values without computing new ones.
 * @categoryDescription Linear algebra and indexing
 * The matrix product, and picking rows or elements by index (a codebook lookup is indexSelect).
 * @categoryDescription Losses
 * Losses with PyTorch's conventions: a mean over elements or over the batch.
 * @categoryDescription Autodiff
 * The tape, backward's helpers, functional gradients, and ops of your own.
 * @categoryDescription Gradient checking
 * Finite-difference checks of first and second derivatives, and the registry they run over.
 * @categoryDescription Gumbel family
 * Sampling a category without killing the gradient: Gumbel noise, Gumbel-max, Gumbel-top-k, the Gumbel-softmax relaxation, straight-through, the Concrete density, REINFORCE, and annealing τ.
 * @categoryDescription Distributions
 * torch.distributions for discrete latents: Categorical, one-hot, straight-through, Concrete (relaxed and in log space) and Bernoulli distributions, with sample, rsample, logProb, entropy and klDivergence.
 * @categoryDescription nn
 * Modules, layers and their state dicts, named as PyTorch names them.
 * @categoryDescription Optimizers
 * Update rules that write into the parameters, learning-rate schedules and gradient clipping, as PyTorch's torch.optim.
 * @categoryDescription Data
 * Minibatches of row indices, shuffled from a seed, and the rows they pick.
 * @categoryDescription Quantizers
 * Vector quantization: the VQ-VAE codebook lookup, the Gumbel quantizer, k-means and codebook statistics.
 * @categoryDescription Estimators
 * A lab for gradient estimators of discrete choices: problems with exact gradients, the estimators, and their bias and variance.
 * @categoryDescription Errors
 * What misuse throws: errors that name the function, then the rule, then the offending shapes or values.
 */
export { Tensor, tensor, zeros, ones, full, rand, randn, fromData } from "./core/index.js";
export type { TensorLike, NestedArray, DType, FloatDType, CreateOptions, RandomOptions } from "./core/index.js";
export { GumbelgradError, ShapeError, formatShape } from "./core/index.js";
export { Rng, manualSeed } from "./core/index.js";
export { noGrad } from "./core/index.js";
export { tape } from "./core/index.js";
export { detectAnomaly, setDetectAnomaly } from "./core/index.js";
export type { Primitive } from "./core/index.js";
export type { OpSpec, Sample, ErrorSample } from "./core/index.js";

export {
  neg, exp, log, sqrt, abs, relu, sigmoid, tanh, softplus,
  add, sub, mul, div, pow, maximum, minimum, clamp, where,
  square, sum, mean, max, min, logsumexp, argmax, argmin,
  transpose, reshape, broadcastTo, slice, concat, stack, cast,
  matmul, linear, squaredDistances, indexSelect, gather, oneHot, stopGradient, softmax, logSoftmax, straightThrough,
} from "./ops/index.js";
export { mseLoss, crossEntropy, nllLoss, binaryCrossEntropyWithLogits } from "./losses/index.js";
export type { Reduction, CrossEntropyOptions, NllLossOptions, BinaryCrossEntropyOptions } from "./losses/index.js";

export { grad, valueAndGrad, customOp } from "./autodiff/index.js";
export type { GradOptions, CustomOpDefinition } from "./autodiff/index.js";
export { gradcheck, gradgradcheck } from "./testing/index.js";
export type { GradcheckOptions, GradcheckReport, InputReport, WorstElement } from "./testing/index.js";
export { registry, notDifferentiable } from "./registry.js";

// Gumbel family
export {
  gumbel, categorical, gumbelTopK, gumbelSoftmax,
  concreteLogProb, scoreFunctionSurrogate, expDecayTau,
} from "./gumbel/index.js";
export type {
  GumbelOptions, UniformSource, SampleOptions, GumbelSoftmaxOptions, ScoreFunctionOptions, ExpDecayTauOptions, Tau,
} from "./gumbel/index.js";
export { gumbelRao, reinmax, conditionalGumbel, truncatedGumbel } from "./gumbel/index.js";
export type { GumbelRaoOptions, ReinmaxOptions } from "./gumbel/index.js";

// Distributions
export {
  Distribution, Categorical, OneHotCategorical, OneHotCategoricalStraightThrough, RelaxedOneHotCategorical, ExpRelaxedCategorical,
  Bernoulli, RelaxedBernoulli, klDivergence,
} from "./distributions/index.js";
export type { DistributionOptions, DrawOptions } from "./distributions/index.js";

// nn, optim, data and quantizers
export {
  Module, Linear, Sequential, MLP, ReLU, Tanh, Sigmoid, Embedding, LayerNorm, Dropout, stateDict, loadStateDict, findNonFinite,
} from "./nn/index.js";
export type {
  LinearOptions, Layer, MLPOptions, Activation, EmbeddingOptions, LayerNormOptions, DropoutOptions, StateDict, SavedTensor, NonFinite,
} from "./nn/index.js";
export { Optimizer, SGD, Adam, AdamW, clipGradNorm, LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, LinearLR } from "./optim/index.js";
export type {
  SGDOptions, AdamOptions, OptimizerState, ParamState, SavedNumber,
  SchedulerState, StepLROptions, ExponentialLROptions, CosineAnnealingLROptions, LinearLROptions,
} from "./optim/index.js";
export { batches, gatherRows } from "./data/index.js";
export type { BatchesOptions } from "./data/index.js";
export { VectorQuantizer, GumbelQuantizer, codebookStats, kmeans, kmeansPlusPlus } from "./quantize/index.js";
export type { Quantizer, QuantizedOutput, VectorQuantizerOptions, QuantizerOutput, GumbelQuantizerOptions, GumbelQuantizerOutput, CodebookStats, KMeansOptions, KMeansResult } from "./quantize/index.js";

// estimators
export {
  categoricalProblem, withLogits, MAX_OUTCOMES, exactObjective, exactGradient, exactEstimator,
  scoreFunctionEstimator, gumbelSoftmaxEstimator, straightThroughEstimator, gumbelRaoEstimator, reinMaxEstimator,
  compareEstimators, gradientSamples, summarizeSamples,
  codebookProblem, bernoulliProblem, bernoulliLogits,
} from "./estimators/index.js";
export type {
  CategoricalProblem, CategoricalProblemSpec, GradientEstimator, Baseline, ScoreFunctionEstimatorOptions,
  RelaxedEstimatorOptions, GumbelRaoEstimatorOptions, EstimatorReport, CompareOptions, CodebookProblemOptions,
} from "./estimators/index.js";
