// The registry: one hand-written list of every differentiable function and its samples.
// The test suite runs gradcheck (and gradgradcheck) over every sample of every entry, asserts
// every error sample, and fails when an exported differentiable function is missing from here.
import type { OpSpec } from "./core/opspec.js";
import { negSpec, expSpec, logSpec, sqrtSpec, absSpec, reluSpec, sigmoidSpec, tanhSpec, softplusSpec } from "./ops/unary.js";
import { addSpec, subSpec, mulSpec, divSpec, powSpec, maximumSpec, minimumSpec, clampSpec, whereSpec } from "./ops/binary.js";
import { sumSpec, maxSpec, minSpec, logsumexpSpec } from "./ops/reduce.js";
import { transposeSpec, reshapeSpec, broadcastToSpec, sliceSpec, concatSpec, stackSpec, castSpec } from "./ops/shape.js";
import { matmulSpec } from "./ops/matmul.js";
import { indexSelectSpec, gatherSpec } from "./ops/indexing.js";
import { softmaxSpec, logSoftmaxSpec } from "./ops/softmax.js";
import { squareSpec, meanSpec, mseLossSpec, crossEntropySpec } from "./composites/basic.js";
// Gumbel family
import { gumbelSoftmaxSpec } from "./gumbel/gumbelSoftmax.js";
import { straightThroughSpec } from "./ops/straightThrough.js";
import { concreteLogProbSpec } from "./gumbel/concrete.js";
import { scoreFunctionSurrogateSpec } from "./gumbel/scoreFunction.js";
// nn and quantizers
import { squaredDistancesSpec } from "./quantize/distances.js";
// estimators
import { exactObjectiveSpec } from "./estimators/exact.js";

/**
 * Every differentiable function of the package, with its gradient-check samples and error samples,
 * in one hand-written list. The test suite loops over it, and so does `gumbelgrad check`.
 * @category Gradient checking
 */
export const registry: OpSpec[] = [
  // unary elementwise
  negSpec, expSpec, logSpec, sqrtSpec, absSpec, reluSpec, sigmoidSpec, tanhSpec, softplusSpec,
  // binary elementwise, with broadcasting
  addSpec, subSpec, mulSpec, divSpec, powSpec, maximumSpec, minimumSpec, clampSpec, whereSpec,
  // reductions
  sumSpec, maxSpec, minSpec, logsumexpSpec,
  // shapes
  transposeSpec, reshapeSpec, broadcastToSpec, sliceSpec, concatSpec, stackSpec, castSpec,
  // linear algebra and indexing
  matmulSpec, indexSelectSpec, gatherSpec,
  // fused softmax primitives
  softmaxSpec, logSoftmaxSpec,
  // composites
  squareSpec, meanSpec, mseLossSpec, crossEntropySpec,
  // Gumbel family
  gumbelSoftmaxSpec, straightThroughSpec, concreteLogProbSpec, scoreFunctionSurrogateSpec,
  // nn and quantizers
  squaredDistancesSpec,
  // estimators: the exact objective by enumeration
  exactObjectiveSpec,
];

/**
 * Exported functions that have no gradient, by design: they make tensors, pick indices, or are
 * the autodiff machinery itself. The meta-test requires every other exported function to be in
 * the registry.
 * @category Gradient checking
 */
export const notDifferentiable: string[] = [
  "tensor", "zeros", "ones", "full", "rand", "randn", "fromData",
  "argmax", "argmin", "oneHot", "stopGradient",
  "noGrad", "detectAnomaly", "setDetectAnomaly", "grad", "valueAndGrad", "customOp", "gradcheck", "gradgradcheck", "manualSeed", "formatShape",
  // Gumbel family: noise, sampled indices and a schedule carry no gradient
  "gumbel", "categorical", "gumbelTopK", "expDecayTau",
  // nn and quantizers: parameter files, code statistics and k-means carry no gradient
  "stateDict", "loadStateDict", "findNonFinite", "codebookStats", "kmeans", "kmeansPlusPlus",
  // estimators: problems, gradient samples, conditional noise and their statistics are not ops
  "categoricalProblem", "withLogits", "exactGradient", "exactEstimator", "scoreFunctionEstimator", "gumbelSoftmaxEstimator",
  "straightThroughEstimator", "gumbelRaoEstimator", "reinMaxEstimator", "conditionalGumbel", "truncatedGumbel",
  "compareEstimators", "gradientSamples", "summarizeSamples", "codebookProblem", "bernoulliProblem", "bernoulliLogits",
];
