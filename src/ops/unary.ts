// Unary elementwise primitives. Each entry: the math, the forward kernel, the vjp in framework ops.
import { applyPrimitive, awayFrom, compute, errorSample, fixed, flatOf, floatArg, sample, uniformArg, type OpSpec, type Primitive, type Rng, type Tensor } from "../core/index.js";
import * as K from "../kernels/index.js";
import type { Unary } from "../kernels/index.js";
import { mul, div, sub, where } from "./binary.js";

/** A primitive y = f(x), elementwise, computed by `kernels` (one per dtype), with vjp(g) = g · f′(x) given by `vjp`. */
function unaryPrimitive(name: string, kernels: K.PerDType<Unary>, vjp: (g: Tensor, x: Tensor, y: Tensor) => Tensor, linear = false): Primitive {
  return {
    name,
    linear,
    forward: ([x]) => compute(x.dtype, x.shape, (out) => kernels[x.dtype as K.FloatDTypeName](x.values(), out)),
    vjp: (g, [x], y) => [vjp(g, x, y)],
  };
}

/** A value computed from x that carries no gradient: derivatives of steps and signs are zero. */
function constantOf(x: Tensor, kernel: Unary): Tensor {
  return compute(x.dtype, x.shape, (out) => kernel(x.values(), out));
}

// y = −x;  ∂y/∂x = −1
const Neg = unaryPrimitive("neg", K.perDType(K.neg), (g) => neg(g), true);
// y = eˣ;  ∂y/∂x = eˣ = y
const Exp = unaryPrimitive("exp", K.withWasmUnary("exp", K.exp), (g, _x, y) => mul(g, y));
// y = log x;  ∂y/∂x = 1/x
const Log = unaryPrimitive("log", K.perDType(K.log), (g, x) => div(g, x));
// y = √x;  ∂y/∂x = 1/(2√x) = 1/(2y)
const Sqrt = unaryPrimitive("sqrt", K.perDType(K.sqrt), (g, _x, y) => div(g, mul(y, 2)));
// y = |x|;  ∂y/∂x = sign(x), and 0 at x = 0 and at NaN, where no side is selected (so an ∞ upstream gives 0, not NaN)
const Abs = unaryPrimitive("abs", K.perDType(K.abs), (g, x) => {
  const s = constantOf(x, K.sign);
  return where(s, mul(g, s), 0);
});
// y = max(x, 0);  ∂y/∂x = 1 where x > 0, else 0 (0 at the kink); selected, not multiplied, so an ∞ or
//   NaN upstream gradient reaches only the inputs that passed
const Relu = unaryPrimitive("relu", K.withWasmUnary("relu", K.relu), (g, x) => reluGradient(g, x));

// relu's vjp as one primitive of (g, x): g where x > 0, else 0, one pass where a mask and a where
//   made two. Linear in g (its vjp in g is itself, with the same x); piecewise constant in x (none).
const ReluGradient: Primitive = {
  name: "reluGradient",
  forward: ([g, x]) => compute(g.dtype, g.shape, (out) => reluGradientKernels[g.dtype as K.FloatDTypeName](flatOf(g), flatOf(x), out)),
  vjp: (h, [, x], _y, _p, needs) => [needs[0] ? reluGradient(h, x) : null, null],
};
const reluGradientKernels = K.reluGradientWithWasm(K.reluGradient);

function reluGradient(g: Tensor, x: Tensor): Tensor {
  return applyPrimitive(ReluGradient, [g, x.detach()], undefined);
}
// y = σ(x) = 1/(1 + e^−x);  ∂y/∂x = y(1 − y)
const Sigmoid = unaryPrimitive("sigmoid", K.withWasmUnary("sigmoid", K.sigmoid), (g, _x, y) => mul(g, mul(y, sub(1, y))));
// y = tanh x;  ∂y/∂x = 1 − y²
const Tanh = unaryPrimitive("tanh", K.perDType(K.tanh), (g, _x, y) => mul(g, sub(1, mul(y, y))));
// y = log(1 + eˣ);  ∂y/∂x = σ(x)
const Softplus = unaryPrimitive("softplus", K.withWasmUnary("softplus", K.softplus), (g, x) => mul(g, sigmoid(x)));

