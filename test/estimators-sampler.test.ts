// The conditional Gumbel sampler of Gumbel-Rao, against rejection sampling.
// Two-sample Kolmogorov–Smirnov tests at α = 0.001: the critical distance is c(α)·√((n + m)/(n·m)) with
// c(α) = √(−ln(α/2)/2) ≈ 1.95. With 2000 draws a side that is 0.062; a sampler off by more fails.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Rng, tensor, conditionalGumbel, truncatedGumbel } from "../src/index.js";
import { ALPHA } from "./gumbel-stats.js";

const N = 2000;
const critical = (n: number, m: number) => Math.sqrt(-Math.log(ALPHA / 2) / 2) * Math.sqrt((n + m) / (n * m));

/** sup_x |F_a(x) − F_b(x)| of the two empirical distribution functions. */
function ksDistance(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0, j = 0, d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

const gumbel = (rng: Rng) => -Math.log(-Math.log(rng.uniform()));
const argmax = (z: number[]) => z.indexOf(Math.max(...z));

/** z = θ + g, redrawn until argmax z = c. */
function byRejection(theta: number[], c: number, n: number, rng: Rng): number[][] {
  const out: number[][] = [];
  while (out.length < n) {
    const z = theta.map((t) => t + gumbel(rng));
    if (argmax(z) === c) out.push(z);
  }
  return out;
}

function byConstruction(theta: number[], c: number, n: number, rng: Rng): number[][] {
  const logits = tensor(Array.from({ length: n }, () => theta));
  const g = conditionalGumbel(logits, new Array(n).fill(c), { rng }).toArray() as number[][];
  return g.map((row) => row.map((v, k) => v + theta[k]));
}

const column = (rows: number[][], k: number) => rows.map((r) => r[k]);

const sampler = suite("estimators: Gumbel noise conditioned on the argmax");

const THETA = [1.0, 0.0, -0.5, 0.3]; // probabilities ≈ 0.48, 0.18, 0.11, 0.24

sampler("the truncated-Gumbel construction matches rejection sampling, coordinate by coordinate (KS)", () => {
  for (const c of [1, 2]) {
    const exact = byRejection(THETA, c, N, new Rng(100 + c));
    const built = byConstruction(THETA, c, N, new Rng(200 + c));
    THETA.forEach((_, k) => {
      const d = ksDistance(column(exact, k), column(built, k));
      assert.ok(d < critical(N, N), `argmax ${c}, coordinate ${k}: KS distance ${d.toFixed(4)} ≥ ${critical(N, N).toFixed(4)}`);
    });
  }
});

sampler("the test has teeth: clamping unconditioned noise below the max is rejected (KS)", () => {
  const c = 2;
  const exact = byRejection(THETA, c, N, new Rng(301));
  const rng = new Rng(302);
  const clamped = byConstruction(THETA, c, N, new Rng(303)).map((z) => z.map((v, k) => (k === c ? v : Math.min(THETA[k] + gumbel(rng), v - 1e-9))));
  const worst = Math.max(...THETA.map((_, k) => (k === c ? 0 : ksDistance(column(exact, k), column(clamped, k)))));
  assert.ok(worst > critical(N, N), `the naive sampler passed: ${worst}`);
});

sampler("the sampled category is always the argmax, and nothing is infinite or NaN at logits ±1e3", () => {
  const rng = new Rng(5);
  for (const theta of [THETA, [1e3, -1e3, 0, 999.5], [-1e3, -1e3, -1e3, -1e3]]) {
    for (let c = 0; c < theta.length; c++) {
      const z = byConstruction(theta, c, 200, rng);
      for (const row of z) {
        assert.ok(row.every(Number.isFinite), `θ=${theta}, c=${c}: ${row}`);
        assert.ok(row.every((v, k) => k === c || v <= row[c]), `θ=${theta}, c=${c}: ${row}`);
      }
    }
  }
});

sampler("a truncated Gumbel matches rejection sampling, and stays finite and below the bound at the extreme uniforms", () => {
  for (const [mu, bound] of [[0, 0.5], [2, 1.5], [-1, 0]]) { // acceptance ≈ 0.55, 0.19, 0.69
    const rng = new Rng(7);
    const rejected: number[] = [];
    while (rejected.length < N) {
      const g = mu + gumbel(rng);
      if (g <= bound) rejected.push(g);
    }
    const built = Array.from({ length: N }, () => truncatedGumbel(mu, bound, rng.uniform()));
    const d = ksDistance(rejected, built);
    assert.ok(d < critical(N, N), `μ=${mu}, b=${bound}: KS distance ${d}`);
  }
  for (const u of [Rng.MIN_UNIFORM, 0.5, Rng.MAX_UNIFORM]) {
    for (const [mu, bound] of [[0, 0], [1e3, -1e3], [-1e3, 1e3], [0, -40]]) {
      const z = truncatedGumbel(mu, bound, u);
      assert.ok(Number.isFinite(z) && z <= bound, `μ=${mu}, b=${bound}, u=${u}: ${z}`);
    }
  }
});

sampler("conditionalGumbel checks its index", () => {
  assert.throws(() => conditionalGumbel(tensor([[0, 0], [0, 0]]), [1]), /conditionalGumbel: needs one index per row of logits \(2\), but got 1/);
  assert.throws(() => conditionalGumbel(tensor([0, 0]), [2]), /conditionalGumbel: index 2 is out of range for the last axis of logits of size 2/);
});

sampler.run();
