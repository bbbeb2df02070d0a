// The regression loss, as PyTorch defines it: one fused primitive (ops/meanSquaredError.ts), with
// the composite mean(square(sub(a, b)))'s value, so it has no vjp of its own here.
import { meanSquaredError } from "../ops/index.js";
import { errorSample, floatArg, formatShape, GumbelgradError, sample, ShapeError, uniformArg, zeros, type OpSpec, type Tensor } from "../core/index.js";
import { sameShape } from "../kernels/index.js";

/** mean((a − b)²) over every element, as PyTorch's mse_loss. @category Losses */
export function mseLoss(a: Tensor, b: Tensor): Tensor {
  const ta = floatArg("mseLoss", "a", a);
  const tb = floatArg("mseLoss", "b", b);
  if (!sameShape(ta.shape, tb.shape)) {
    throw new ShapeError("mseLoss", "a and b must have the same shape", { a: ta.shape, b: tb.shape });
  }
  if (ta.size === 0) throw new GumbelgradError("mseLoss", `cannot average over zero elements, but a has shape ${formatShape(ta.shape)}`);
  return meanSquaredError(ta, tb);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const mseLossSpec: OpSpec = {
  name: "mseLoss",
  fn: mseLoss,
  samples: (rng) => [
    sample("[4, 3]", [uniformArg(rng, [4, 3]), uniformArg(rng, [4, 3])], mseLoss),
    sample("rank 0", [uniformArg(rng, []), uniformArg(rng, [])], mseLoss),
    sample("[7]: a tail past the four running sums", [uniformArg(rng, [7], -30, 30), uniformArg(rng, [7])], mseLoss),
    sample("one tensor on both sides", [uniformArg(rng, [2, 3])], (x) => mseLoss(x, x)),
  ],
  errors: () => [
    errorSample("different shapes", () => mseLoss(zeros([2, 3]), zeros([3])), "mseLoss: a and b must have the same shape, but a has shape [2, 3] and b has shape [3]"),
    errorSample("no elements", () => mseLoss(zeros([0, 3]), zeros([0, 3])), "mseLoss: cannot average over zero elements, but a has shape [0, 3]"),
  ],
};
