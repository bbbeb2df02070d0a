// The mean squared error as one primitive, the loss of regression and of vector quantization. As
// the composite mean(square(sub(a, b))) it costs two arrays the size of a and three passes forward;
// here the forward pass is one sweep with no array, rounded as the composite rounds (so the loss
// has the composite's bits), and the vjp is two ops.
//   y = Σ (a − b)²/N over every element;  ∂y/∂a = 2(a − b)/N,  ∂y/∂b = −∂y/∂a
// It is internal: mseLoss is its public face, and the registry gradient-checks it, to first and
// second order, through mseLoss's samples.
import { applyPrimitive, compute, flatOf, promote, type Primitive, type Tensor } from "../core/index.js";
import { sumOfSquaredDifferences, type FloatData } from "../kernels/index.js";
import { div, mul, sub } from "./binary.js";
import { neg } from "./unary.js";

const MeanSquaredError: Primitive = {
  name: "meanSquaredError",
  forward: ([a, b]) => {
    const dtype = promote(a, b);
    return compute(dtype, [], (out) => {
      out[0] = sumOfSquaredDifferences(flatOf(a, dtype) as FloatData, flatOf(b, dtype) as FloatData);
      out[0] = out[0] / a.size; // the sum rounded to the dtype, then divided, as mean's div rounds it
    });
  },
  vjp: (g, [a, b], _y, _p, needs) => {
    // 2·(a − b)·(g/N): g/N rounded first, as the composite's mean hands it back; doubling is exact
    const da = mul(sub(a, b), mul(div(g, a.size), 2));
    return [needs[0] ? da : null, needs[1] ? neg(da) : null];
  },
};

/** mean((a − b)²) for floating a and b of one shape and at least one element (mseLoss checks them). */
export function meanSquaredError(a: Tensor, b: Tensor): Tensor {
  return applyPrimitive(MeanSquaredError, [a, b], undefined);
}
