// Gradient clipping by the total norm, as PyTorch's torch.nn.utils.clip_grad_norm_.
import { compute, describeValue, GumbelgradError, numberIn, Tensor } from "../core/index.js";

/**
 * Scales the gradients of `params` so that together they have 2-norm at most `maxNorm`, and returns
 * their total norm before scaling, as PyTorch's `clip_grad_norm_`:
 *
 *   total = √(Σ_p ‖g_p‖²) over the parameters that have a gradient;  c = maxNorm / (total + 1e-6);
 *   when c < 1, every gradient becomes c·g (a new tensor in the gradient's dtype).
 *
 * The norm is summed in float64. A NaN or infinite total is returned as it is, and the gradients are
 * scaled by c all the same (NaN, or 0 for an infinite total), as PyTorch 1.13 does by default
 * (`error_if_nonfinite=False`); check the returned norm to skip such a step. No gradients: 0.
 * @param params The parameters whose gradients to clip, e.g. `model.parameters()`.
 * @param maxNorm The largest total norm allowed, ≥ 0.
 * @throws GumbelgradError when params is not an array of tensors, or maxNorm is negative or NaN.
 * @category Optimizers
 */
export function clipGradNorm(params: Tensor[], maxNorm: number): number {
  const op = "clipGradNorm";
  if (!Array.isArray(params)) throw new GumbelgradError(op, `params must be an array of tensors (model.parameters()), but got ${describeValue(params)}`);
  params.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new GumbelgradError(op, `params[${i}] must be a Tensor, but got ${describeValue(p)}`);
  });
  numberIn(op, "maxNorm", maxNorm, { atLeast: 0, finite: false });
  const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
  const total = norm(grads.map((g) => norm(g.values()))); // the norm of the norms, as PyTorch sums it
  const scale = Math.min(maxNorm / (total + 1e-6), 1); // NaN stays NaN, as torch.clamp keeps it
  if (scale !== 1) {
    for (const p of params) if (p.grad) p.grad = scaled(p.grad, scale);
  }
  return total;
}

/** ‖v‖₂ = √(Σ vᵢ²). */
function norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}

/** c·g as a new tensor of g's dtype and shape. */
function scaled(g: Tensor, c: number): Tensor {
  const v = g.values();
  return compute(g.dtype, g.shape, (out) => {
    for (let i = 0; i < v.length; i++) out[i] = v[i] * c;
  });
}
