// The registry: every differentiable function and class of the package, with its samples. Each folder's
// index.ts lists its own entries (`specs`) and its exports that have no gradient (`notDifferentiable`);
// this file only joins the lists. The test suite runs gradcheck (and gradgradcheck) over every sample
// of every entry, asserts every error sample, and fails when an export is in neither list.
import { notDifferentiable as core, type OpSpec } from "./core/index.js";
import { specs as opSpecs, notDifferentiable as ops } from "./ops/index.js";
import { specs as lossSpecs, notDifferentiable as losses } from "./losses/index.js";
import { notDifferentiable as autodiff } from "./autodiff/index.js";
import { notDifferentiable as testing } from "./testing/index.js";
import { specs as gumbelSpecs, notDifferentiable as gumbel } from "./gumbel/index.js";
import { specs as distributionSpecs, notDifferentiable as distributions } from "./distributions/index.js";
import { specs as nnSpecs, notDifferentiable as nn } from "./nn/index.js";
import { notDifferentiable as optim } from "./optim/index.js";
import { specs as dataSpecs, notDifferentiable as data } from "./data/index.js";
import { specs as quantizeSpecs, notDifferentiable as quantize } from "./quantize/index.js";
import { specs as estimatorSpecs, notDifferentiable as estimators } from "./estimators/index.js";

/**
 * Every differentiable function and class of the package, with its gradient-check samples and error
 * samples. The test suite loops over it, and so does `gumbelgrad check`.
 * @category Gradient checking
 */
export const registry: OpSpec[] = [...opSpecs, ...lossSpecs, ...gumbelSpecs, ...distributionSpecs, ...nnSpecs, ...dataSpecs, ...quantizeSpecs, ...estimatorSpecs];

/**
 * Exports that have no gradient, by design: they make tensors, pick indices, update state, or are the
 * autodiff machinery itself. The meta-test requires every other export to be in the registry.
 * @category Gradient checking
 */
export const notDifferentiable: string[] = [...core, ...ops, ...losses, ...autodiff, ...testing, ...gumbel, ...distributions, ...nn, ...optim, ...data, ...quantize, ...estimators];
