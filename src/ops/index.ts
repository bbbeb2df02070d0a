// The primitive ops, the only place where vjps live, and a few composites (square, mean) that
// Tensor's method forms name.
//
// Warning: core/tensor.ts imports this file for those method forms (x.add(y)), the one import from
// core up into ops. So the ops' modules run while core/tensor.ts is still loading: nothing at the top
// level of an ops file may make a tensor (no `const ONE = tensor(1)`), or importing the package fails
// with "Cannot access 'Tensor' before initialization". Make such values inside a function.
import type { OpSpec } from "../core/index.js";
import { absSpec, expSpec, logSpec, negSpec, reluSpec, sigmoidSpec, softplusSpec, sqrtSpec, squareSpec, tanhSpec } from "./unary.js";
import { addSpec, clampSpec, divSpec, maximumSpec, minimumSpec, mulSpec, powSpec, subSpec, whereSpec } from "./binary.js";
import { logsumexpSpec, maxSpec, meanSpec, minSpec, sumSpec } from "./reduce.js";
import { broadcastToSpec, castSpec, concatSpec, reshapeSpec, sliceSpec, stackSpec, transposeSpec } from "./shape.js";
import { matmulSpec } from "./matmul.js";
import { linearSpec } from "./linear.js";
import { squaredDistancesSpec } from "./distances.js";
import { logSoftmaxSpec, softmaxSpec } from "./softmax.js";
import { straightThroughSpec } from "./straightThrough.js";
import { gatherSpec, indexSelectSpec } from "./indexing.js";

export { neg, exp, log, sqrt, abs, relu, sigmoid, tanh, softplus, square } from "./unary.js";
export { add, sub, mul, div, pow, maximum, minimum, clamp, where, unbroadcast } from "./binary.js";
export { sum, mean, max, min, logsumexp, argmax, argmin } from "./reduce.js";
export { transpose, reshape, broadcastTo, slice, concat, stack, cast } from "./shape.js";
export { matmul } from "./matmul.js";
export { linear } from "./linear.js";
export { squaredDistances } from "./distances.js";
export { meanSquaredError } from "./meanSquaredError.js";
export { softmax, logSoftmax, perturbedSoftmax, perturbedLogits } from "./softmax.js";
export { straightThrough, checkedAgainst } from "./straightThrough.js";
export { indexSelect, gather, oneHot, stopGradient, readIndices } from "./indexing.js";

/** The ops' entries in the registry: each op's samples for the gradient check, and its error samples. */
export const specs: OpSpec[] = [
  // unary elementwise
  negSpec, expSpec, logSpec, sqrtSpec, absSpec, reluSpec, sigmoidSpec, tanhSpec, softplusSpec, squareSpec,
  // binary elementwise, with broadcasting
  addSpec, subSpec, mulSpec, divSpec, powSpec, maximumSpec, minimumSpec, clampSpec, whereSpec,
  // reductions
  sumSpec, meanSpec, maxSpec, minSpec, logsumexpSpec,
  // shapes
  transposeSpec, reshapeSpec, broadcastToSpec, sliceSpec, concatSpec, stackSpec, castSpec,
  // linear algebra, distances and indexing
  matmulSpec, linearSpec, squaredDistancesSpec, indexSelectSpec, gatherSpec,
  // the fused softmax primitives, and straight-through
  softmaxSpec, logSoftmaxSpec, straightThroughSpec,
];

/** The ops' exports that have no gradient, by design: they pick indices or cut the tape. */
export const notDifferentiable = ["argmax", "argmin", "oneHot", "stopGradient"];
