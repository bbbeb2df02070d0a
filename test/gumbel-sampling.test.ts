// Exact samples: categorical by Gumbel-max, ordered samples without replacement by Gumbel-top-k.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Rng, categorical, gumbelTopK, tensor, transpose, GumbelgradError } from "../src/index.js";
import { ALPHA, chiSquare, describeChi, histogram, report, softmaxOf } from "./gumbel-stats.js";

const N = 100_000;
const LOGITS = [1.0, -0.5, 2.0, 0.0, 0.3];
const PI = softmaxOf(LOGITS);
/** N copies of the logits as rows: one categorical draw per row. */
const batch = (logits: number[], n = N) => tensor(logits).broadcastTo([n, logits.length]);

const cat = suite("categorical (Gumbel-max)");

cat("class frequencies match softmax(logits): chi-square on 1e5 draws", () => {
  const draws = categorical(batch(LOGITS), { rng: new Rng(61) });
  assert.is(draws.dtype, "int32");
  assert.equal(draws.shape, [N]);
  const chi = chiSquare(histogram(draws.values(), 5), PI);
  report("categorical vs softmax(logits), K = 5, 1e5 draws", describeChi(chi));
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
});

cat("the chi-square test rejects a slightly wrong π (negative control)", () => {
  const draws = categorical(batch(LOGITS), { rng: new Rng(61) });
  const wrong = softmaxOf(LOGITS.map((l) => 0.95 * l)); // a temperature of 1.05
  assert.ok(chiSquare(histogram(draws.values(), 5), wrong).pValue < ALPHA);
});

cat("normalised and unnormalised logits give the same draws, and the same distribution", () => {
  const normalised = PI.map(Math.log);
  const shifted = LOGITS.map((l) => l + 100);
  const a = categorical(batch(normalised, 1000), { rng: new Rng(62) }).toArray();
  const b = categorical(batch(shifted, 1000), { rng: new Rng(62) }).toArray();
  const c = categorical(batch(LOGITS, 1000), { rng: new Rng(62) }).toArray();
  assert.equal(a, b);
  assert.equal(a, c);
  const chi = chiSquare(histogram(categorical(batch(shifted), { rng: new Rng(63) }).values(), 5), PI);
  report("categorical on logits + 100, 1e5 draws", describeChi(chi));
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
});

cat("works along any axis: axis 0 of the transposed logits", () => {
  const draws = categorical(transpose(batch(LOGITS)), { rng: new Rng(64), axis: 0 });
  assert.equal(draws.shape, [N]);
  const chi = chiSquare(histogram(draws.values(), 5), PI);
  report("categorical along axis 0, 1e5 draws", describeChi(chi));
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
  const middle = categorical(tensor([[[0, 50], [0, -50], [50, 0]]]), { axis: 1, rng: new Rng(65) });
  assert.equal(middle.toArray(), [[2, 0]]);
});

cat("a category with logit −∞ is never drawn; one with all the mass always is", () => {
  const draws = categorical(batch([0, -Infinity, 0], 10_000), { rng: new Rng(66) }).values();
  assert.ok(Array.from(draws).every((k) => k !== 1));
  const sure = categorical(batch([-Infinity, 3, -Infinity], 100), { rng: new Rng(67) }).values();
  assert.ok(Array.from(sure).every((k) => k === 1));
});

cat("NaN logits and a bad axis throw naming categorical", () => {
  assert.throws(() => categorical(tensor([0, NaN])), (e: Error) => e instanceof GumbelgradError && e.message === "categorical: logits must be finite or −∞ (an impossible category), but logits has NaN at [1]");
  assert.throws(() => categorical(tensor([0, 1]), { axis: 1 }), (e: Error) => e.message === "categorical: axis 1 is out of range for a tensor of rank 1 (shape [2])");
});

cat.run();

const topk = suite("gumbelTopK");

topk("ordered pairs for k = 2 follow Plackett–Luce p_i·p_j/(1 − p_i): chi-square on 1e5 draws", () => {
  const logits = [0.5, -1, 1.5, 0];
  const p = softmaxOf(logits);
  const K = p.length;
  const draws = gumbelTopK(batch(logits), 2, { rng: new Rng(71) }).values();
  const cell = (i: number, j: number) => i * K + j;
  const counts = new Float64Array(K * K);
  for (let r = 0; r < N; r++) counts[cell(draws[2 * r], draws[2 * r + 1])]++;
  const observed: number[] = [], expected: number[] = [];
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      if (i === j) { assert.is(counts[cell(i, j)], 0, "a category drawn twice"); continue; }
      observed.push(counts[cell(i, j)]);
      expected.push((p[i] * p[j]) / (1 - p[i]));
    }
  }
  const chi = chiSquare(observed, expected);
  report("gumbelTopK ordered pairs, K = 4, k = 2, 1e5 draws", describeChi(chi));
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
  // Negative control: sampling with replacement's p_i·p_j (renormalised off the diagonal) is rejected.
  const withReplacement = [];
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) if (i !== j) withReplacement.push(p[i] * p[j]);
  const total = withReplacement.reduce((a, b) => a + b, 0);
  assert.ok(chiSquare(observed, withReplacement.map((q) => q / total)).pValue < ALPHA);
});

topk("indices are distinct, in descending order of the perturbed logits; k = K is a permutation", () => {
  const perm = gumbelTopK(batch([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 500), 6, { rng: new Rng(72) }).toArray() as number[][];
  for (const row of perm) assert.equal([...row].sort(), [0, 1, 2, 3, 4, 5]);
  // With well separated logits the order is the order of the logits.
  assert.equal(gumbelTopK(tensor([0, 300, -200, 100]), 3, { rng: new Rng(73) }).toArray(), [1, 3, 0]);
});

topk("the first of the top-k is a categorical draw: the same draws as categorical at the same seed", () => {
  const top = gumbelTopK(batch(LOGITS, 2000), 3, { rng: new Rng(74) }).toArray() as number[][];
  const first = categorical(batch(LOGITS, 2000), { rng: new Rng(74) }).toArray() as number[];
  assert.equal(top.map((row) => row[0]), first);
});

topk("works along axis 0, keeping the axis with size k", () => {
  const out = gumbelTopK(tensor([[0, 100], [100, 0], [50, 50]]), 2, { axis: 0, rng: new Rng(75) });
  assert.equal(out.shape, [2, 2]);
  assert.equal(out.toArray(), [[1, 0], [2, 2]]);
});

topk("k > K, k = 0 and fractional k throw naming gumbelTopK", () => {
  for (const k of [4, 0, 1.5]) {
    assert.throws(() => gumbelTopK(tensor([0, 1, 2]), k),
      (e: Error) => e instanceof GumbelgradError && e.message === `gumbelTopK: k must be an integer with 1 ≤ k ≤ 3 (the size of axis 0), but got k=${k}`);
  }
});

topk.run();