/** −x, elementwise. @category Elementwise ops */
export const neg = (x: Tensor): Tensor => applyPrimitive(Neg, [floatArg("neg", "x", x)], undefined);
/** eˣ, elementwise. @category Elementwise ops */
export const exp = (x: Tensor): Tensor => applyPrimitive(Exp, [floatArg("exp", "x", x)], undefined);
/** The natural logarithm log x, elementwise (−∞ at 0, NaN below it, as Math.log). @category Elementwise ops */
export const log = (x: Tensor): Tensor => applyPrimitive(Log, [floatArg("log", "x", x)], undefined);
/** √x, elementwise. @category Elementwise ops */
export const sqrt = (x: Tensor): Tensor => applyPrimitive(Sqrt, [floatArg("sqrt", "x", x)], undefined);
/** |x|, elementwise; its gradient is sign(x), and 0 at x = 0. @category Elementwise ops */
export const abs = (x: Tensor): Tensor => applyPrimitive(Abs, [floatArg("abs", "x", x)], undefined);
/** max(x, 0), elementwise; its gradient is 1 where x > 0, else 0 (0 at the kink). @category Elementwise ops */
export const relu = (x: Tensor): Tensor => applyPrimitive(Relu, [floatArg("relu", "x", x)], undefined);
/** The logistic function σ(x) = 1/(1 + e⁻ˣ), elementwise, in (0, 1). @category Elementwise ops */
export const sigmoid = (x: Tensor): Tensor => applyPrimitive(Sigmoid, [floatArg("sigmoid", "x", x)], undefined);
/** The hyperbolic tangent, elementwise, in (−1, 1). @category Elementwise ops */
export const tanh = (x: Tensor): Tensor => applyPrimitive(Tanh, [floatArg("tanh", "x", x)], undefined);
/** x², a composite: mul(x, x). @category Elementwise ops */
export function square(x: Tensor): Tensor {
  return mul(floatArg("square", "x", x), x);
}

/** log(1 + eˣ), elementwise: a smooth relu whose gradient is σ(x). @category Elementwise ops */
export const softplus = (x: Tensor): Tensor => applyPrimitive(Softplus, [floatArg("softplus", "x", x)], undefined);

// ---- gradient-check samples and error samples --------------------------------------------------

type Domain = "real" | "positive" | "awayFromZero";

function unarySpec(name: string, fn: (x: Tensor) => Tensor, domain: Domain): OpSpec {
  const draw = (rng: Rng, shape: number[]): Tensor =>
    domain === "positive" ? uniformArg(rng, shape, 0.5, 2) : domain === "awayFromZero" ? awayFrom(rng, shape) : uniformArg(rng, shape, -2, 2);
  return {
    name,
    fn,
    samples: (rng) => [
      sample("[3, 4]", [draw(rng, [3, 4])], fn),
      sample("size-1 [1]", [draw(rng, [1])], fn),
      sample("rank 0", [draw(rng, [])], fn),
      sample("[2, 1, 3]", [draw(rng, [2, 1, 3])], fn),
    ],
    errors: () => [
      errorSample("int32 input", () => fn(fixed([1, 2], "int32")), `${name}: x must be a floating tensor (float64 or float32), but has dtype int32`),
      errorSample("plain array", () => fn([1, 2] as unknown as Tensor), `${name}: x must be a Tensor or a number, but got an array (wrap it with tensor(...))`),
    ],
  };
}

export const negSpec = unarySpec("neg", neg, "real");
export const expSpec = unarySpec("exp", exp, "real");
export const logSpec = unarySpec("log", log, "positive");
export const sqrtSpec = unarySpec("sqrt", sqrt, "positive");
export const absSpec = unarySpec("abs", abs, "awayFromZero");
export const reluSpec = unarySpec("relu", relu, "awayFromZero");
export const sigmoidSpec = unarySpec("sigmoid", sigmoid, "real");
export const tanhSpec = unarySpec("tanh", tanh, "real");
export const softplusSpec = unarySpec("softplus", softplus, "real");

export const squareSpec: OpSpec = {
  name: "square",
  fn: square,
  samples: (rng) => [sample("[3, 4]", [uniformArg(rng, [3, 4])], square), sample("rank 0", [uniformArg(rng, [])], square)],
  errors: () => [errorSample("int32", () => square(fixed([1], "int32")), "square: x must be a floating tensor (float64 or float32), but has dtype int32")],
};
