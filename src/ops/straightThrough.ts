// Straight-through: the forward pass sees `value`, the backward pass treats it as `surrogate`.
//   forward: y = value (returned unchanged, so a one-hot stays exactly one-hot)
//   vjp: ∂L/∂surrogate = g, ∂L/∂value = none  (mathematically value + surrogate − stopGradient(surrogate))
import { applyPrimitive, describeValue, errorSample, fixed, GumbelgradError, sample, ShapeError, tensor, Tensor, uniformArg, type OpSpec, type Primitive } from "../core/index.js";
import { add, sub } from "./binary.js";
import { cast } from "./shape.js";
import { argmax } from "./reduce.js";
import { oneHot, stopGradient } from "./indexing.js";
import { sameShape } from "../kernels/index.js";

const StraightThrough: Primitive = {
  name: "straightThrough",
  linear: true,
  forward: ([value]) => new Tensor(value.data),
  vjp: (g) => [null, g],
};

/** Forward: `value`, bit for bit. Backward: the whole gradient goes to `surrogate`, none to `value`. @category Gumbel family */
export function straightThrough(value: Tensor, surrogate: Tensor): Tensor {
  for (const [arg, t] of [["value", value], ["surrogate", surrogate]] as const) {
    if (!(t instanceof Tensor)) throw new GumbelgradError("straightThrough", `${arg} must be a Tensor, but got ${describeValue(t)}`);
    if (!t.isFloating) throw new GumbelgradError("straightThrough", `${arg} must be a floating tensor (float64 or float32), but has dtype ${t.dtype}`);
  }
  if (!sameShape(value.shape, surrogate.shape)) {
    throw new ShapeError("straightThrough", "value and surrogate must have the same shape", { value: value.shape, surrogate: surrogate.shape });
  }
  return applyPrimitive(StraightThrough, [value, surrogate], undefined);
}

/**
 * A function with the value of `reference` and the gradient of `estimate`: estimate + stopGradient(reference − estimate).
 * Finite differences of it measure the reference's derivative, so gradcheck compares an estimator's
 * vjp (straight-through, hard Gumbel-softmax) with the derivative it claims to hand on.
 */
export function checkedAgainst(estimate: Tensor, reference: Tensor): Tensor {
  return add(estimate, stopGradient(sub(reference, estimate)));
}

// ---- gradient-check samples and error samples --------------------------------------------------

/** one_hot(argmax y) along the last axis, in y's dtype: the hard value of a sample. */
const hardOf = (y: Tensor): Tensor => cast(oneHot(argmax(y, -1), y.shape[y.ndim - 1]), y.dtype);

export const straightThroughSpec: OpSpec = {
  name: "straightThrough",
  fn: straightThrough,
  samples: (rng) => {
    const soft = uniformArg(rng, [3, 4]);
    const hard = hardOf(soft);
    return [
      sample("one-hot value, soft surrogate [3, 4]", [soft], (s) => checkedAgainst(straightThrough(cast(hard, s.dtype), s), s)),
      sample("rank 0", [uniformArg(rng, [])], (s) => checkedAgainst(straightThrough(cast(fixed(1), s.dtype), s), s)),
      sample("surrogate used downstream [2, 3]", [uniformArg(rng, [2, 3])], (s) => {
        const y = s.mul(s);
        return checkedAgainst(straightThrough(hardOf(y), y), y);
      }),
    ];
  },
  errors: () => [
    errorSample("shapes differ", () => straightThrough(tensor([[1, 0, 0], [0, 1, 0]]), tensor([0.2, 0.3, 0.5])),
      "straightThrough: value and surrogate must have the same shape, but value has shape [2, 3] and surrogate has shape [3]"),
    errorSample("int32 value", () => straightThrough(fixed([1, 0], "int32"), tensor([0.4, 0.6])),
      "straightThrough: value must be a floating tensor (float64 or float32), but has dtype int32"),
    errorSample("plain array surrogate", () => straightThrough(tensor([1, 0]), [0.4, 0.6] as unknown as Tensor),
      "straightThrough: surrogate must be a Tensor, but got an array (wrap it with tensor(...))"),
  ],
};
