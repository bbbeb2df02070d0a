// The Gumbel noise leaf: never ±∞, the right moments and distribution, no gradient, marked on the tape.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Rng, gumbel, gumbelSoftmax, mul, noGrad, sum, tape, tensor, GumbelgradError } from "../src/index.js";
import { ALPHA, ksTest, report } from "./gumbel-stats.js";
import { wasmGumbelAvailable } from "../src/kernels/index.js";
import { gumbel32OfBits } from "../src/gumbel/noise.js";

const EULER_GAMMA = 0.5772156649015329;
const VARIANCE = Math.PI ** 2 / 6;
/** A uniform source that hands out the given values in turn: how the generator's extremes are injected. */
const fixedUniforms = (values: number[]) => { let i = 0; return { uniform: () => values[i++ % values.length] }; };

const test = suite("gumbel noise");

for (const dtype of ["float64", "float32"] as const) test(`1e6 ${dtype} draws are all finite, with mean γ and variance π²/6`, () => {
  const n = 1_000_000;
  const g = gumbel([n], { rng: new Rng(21), dtype }).values();
  let sum = 0, sumSq = 0;
  for (const x of g) {
    assert.ok(Number.isFinite(x), `non-finite draw ${x}`);
    sum += x;
  }
  const mean = sum / n;
  for (const x of g) sumSq += (x - mean) ** 2;
  const variance = sumSq / (n - 1);
  // Standard errors: sd(mean) = √(π²/6 / n); sd(variance) = σ²·√((κ − 1)/n) with kurtosis κ = 3 + 12/5
  // for the Gumbel. Five standard errors is a two-sided tail of 6e-7.
  const seMean = Math.sqrt(VARIANCE / n);
  const seVar = VARIANCE * Math.sqrt((3 + 12 / 5 - 1) / n);
  report(`gumbel mean (1e6 ${dtype} draws)`, `${mean.toFixed(5)} vs γ = ${EULER_GAMMA.toFixed(5)}, ${((mean - EULER_GAMMA) / seMean).toFixed(2)} SE`);
  report(`gumbel variance (1e6 ${dtype} draws)`, `${variance.toFixed(5)} vs π²/6 = ${VARIANCE.toFixed(5)}, ${((variance - VARIANCE) / seVar).toFixed(2)} SE`);
  assert.ok(Math.abs(mean - EULER_GAMMA) < 5 * seMean, `mean ${mean}`);
  assert.ok(Math.abs(variance - VARIANCE) < 5 * seVar, `variance ${variance}`);
});

for (const dtype of ["float64", "float32"] as const) test(`${dtype} draws follow the Gumbel CDF exp(−exp(−x)) (KS on 1e5), and the KS test rejects a shifted Gumbel`, () => {
  const g = gumbel([100_000], { rng: new Rng(22), dtype }).values();
  const cdf = (x: number) => Math.exp(-Math.exp(-x));
  const ks = ksTest(g, cdf);
  report(`gumbel KS (1e5 ${dtype} draws)`, ks);
  assert.ok(ks.pValue > ALPHA, `KS p = ${ks.pValue}`);
  assert.ok(ksTest(g, (x) => cdf(x - 0.03)).pValue < ALPHA, "negative control: location 0.03");
});

test("the generator's extreme uniforms give finite noise that bounds every draw", () => {
  const edges = gumbel([2], { rng: fixedUniforms([Rng.MIN_UNIFORM, Rng.MAX_UNIFORM]) }).values();
  report("gumbel at the extreme uniforms", [...edges]);
  assert.ok(edges.every(Number.isFinite), `edges ${edges}`);
  // g = −log(−log u) increases with u, so no draw can leave [g(MIN), g(MAX)].
  const g = gumbel([100_000], { rng: new Rng(23) }).values();
  for (const x of g) assert.ok(x > edges[0] && x < edges[1]);
});

test("a source that gives 0 or 1 is refused instead of producing ±∞", () => {
  for (const bad of [0, 1]) {
    assert.throws(() => gumbel([3], { rng: fixedUniforms([0.5, bad]) }),
      (e: Error) => e instanceof GumbelgradError && e.message === `gumbel: uniforms must lie in the open interval (0, 1), but the generator gave ${bad}`);
  }
});

test("gumbel is a leaf without gradient, marked as noise on the tape", () => {
  tape.clear();
  const g = gumbel([2, 3], { rng: new Rng(24) });
  assert.is(g.requiresGrad, false);
  assert.is(g.noiseLabel, "gumbel");
  assert.is(g.node, null, "a noise leaf is a leaf: no entry of its own");
  assert.match(tape.toString(), new RegExp(`^t${g.id} \\[2, 3\\] = noise gumbel$`, "m"));
});

test("the noise of a Gumbel-softmax shows on the tape of its result, and backward reaches the logits through it", () => {
  tape.clear();
  const logits = tensor([[0.1, 0.2, 0.3]], { requiresGrad: true });
  const y = gumbelSoftmax(logits, { rng: new Rng(25) });
  const lines = tape.toString(y).split("\n");
  assert.match(lines[0], /= noise gumbel$/);
  assert.ok(lines.some((l) => /softmax/i.test(l)));
  y.sum().backward();
  assert.ok(logits.grad !== null);
});

test("a noise leaf asked to require grad gets its gradient, like any leaf", () => {
  const g = gumbel([3], { rng: new Rng(26) });
  g.requiresGrad = true;
  sum(mul(g, 2)).backward();
  assert.equal(Array.from(g.grad!.values()), [2, 2, 2]);
});

