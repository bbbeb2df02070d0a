// The generator: Threefry-2x32-20, seeded and splittable, bit-for-bit reproducible, uniforms in (0, 1).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Rng, manualSeed, rand } from "../src/index.js";
import { threefry2x32, getDefaultRng } from "../src/core/index.js";
import { ALPHA, chiSquare, correlation, describeChi, ksTest, report } from "./gumbel-stats.js";

const uniforms = (rng: Rng, n: number): Float64Array => Float64Array.from({ length: n }, () => rng.uniform());

const kat = suite("rng: the documented generator");

// Known-answer vectors published with Random123 (kat_vectors: threefry2x32 20 ctr key → out).
// Matching them means every machine computes the same bits as the reference implementation.
kat("threefry2x32 matches the Random123 known-answer vectors", () => {
  const cases: [number[], number[], number[]][] = [
    [[0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6b200159, 0x99ba4efe]],
    [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
    [[0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344], [0xc4923a9c, 0x483df7a0]],
  ];
  const out = new Uint32Array(2);
  for (const [ctr, key, expected] of cases) {
    threefry2x32(key[0], key[1], ctr[0], ctr[1], out);
    assert.equal([...out], expected);
  }
});

kat("a uniform is the documented function of one Threefry block: (⌊a/2¹²⌋·2³² + b + ½)·2⁻⁵²", () => {
  const seed = 2024;
  const rng = new Rng(seed);
  const block = new Uint32Array(2);
  for (let counter = 0; counter < 5; counter++) {
    threefry2x32(seed, 0, counter, 0, block);
    const expected = ((block[0] >>> 12) * 2 ** 32 + block[1] + 0.5) * 2 ** -52;
    assert.is(rng.uniform(), expected);
  }
});

kat.run();

const repro = suite("rng: reproducible");

repro("the same seed gives the same stream, bit for bit", () => {
  assert.equal(uniforms(new Rng(7), 1000), uniforms(new Rng(7), 1000));
  assert.not.equal(uniforms(new Rng(7), 10), uniforms(new Rng(8), 10));
});

repro("the same seed gives the same sequence of splits; split advances the parent", () => {
  const a = new Rng(99), b = new Rng(99);
  const childrenA = [a.split(), a.split()], childrenB = [b.split(), b.split()];
  assert.equal(uniforms(childrenA[0], 50), uniforms(childrenB[0], 50));
  assert.equal(uniforms(childrenA[1], 50), uniforms(childrenB[1], 50));
  const c = new Rng(99);
  assert.not.equal(uniforms(c.split(), 10), uniforms(c.split(), 10), "two splits of one parent differ");
  const d = new Rng(99);
  d.split();
  assert.not.equal(uniforms(d, 10), uniforms(new Rng(99), 10), "a split moves the parent on");
});

repro("manualSeed resets the default generator used when rng is left out", () => {
  manualSeed(5);
  const first = rand([20]).toArray();
  assert.is(getDefaultRng().constructor, Rng);
  manualSeed(5);
  assert.equal(rand([20]).toArray(), first);
  assert.equal(first, rand([20], { rng: new Rng(5) }).toArray());
});

repro.run();

const stats = suite("rng: statistics");

// |r| of two independent streams of n values is about N(0, 1/n); 4.42/√n is the two-sided 1e-5 point.
const independent = (r: number, n: number) => Math.abs(r) < 4.42 / Math.sqrt(n);

stats("split streams are uncorrelated with each other and with the parent", () => {
  const n = 100_000;
  const parent = new Rng(3);
  const a = parent.split(), b = parent.split();
  const [ua, ub, up] = [uniforms(a, n), uniforms(b, n), uniforms(parent, n)];
  const pairs = { "child a / child b": correlation(ua, ub), "child a / parent": correlation(ua, up), "child b / parent": correlation(ub, up) };
  report("split stream correlations (n = 1e5, bound 4.42/sqrt(n) = 0.0140)", pairs);
  for (const [label, r] of Object.entries(pairs)) assert.ok(independent(r, n), `${label}: r = ${r}`);
  // A grandchild chain too: the first draws of 20,000 successive splits are uniform.
  const firsts = Float64Array.from({ length: 20_000 }, () => parent.split().uniform());
  const ks = ksTest(firsts, (x) => x);
  report("first uniform of 20,000 successive splits, KS", ks);
  assert.ok(ks.pValue > ALPHA, `KS p = ${ks.pValue}`);
});

stats("the correlation check catches a correlated pair (negative control)", () => {
  const n = 100_000;
  const u = uniforms(new Rng(4), n);
  const noise = uniforms(new Rng(5), n);
  const mixed = u.map((x, i) => 0.97 * noise[i] + 0.03 * x); // r ≈ 0.03, about 10 standard errors
  assert.not.ok(independent(correlation(u, mixed), n));
});

stats("successive uniforms are uncorrelated (lag 1)", () => {
  const n = 100_000;
  const u = uniforms(new Rng(11), n + 1);
  const r = correlation(u.subarray(0, n), u.subarray(1));
  report("lag-1 autocorrelation (n = 1e5)", r);
  assert.ok(independent(r, n), `r = ${r}`);
});

stats("uniforms are uniform: chi-square over 100 bins of 1e6 draws, and KS on 1e5", () => {
  const n = 1_000_000, bins = 100;
  const u = uniforms(new Rng(12), n);
  const counts = new Float64Array(bins);
  for (const x of u) counts[Math.floor(x * bins)]++;
  const chi = chiSquare(counts, new Float64Array(bins).fill(1 / bins));
  const ks = ksTest(u.subarray(0, 100_000), (x) => x);
  report("uniform chi-square, 100 bins, 1e6 draws", describeChi(chi));
  report("uniform KS, 1e5 draws", ks);
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
  assert.ok(ks.pValue > ALPHA, `KS D = ${ks.statistic}, p = ${ks.pValue}`);
});

stats("the same tests reject a slightly skewed uniform, u^1.02 (negative control)", () => {
  const n = 1_000_000, bins = 100;
  const u = uniforms(new Rng(12), n).map((x) => x ** 1.02);
  const counts = new Float64Array(bins);
  for (const x of u) counts[Math.floor(x * bins)]++;
  assert.ok(chiSquare(counts, new Float64Array(bins).fill(1 / bins)).pValue < ALPHA);
  assert.ok(ksTest(u.subarray(0, 100_000), (x) => x).pValue < ALPHA);
});

stats("uniforms lie in the open interval (0, 1), and the extremes give finite logs", () => {
  const u = uniforms(new Rng(13), 1_000_000);
  let lo = 1, hi = 0;
  for (const x of u) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  assert.ok(lo > 0 && hi < 1, `range [${lo}, ${hi}]`);
  assert.ok(lo >= Rng.MIN_UNIFORM && hi <= Rng.MAX_UNIFORM);
  assert.ok(Rng.MIN_UNIFORM > 0 && Rng.MAX_UNIFORM < 1);
  assert.is(1 - Rng.MAX_UNIFORM, Rng.MIN_UNIFORM, "the grid is symmetric: the extremes sit half a step inside 0 and 1");
  for (const u0 of [Rng.MIN_UNIFORM, Rng.MAX_UNIFORM]) {
    assert.ok(Number.isFinite(Math.log(u0)) && Number.isFinite(Math.log(-Math.log(u0))), `log at ${u0}`);
  }
});

stats("int(n) is unbiased: chi-square of 60,000 die rolls", () => {
  const rng = new Rng(14);
  const counts = new Float64Array(6);
  for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
  const chi = chiSquare(counts, new Float64Array(6).fill(1 / 6));
  report("int(6) chi-square, 60,000 rolls", describeChi(chi));
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
});

stats.run();
