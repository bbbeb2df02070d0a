// Gumbel noise conditioned on the argmax, for Gumbel-Rao (Paulus et al. 2021), by the truncated-Gumbel
// construction (Maddison et al. 2014, "A* sampling"). For z = θ + g, g i.i.d. standard Gumbel:
//   max_k z_k ~ Gumbel(logsumexp θ), independent of which k attains it;
//   given argmax = c and the max m, every other z_k is a Gumbel(θ_k) truncated to z_k ≤ m.
//   Truncated at b: z = −logaddexp(−b, −(μ + g′)), g′ ~ Gumbel(0, 1)   (its CDF exp(e^{μ−b} − e^{μ−z}) = u, solved for z)
import { describeValue, floatArg, formatShape, getDefaultRng, GumbelgradError, numberIn, optionsArg, type Tensor } from "../core/index.js";
import { readIndices } from "../ops/index.js";
import { gumbelOf, noiseLeaf, type UniformSource } from "../gumbel/index.js";
import { logsumexpRows } from "../kernels/index.js";

/**
 * A draw of Gumbel(location) conditioned on being ≤ bound, from one uniform u in (0, 1). In the
 * logaddexp form min(b, a) − log1p(exp(−|b − a|)), a = location + g′: no exp overflows, no log(0).
 * @category Estimators
 */
export function truncatedGumbel(location: number, bound: number, u: number): number {
  const op = "truncatedGumbel";
  numberIn(op, "location", location, { finite: false });
  numberIn(op, "bound", bound, { finite: false });
  numberIn(op, "u", u, { above: 0, below: 1 });
  const a = location + gumbelOf(u);
  return Math.min(bound, a) - Math.log1p(Math.exp(-Math.abs(bound - a)));
}

/**
 * Gumbel noise g (logits' shape, categories on the last axis) distributed as i.i.d. Gumbel noise
 * conditioned on argmax(logits + g) = index, one index per row. Pass it to gumbelSoftmax as `noise`.
 * @category Estimators
 */
export function conditionalGumbel(logits: Tensor, index: Tensor | number[], opts: { rng?: UniformSource } = {}): Tensor {
  const op = "conditionalGumbel";
  const l = floatArg(op, "logits", logits);
  if (l.ndim === 0 || l.shape[l.ndim - 1] === 0) throw new GumbelgradError(op, `logits need a non-empty category axis (the last), but logits has shape ${formatShape(l.shape)}`);
  const k = l.shape[l.ndim - 1];
  const rows = l.size / k;
  const chosen = readIndices(op, "index", index, k, "the last axis of logits");
  if (chosen.length !== rows) {
    throw new GumbelgradError(op, `needs one index per row of logits (${rows}), but got ${chosen.length}`);
  }
  const o = optionsArg(op, opts);
  const rng = o.rng ?? getDefaultRng();
  if (typeof rng?.uniform !== "function") throw new GumbelgradError(op, `rng must be an Rng (new Rng(seed)), but got ${describeValue(rng)}`);
  const theta = l.values();
  const noise = new Float64Array(l.size);
  const lse = new Float64Array(rows);
  logsumexpRows(theta, k, lse);
  for (let r = 0; r < rows; r++) {
    const row = theta.subarray(r * k, (r + 1) * k);
    const top = lse[r] + gumbelOf(rng.uniform());
    for (let j = 0; j < k; j++) {
      const z = j === chosen[r] ? top : truncatedGumbel(row[j], top, rng.uniform());
      noise[r * k + j] = z - row[j];
    }
  }
  return noiseLeaf(noise, l.shape, "gumbel | argmax");
}