test("inside noGrad nothing is recorded", () => {
  tape.clear();
  const g = noGrad(() => gumbel([4], { rng: new Rng(26) }));
  assert.is(g.node, null);
  assert.is(tape.length, 0);
  assert.is(g.noiseLabel, "gumbel");
});

test("the same seed gives the same noise; float32 on request", () => {
  assert.equal(gumbel([5], { rng: new Rng(27) }).toArray(), gumbel([5], { rng: new Rng(27) }).toArray());
  const g32 = gumbel([3, 2], { rng: new Rng(27), dtype: "float32" });
  assert.is(g32.dtype, "float32");
  assert.equal(g32.shape, [3, 2]);
});

test("a bad shape throws naming gumbel", () => {
  assert.throws(() => gumbel([2, -1]), (e: Error) => e.message === "gumbel: a shape is a list of non-negative integers, but got [2, -1]");
});

/** The readable path: one uniform at a time from the same generator, then −log(−log u); in float32, from its top bits. */
function drawnOneByOne(rng: Rng, n: number, dtype: "float64" | "float32" = "float64"): number[] {
  if (dtype === "float32") {
    const w = new Uint32Array(n);
    rng.fillTopBits(w);
    return Array.from(w, gumbel32OfBits);
  }
  return Array.from({ length: n }, () => -Math.log(-Math.log(rng.uniform())));
}

/** u for the top 32 bits w of a uniform's 52, and −log u computed from whichever of u and 1 − u is exact. */
const uniformOfTopBits = (w: number) => (w + 0.5) * 2 ** -32;
const exponentialOfTopBits = (w: number) => w < 2 ** 31 ? -Math.log(uniformOfTopBits(w)) : -Math.log1p(-uniformOfTopBits(0xffffffff - w));

test("float32 noise is −log(−log u) within 4·2⁻²⁴·max(|g|, 1), from the top 32 bits of the float64 noise's uniforms", () => {
  const rng = new Rng(31);
  const ws: number[] = [0, 1, 2, 2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 2, 2 ** 32 - 1, 0x5e2d58d8, 0xa1d2a728];
  for (let i = 0; i < 200_000; i++) ws.push(rng.nextUint32());
  for (let i = 0; i < 4096; i++) ws.push(i, 2 ** 32 - 1 - i); // the two tails, where u and 1 − u are smallest
  let worst = 0;
  for (const w of ws) {
    const want = -Math.log(exponentialOfTopBits(w));
    const got = gumbel32OfBits(w);
    assert.is(got, Math.fround(got), "a float32 value");
    worst = Math.max(worst, Math.abs(got - want) / (2 ** -24 * Math.max(Math.abs(want), 1)));
  }
  report("float32 noise, worst error in units of 2⁻²⁴·max(|g|, 1)", worst);
  assert.ok(worst <= 4, `worst ${worst}`);
  // the extremes bound every draw, finitely, and the float64 noise of the same stream is close
  const g32 = gumbel([20_000], { rng: new Rng(32), dtype: "float32" }).values();
  const g64 = gumbel([20_000], { rng: new Rng(32) }).values();
  const [low, high] = [gumbel32OfBits(0), gumbel32OfBits(2 ** 32 - 1)]; // g grows with w
  assert.ok(low > -3.2 && high < 23, `bounds ${low}, ${high}`);
  for (let i = 0; i < g32.length; i++) {
    assert.ok(g32[i] >= low && g32[i] <= high, `draw ${i}: ${g32[i]}`);
    assert.ok(Math.abs(g32[i] - g64[i]) < 1e-5 * Math.max(Math.abs(g64[i]), 1) + 2 ** -31 * Math.exp(g64[i]), `draw ${i}: ${g32[i]} against ${g64[i]}`);
  }
});

/** A generator whose counter is moved to (lo, 0), as if lo blocks had been drawn: private, so set here. */
function atCounter(seed: number, lo: number): Rng {
  const rng = new Rng(seed);
  (rng as unknown as { lo: number }).lo = lo;
  return rng;
}

test("the WebAssembly noise kernel gives the bits of the readable path, at any length, in both dtypes, across a counter wrap", () => {
  assert.ok(wasmGumbelAvailable(), "Node.js 20 has WebAssembly SIMD: the fast path must be the one tested");
  const cases: [string, () => Rng, number][] = [
    ["a long draw", () => new Rng(5), 20_011],
    ["a short one", () => new Rng(6), 3],
    // the kernel draws sixteen a turn, then four at a time: every count of leftover blocks
    ...[16, 20, 24, 28, 31].map((n): [string, () => Rng, number] => [`${n} draws`, () => new Rng(8), n]),
    ["a wrap of the low counter word", () => atCounter(7, 2 ** 32 - 9), 41],
  ];
  for (const [name, make, n] of cases) {
    for (const dtype of ["float64", "float32"] as const) {
      const fast = gumbel([n], { rng: make(), dtype }).values();
      const expected = drawnOneByOne(make(), n, dtype);
      const want = dtype === "float32" ? Float32Array.from(expected) : Float64Array.from(expected);
      let mismatches = 0;
      for (let i = 0; i < n; i++) if (!Object.is(fast[i], want[i])) mismatches++;
      assert.is(mismatches, 0, `${name}, ${dtype}: ${mismatches} of ${n} draws differ`);
    }
    // and the stream goes on where the readable path would: the next draw matches too
    const a = make(), b = make();
    gumbel([n], { rng: a });
    drawnOneByOne(b, n);
    assert.is(a.uniform(), b.uniform(), `${name}: the generator moved on by ${n} blocks`);
  }
});

test.run();
