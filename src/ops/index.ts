// The primitive ops: the only place where vjps live.
export { neg, exp, log, sqrt, abs, relu, sigmoid, tanh, softplus } from "./unary.js";
export { add, sub, mul, div, pow, maximum, minimum, clamp, where, unbroadcast } from "./binary.js";
export { sum, max, min, logsumexp, argmax, argmin } from "./reduce.js";
export { transpose, reshape, broadcastTo, slice, concat, stack, cast } from "./shape.js";
export { matmul } from "./matmul.js";
export { softmax, logSoftmax } from "./softmax.js";
export { straightThrough } from "./straightThrough.js";
export { indexSelect, gather, oneHot, stopGradient, readIndices } from "./indexing.js";
