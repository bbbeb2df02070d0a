// Regression losses built from the primitives, as PyTorch defines them. They have no vjp of their own:
// autodiff goes through the primitives they are made of.
import { mean, square, sub } from "../ops/index.js";
import { errorSample, floatArg, sample, ShapeError, uniformArg, zeros, type OpSpec, type Tensor } from "../core/index.js";
import { sameShape } from "../kernels/index.js";

/** mean((a − b)²) over every element, as PyTorch's mse_loss. @category Losses */
export function mseLoss(a: Tensor, b: Tensor): Tensor {
  const ta = floatArg("mseLoss", "a", a);
  const tb = floatArg("mseLoss", "b", b);
  if (!sameShape(ta.shape, tb.shape)) {
    throw new ShapeError("mseLoss", "a and b must have the same shape", { a: ta.shape, b: tb.shape });
  }
  return mean(square(sub(ta, tb)));
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const mseLossSpec: OpSpec = {
  name: "mseLoss",
  fn: mseLoss,
  samples: (rng) => [sample("[4, 3]", [uniformArg(rng, [4, 3]), uniformArg(rng, [4, 3])], mseLoss)],
  errors: () => [
    errorSample("different shapes", () => mseLoss(zeros([2, 3]), zeros([3])), "mseLoss: a and b must have the same shape, but a has shape [2, 3] and b has shape [3]"),
  ],
};
