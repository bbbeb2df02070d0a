// The core: tensors, the tape and backward, errors and argument checks, randomness, and what every
// op brings to the registry. The layers above import it from here; core's own files import each other.
export { formatShape, GumbelgradError, ShapeError } from "./errors.js";
export { describeValue, show, optionsArg, functionArg, integerIn, positiveInteger, numberIn, MAX_ELEMENTS, checkSize, normalizeAxis, normalizeAxes } from "./checks.js";
export { Tensor, wrap, fromData, tensor, checkShape, full, zeros, ones, asTensor, rand, randn } from "./tensor.js";
export type { FloatDType, NestedArray, TensorLike, Axis, CreateOptions, RandomOptions, DType } from "./tensor.js";
export { floatArg, floatPair, promote } from "./tensorChecks.js";
export { compute, flatOf, flatAs, checkWritable, writableValues, overwrite } from "./values.js";
export { inPlaceWritesSoFar, versionOf, markModified } from "./versions.js";
export { threefry2x32, Rng, manualSeed, getDefaultRng, rngArg } from "./random.js";
export { TapeEntry } from "./entry.js";
export type { Primitive } from "./entry.js";
export { isRecording, noGrad, withRecording, applyPrimitive } from "./tape.js";
export { listEntry, listNoise, tape } from "./listing.js";
export { ancestry } from "./graph.js";
export { runBackward, gradients } from "./backward.js";
export type { BackwardOptions } from "./backward.js";
export { anomalyDetectionEnabled, forwardChecksEnabled, duringBackward, setDetectAnomaly, detectAnomaly, checkForward, checkGradient, creationSite } from "./anomaly.js";
export { uniformArg, fullArg, awayFrom, fixed, sample, errorSample, broadcastMessage } from "./opspec.js";
export type { Sample, ErrorSample, OpSpec } from "./opspec.js";

/**
 * The core's exports that have no gradient, by design: they make tensors and generators, switch
 * recording, or name errors. (Tensor's method forms are the ops, registered under the ops' names.)
 */
export const notDifferentiable = [
  "Tensor", "tensor", "zeros", "ones", "full", "rand", "randn", "fromData", "Rng", "manualSeed",
  "noGrad", "detectAnomaly", "setDetectAnomaly", "formatShape", "GumbelgradError", "ShapeError",
];
