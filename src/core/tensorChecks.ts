// Checks of tensor arguments, and the dtype rule of ops with two operands.
import { GumbelgradError } from "./errors.js";
import { Tensor, asTensor, type TensorLike } from "./tensor.js";
import { describeValue } from "./checks.js";
import type { DType } from "../kernels/index.js";

/** A floating tensor argument; a plain number becomes a rank-0 tensor of `dtype`. */
export function floatArg(op: string, arg: string, x: TensorLike, dtype: DType = "float64"): Tensor {
  if (typeof x === "number") return asTensor(x, dtype);
  if (!(x instanceof Tensor)) {
    throw new GumbelgradError(op, `${arg} must be a Tensor or a number, but got ${describeValue(x)}`);
  }
  if (!x.isFloating) {
    throw new GumbelgradError(op, `${arg} must be a floating tensor (float64 or float32), but has dtype ${x.dtype}`);
  }
  return x;
}

/** Two operands of a binary op. A plain number takes the dtype of the tensor beside it. */
export function floatPair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const ta = floatArg(op, "a", a, typeof b === "number" ? "float64" : dtypeOfArg(b));
  const tb = floatArg(op, "b", b, ta.dtype);
  return [ta, tb];
}

function dtypeOfArg(x: unknown): DType {
  return x instanceof Tensor && x.isFloating ? x.dtype : "float64";
}

/** float32 only when every operand is float32; mixing promotes to float64. */
export function promote(a: Tensor, b: Tensor): DType {
  return a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
}
