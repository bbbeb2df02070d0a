// What the modules' constructors and forward passes check: the dtype option, a boolean option,
// and an input tensor of the right kind.
import { describeValue, GumbelgradError, Tensor, type FloatDType } from "../core/index.js";

/** A module's dtype option: "float64" when left out, or "float32". */
export function dtypeArg(op: string, dtype: unknown): FloatDType {
  if (dtype === undefined) return "float64";
  if (dtype !== "float64" && dtype !== "float32") throw new GumbelgradError(op, `dtype must be "float64" or "float32", but got ${describeValue(dtype)}`);
  return dtype;
}

/** A true/false option, with its default when left out. */
export function booleanArg(op: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new GumbelgradError(op, `${name} must be true or false, but got ${describeValue(value)}`);
  return value;
}

/** The input of a module without parameters (an activation, Dropout): any floating tensor, kept in its dtype. */
export function floatInput(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new GumbelgradError(op, `x must be a Tensor, but got ${describeValue(x)}`);
  if (!x.isFloating) throw new GumbelgradError(op, `x must be a floating tensor (float64 or float32), but x has dtype ${x.dtype}`);
  return x;
}

/**
 * The input of a module with parameters: a floating tensor of the module's dtype. Like PyTorch, a
 * float32 layer refuses float64 input (and a float64 layer float32 input) instead of promoting it
 * silently: the error says how to make them agree.
 */
export function layerInput(op: string, x: unknown, dtype: FloatDType): Tensor {
  const t = floatInput(op, x);
  if (t.dtype !== dtype) {
    throw new GumbelgradError(op, `x must be ${dtype}, the dtype of the module's parameters, but x is ${t.dtype}: cast it with x.cast("${dtype}"), or build the module with { dtype: "${t.dtype}" }`);
  }
  return t;
}
