// The temperature τ of the Gumbel-softmax: a positive number, or a Tensor (learnable, broadcasting).
import { describeValue, GumbelgradError, numberIn, ShapeError, Tensor } from "../core/index.js";
import { broadcastShapes, sameShape } from "../kernels/index.js";

/**
 * A temperature τ > 0: a number, or a Tensor (learnable, broadcasting against the logits with size 1
 * along the category axis, one temperature per distribution).
 * @category Gumbel family
 */
export type Tau = number | Tensor;

/** Checks τ > 0 and finite (every element of a Tensor τ), or throws naming the op and the value. */
export function checkTau<T extends Tau>(op: string, tau: T): T {
  if (typeof tau === "number") return numberIn(op, "tau", tau, { above: 0 }) as T;
  if (!(tau instanceof Tensor)) throw new GumbelgradError(op, `tau must be a number or a Tensor, but got ${describeValue(tau)}`);
  if (!tau.isFloating) throw new GumbelgradError(op, `tau must be a floating tensor (float64 or float32), but has dtype ${tau.dtype}`);
  const values = tau.values();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] > 0 && Number.isFinite(values[i]))) {
      throw new GumbelgradError(op, `tau must hold positive finite numbers, but tau has ${values[i]} at flat index ${i}`);
    }
  }
  return tau;
}

/**
 * A Tensor τ must broadcast to `shape` without enlarging it, with size 1 along the category axis:
 * one temperature per distribution (a per-class τ would not be a Concrete distribution).
 */
export function checkTauShape(op: string, tau: Tau, shape: readonly number[], arg: string, axis: number): void {
  if (typeof tau === "number") return;
  const joint = broadcastShapes(shape, tau.shape);
  if (!joint || !sameShape(joint, shape)) {
    throw new ShapeError(op, `tau must broadcast to the shape of ${arg}`, { [arg]: shape, tau: tau.shape });
  }
  const tauAxis = axis - (shape.length - tau.ndim);
  if (tauAxis >= 0 && tau.shape[tauAxis] !== 1) {
    throw new ShapeError(op, `tau must have size 1 along the category axis ${axis} (one temperature per distribution)`, { [arg]: shape, tau: tau.shape });
  }
}
