// The temperature τ of the relaxed distributions: a positive number, or a Tensor (learnable) whose
// shape broadcasts with the batch shape (a rank-0 Tensor, or one temperature per distribution).
import { ShapeError, wrap, type Tensor } from "../core/index.js";
import { add, div, log, mul, reshape, where } from "../ops/index.js";
import { broadcastShapes } from "../kernels/index.js";
import { checkTau, type Tau } from "../gumbel/index.js";

/** τ checked (positive and finite), and the batch shape it makes with the parameters' batch. */
export function temperatureArg(op: string, tau: Tau, batch: number[]): { tau: Tau; batch: number[] } {
  const t = checkTau(op, tau);
  if (typeof t === "number") return { tau: t, batch };
  const joint = broadcastShapes(batch, t.shape);
  if (!joint) throw new ShapeError(op, "tau must broadcast with the batch shape (NumPy rules)", { batch, tau: t.shape });
  return { tau: t, batch: joint };
}

/** τ with a trailing size-1 axis, so that a Tensor τ of the batch's shape lines up with [..., K] tensors. */
export function perEvent(tau: Tau): Tau {
  return typeof tau === "number" ? tau : reshape(tau, [...tau.shape, 1]);
}

/**
 * x/τ. For a Tensor τ, an infinite x (a masked category) stays ±∞ and gives τ no gradient: through
 * the division it would get −x/τ² · 0 = NaN where the upstream gradient is 0.
 */
export function divideByTau(x: Tensor, tau: Tau): Tensor {
  if (typeof tau === "number") return div(x, tau);
  const v = x.values();
  const finite = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) finite[i] = Number.isFinite(v[i]) ? 1 : 0;
  const mask = wrap(finite, x.shape);
  return where(mask, div(where(mask, x, 0), tau), x.detach());
}

/** a + b·log τ, a number when τ is one. */
export function plusLogTau(a: number, b: number, tau: Tau): number | Tensor {
  return typeof tau === "number" ? a + b * Math.log(tau) : add(mul(log(tau), b), a);
}
