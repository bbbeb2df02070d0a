// The distributions against PyTorch 1.13's torch.distributions on fixed inputs (test/fixtures/distributions.json,
// written by scripts/fixtures/distributions.py): logits, probs, logProb, entropy and klDivergence, and the
// gradients of each with respect to the logits (or probabilities) and τ. Then what a fixture cannot show:
// the shapes and dtypes of draws, reproducibility, that draws carry no gradient, that their frequencies
// are the probabilities, finite log-densities at τ = 0.005, and the support errors.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import {
  Bernoulli, Categorical, Distribution, ExpRelaxedCategorical, GumbelgradError, OneHotCategorical, OneHotCategoricalStraightThrough,
  RelaxedBernoulli, RelaxedOneHotCategorical, Rng, ShapeError, Tensor, categorical, gumbelSoftmax, exp, klDivergence, mul, sum, tensor,
  valueAndGrad, where, type NestedArray, type UniformSource,
} from "../src/index.js";
import { ALPHA, chiSquare, describeChi, histogram, report, softmaxOf } from "./gumbel-stats.js";

// ---- the fixture ----------------------------------------------------------------------------------------

type Encoded = string | Encoded[];
interface Computed { output: Encoded; grads: (Encoded | null)[] }
interface Case extends Computed {
  name: string; dist: string; ctor: "logits" | "probs"; param: Encoded; method: "logits" | "probs" | "logProb" | "entropy";
  value: Encoded | null; valueDtype: "int32" | "float64"; tau: string | null; weights: Encoded; reference?: Computed; note?: string;
}
interface Side { dist: string; ctor: "logits" | "probs"; param: Encoded }
interface KLCase extends Computed { name: string; p: Side; q: Side; weights: Encoded; reference?: Computed; note?: string }
const fixture = JSON.parse(readFileSync("test/fixtures/distributions.json", "utf8")) as { torch: string; cases: Case[]; kl: KLCase[] };

/** The fixture writes every number as a string, since JSON has no NaN or ±∞. */
function decode(x: Encoded): number | NestedArray {
  if (Array.isArray(x)) return x.map(decode) as NestedArray;
  return x === "nan" ? NaN : x === "inf" ? Infinity : x === "-inf" ? -Infinity : Number(x);
}
const flat = (x: Encoded): number[] => (Array.isArray(x) ? x.flatMap(flat) : [decode(x) as number]);
const asTensor = (x: Encoded, requiresGrad = false) => tensor(decode(x), { requiresGrad });

/**
 * The tolerance: 1e-9 of the value, and 1e-15 absolute for values that are 0 to rounding (a
 * log-probability of −e^−40 is −4e−18 here, where PyTorch's log(1 + e^−40) rounds it to 0).
 */
const RTOL = 1e-9, ATOL = 1e-15;

/** The worst absolute and relative differences per check, for the closing report. */
const worst = new Map<string, { abs: number; rel: number; n: number }>();

function assertClose(check: string, actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  const w = worst.get(check) ?? { abs: 0, rel: 0, n: 0 };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= RTOL * Math.abs(e) + ATOL;
    assert.ok(ok, `${what}[${i}]: gumbelgrad ${a}, PyTorch ${e}`);
    if (Number.isFinite(e)) {
      const d = Math.abs(a - e);
      w.abs = Math.max(w.abs, d);
      if (e !== 0) w.rel = Math.max(w.rel, d / Math.abs(e));
    }
    w.n++;
  }
  worst.set(check, w);
}

type Made = Distribution & { entropy?: () => Tensor };
const CLASSES: Record<string, { new (logits: Tensor, ...rest: never[]): Made; fromProbs?: (p: Tensor) => Made }> = {
  Categorical, OneHotCategorical, OneHotCategoricalStraightThrough, Bernoulli, ExpRelaxedCategorical, RelaxedOneHotCategorical, RelaxedBernoulli,
} as never;

function build(dist: string, ctor: "logits" | "probs", param: Tensor, tau?: Tensor): Made {
  const C = CLASSES[dist] as unknown as { new (l: Tensor, t?: Tensor): Made; fromProbs(p: Tensor): Made };
  if (ctor === "probs") return C.fromProbs(param);
  return tau === undefined ? new C(param) : new C(param, tau);
}

function member(d: Made, method: Case["method"], value: Tensor | null): Tensor {
  if (method === "logProb") return d.logProb(value!);
  if (method === "entropy") return d.entropy!();
  return d[method];
}

/** The value and the gradients of sum(where(finite(out), out, 0) · w) with respect to each input, as the fixture computes them. */
function evaluate(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], weights: Tensor): { out: Tensor; grads: (Tensor | null)[] } {
  let out: Tensor | null = null;
  const [, grads] = valueAndGrad((...xs: Tensor[]) => {
    out = f(...xs);
    const finite = tensor(Array.from(out.values(), (v) => (Number.isFinite(v) ? 1 : 0)), { shape: out.shape });
    return sum(mul(where(finite, out, 0), weights));
  }, { argnums: inputs.map((_, i) => i) })(...inputs) as [Tensor, Tensor[]];
  return { out: out!, grads: grads.map((g) => g ?? null) };
}

const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/**
 * What gumbelgrad must give: PyTorch's numbers, but where PyTorch's value is NaN or ±∞ and the stable
 * reference's is another number (the cases the fixture's notes explain), the reference's; and then
 * the reference's gradients, of a sum that PyTorch's infinite value left out. Where only PyTorch's
 * gradients are NaN, the reference's are taken element by element.
 */
function expected(torch: Computed, reference: Computed | undefined): { output: number[]; grads: (number[] | null)[]; departs: boolean } {
  let departs = false;
  const merge = (t: Encoded, r: Encoded | null | undefined): number[] => {
    const a = flat(t), b = r === undefined || r === null ? null : flat(r);
    return a.map((v, i) => {
      if (b === null || Number.isFinite(v) || same(v, b[i])) return v;
      departs = true;
      return b[i];
    });
  };
  const output = merge(torch.output, reference?.output);
  const wholly = departs;
  const grads = torch.grads.map((g, k) => (g === null ? null : wholly ? flat(reference!.grads[k]!) : merge(g, reference?.grads[k])));
  return { output, grads, departs };
}

function compare(check: string, label: string, got: { out: Tensor; grads: (Tensor | null)[] }, want: Computed, reference: Computed | undefined, names: string[]): void {
  const e = expected(want, reference);
  if (reference) assert.ok(e.departs, `the reference of "${label}" is PyTorch's own answer, so its note no longer holds`);
  const where = reference ? `${check}, where PyTorch is NaN or ∞` : check;
  assertClose(reference ? where : check, got.out.values(), e.output, `${label}: value`);
  e.grads.forEach((g, k) => {
    if (g !== null) assertClose(`${where} (gradients)`, got.grads[k]!.values(), g, `${label}: gradient in ${names[k]}`);
  });
}

const parity = suite(`PyTorch ${fixture.torch} parity`);

parity("the fixture covers every class, member and pair", () => {
  const seen = new Set(fixture.cases.map((c) => `${c.dist} ${c.method}`));
  for (const dist of ["Categorical", "OneHotCategorical", "OneHotCategoricalStraightThrough", "Bernoulli", "ExpRelaxedCategorical", "RelaxedOneHotCategorical", "RelaxedBernoulli"]) {
    assert.ok(seen.has(`${dist} logProb`), `${dist} logProb`);
  }
  for (const m of ["logits", "probs", "entropy"]) assert.ok(seen.has(`Categorical ${m}`) && seen.has(`Bernoulli ${m}`), m);
  assert.ok(fixture.cases.some((c) => c.dist === "ExpRelaxedCategorical" && c.tau === "0.005"));
  assert.ok(fixture.kl.length >= 15);
});

for (const c of fixture.cases) {
  parity(c.name, () => {
    const param = asTensor(c.param, true);
    const tau = c.tau === null ? undefined : asTensor(c.tau, true);
    const value = c.value === null ? null : tensor(decode(c.value), { dtype: c.valueDtype });
    const inputs = tau === undefined ? [param] : [param, tau];
    const got = evaluate((p, t) => member(build(c.dist, c.ctor, p, t), c.method, value), inputs, asTensor(c.weights));
    const check = `${c.dist}${c.ctor === "probs" ? ".fromProbs" : ""} ${c.method}`;
    compare(check, c.name, got, c, c.reference, [c.ctor, "tau"]);
  });
}

for (const c of fixture.kl) {
  parity(`klDivergence: ${c.name}`, () => {
    const p = asTensor(c.p.param, true), q = asTensor(c.q.param, true);
    const got = evaluate((a, b) => klDivergence(build(c.p.dist, c.p.ctor, a), build(c.q.dist, c.q.ctor, b)), [p, q], asTensor(c.weights));
    compare(`klDivergence ${c.p.dist === "Bernoulli" ? "Bernoulli" : "categorical"}`, c.name, got, c, c.reference, ["p", "q"]);
  });
}

parity.after(() => {
  for (const [check, w] of [...worst].sort()) report(`parity ${check}`, `${w.n} numbers, worst |Δ| ${w.abs.toExponential(2)}, worst relative ${w.rel.toExponential(2)}`);
});

parity.run();

// ---- draws ------------------------------------------------------------------------------------------------

const LOGITS = [0.5, -1.0, 2.0, 0.0, -0.3];
const rows = (n: number, logits = LOGITS) => tensor(logits).broadcastTo([n, logits.length]);
const flatNumbers = (t: Tensor) => Array.from(t.values());

const draws = suite("sample and rsample");

draws("shapes and dtypes: [...sampleShape, ...batchShape, ...eventShape]", () => {
  const l = tensor([[0.1, 0.2, 0.3], [1, 0, -1]]);
  const cases: [Distribution, number[], number[], string][] = [
    [new Categorical(l), [2], [], "int32"],
    [new OneHotCategorical(l), [2], [3], "float64"],
    [new OneHotCategoricalStraightThrough(l), [2], [3], "float64"],
    [new RelaxedOneHotCategorical(l, 0.5), [2], [3], "float64"],
    [new ExpRelaxedCategorical(l, 0.5), [2], [3], "float64"],
    [new Bernoulli(l), [2, 3], [], "float64"],
    [new RelaxedBernoulli(l, 0.5), [2, 3], [], "float64"],
  ];
  for (const [d, batch, event, dtype] of cases) {
    assert.equal([d.batchShape, d.eventShape], [batch, event], d.constructor.name);
    for (const sampleShape of [[], [4], [2, 3]]) {
      const x = d.sample({ sampleShape, rng: new Rng(1) });
      assert.equal(x.shape, [...sampleShape, ...batch, ...event], `${d.constructor.name} sampleShape ${JSON.stringify(sampleShape)}`);
      assert.is(x.dtype, dtype, d.constructor.name);
    }
  }
  assert.is(new Bernoulli(tensor([0.5], { dtype: "float32" })).sample().dtype, "float32");
  assert.is(new OneHotCategorical(tensor([0.5, 1], { dtype: "float32" })).sample().dtype, "float32");
});

draws("a seeded Rng reproduces a draw; another seed gives another", () => {
  const make = [
    () => new Categorical(rows(50)), () => new OneHotCategorical(rows(50)), () => new RelaxedOneHotCategorical(rows(50), 0.7),
    () => new ExpRelaxedCategorical(rows(50), 0.7), () => new Bernoulli(tensor(LOGITS)), () => new RelaxedBernoulli(tensor(LOGITS), 0.7),
  ];
  for (const m of make) {
    const a = flatNumbers(m().sample({ sampleShape: [8], rng: new Rng(5) }));
    assert.equal(flatNumbers(m().sample({ sampleShape: [8], rng: new Rng(5) })), a);
    assert.not.equal(flatNumbers(m().sample({ sampleShape: [8], rng: new Rng(6) })), a);
  }
});

draws("Categorical draws what categorical draws from the same generator; a stub UniformSource works too", () => {
  const l = rows(20);
  assert.equal(new Categorical(l).sample({ rng: new Rng(9) }).toArray(), categorical(l, { rng: new Rng(9) }).toArray());
  let u = 0.1;
  const stub: UniformSource = { uniform: () => (u = (u * 7.3) % 1 || 0.5) };
  assert.equal(new Categorical(tensor(LOGITS)).sample({ sampleShape: [3], rng: stub }).shape, [3]);
  assert.throws(() => new Bernoulli(tensor(0)).sample({ rng: { uniform: () => 1 } }),
    (e: Error) => e instanceof GumbelgradError && e.message === "Bernoulli.sample: rng must give uniforms in the open interval (0, 1), but gave 1");
  assert.throws(() => new Categorical(tensor(LOGITS)).sample({ rng: 3 as unknown as Rng }),
    (e: Error) => e.message === "Categorical.sample: rng must be an Rng (new Rng(seed)) or have a uniform() method, but got the number 3");
  assert.throws(() => new Categorical(tensor(LOGITS)).sample({ sampleShape: [-1] }),
    (e: Error) => e.message === "Categorical.sample: a shape is a list of non-negative integers, but got [-1]");
});

draws("sample never carries a gradient; rsample does", () => {
  const l = tensor([[0.3, -0.2, 1]], { requiresGrad: true });
  const t = tensor(0.5, { requiresGrad: true });
  for (const d of [new Categorical(l), new OneHotCategorical(l), new OneHotCategoricalStraightThrough(l), new RelaxedOneHotCategorical(l, t),
    new ExpRelaxedCategorical(l, t), new Bernoulli(l), new RelaxedBernoulli(l, t)]) {
    assert.not.ok(d.sample({ rng: new Rng(2) }).requiresGrad, `${d.constructor.name}.sample`);
  }
  for (const d of [new OneHotCategoricalStraightThrough(l), new RelaxedOneHotCategorical(l, t), new ExpRelaxedCategorical(l, t), new RelaxedBernoulli(l, t)]) {
    assert.ok(d.rsample({ rng: new Rng(2) }).requiresGrad, `${d.constructor.name}.rsample`);
  }
});

draws("sample frequencies are the probabilities: chi-square of 1e5 draws, with a negative control", () => {
  const n = 100_000, pi = softmaxOf(LOGITS);
  const counts = histogram(new Categorical(tensor(LOGITS)).sample({ sampleShape: [n], rng: new Rng(71) }).values(), 5);
  const chi = chiSquare(counts, pi);
  report("Categorical.sample vs softmax(logits), K = 5, 1e5 draws", describeChi(chi));
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
  assert.ok(chiSquare(counts, softmaxOf(LOGITS.map((l) => 0.95 * l))).pValue < ALPHA, "the test rejects a temperature of 1.05");
  // one-hot draws: the same frequencies, each row exactly one-hot
  const hot = new OneHotCategorical(tensor(LOGITS)).sample({ sampleShape: [n], rng: new Rng(72) }).values();
  const byClass = new Float64Array(5);
  for (let r = 0; r < n; r++) {
    let ones = 0;
    for (let k = 0; k < 5; k++) { byClass[k] += hot[r * 5 + k]; ones += hot[r * 5 + k]; }
    if (ones !== 1) assert.unreachable(`row ${r} is not one-hot`);
  }
  const oneHotChi = chiSquare(byClass, pi);
  report("OneHotCategorical.sample vs softmax(logits), 1e5 draws", describeChi(oneHotChi));
  assert.ok(oneHotChi.pValue > ALPHA, describeChi(oneHotChi));
});

draws("Bernoulli frequencies are σ(logits), per element; probabilities 0 and 1 are certain", () => {
  const n = 100_000, logits = [-1.5, 0, 0.7];
  const x = new Bernoulli(tensor(logits)).sample({ sampleShape: [n], rng: new Rng(73) }).values();
  logits.forEach((l, j) => {
    let ones = 0;
    for (let i = 0; i < n; i++) ones += x[i * 3 + j];
    const p = 1 / (1 + Math.exp(-l));
    const chi = chiSquare([ones, n - ones], [p, 1 - p]);
    report(`Bernoulli.sample at logit ${l}, 1e5 draws`, describeChi(chi));
    assert.ok(chi.pValue > ALPHA, describeChi(chi));
    assert.ok(chiSquare([ones, n - ones], [p * 1.05, 1 - p * 1.05]).pValue < ALPHA, "a 5% error in p is detected");
  });
  assert.equal(flatNumbers(Bernoulli.fromProbs(tensor([0, 1])).sample({ sampleShape: [1000], rng: new Rng(74) }).reshape([1000, 2]).sum(0)), [0, 1000]);
  assert.equal(flatNumbers(new Bernoulli(tensor([-Infinity, Infinity])).sample({ sampleShape: [1000], rng: new Rng(74) }).sum(0)), [0, 1000]);
});

draws("impossible categories are never drawn: −∞ logits, zero probabilities", () => {
  const masked = new Categorical(tensor([0.2, -Infinity, 1, -Infinity])).sample({ sampleShape: [20_000], rng: new Rng(75) }).values();
  assert.ok(!masked.includes(1) && !masked.includes(3));
  const zero = Categorical.fromProbs(tensor([0.5, 0, 0.5])).sample({ sampleShape: [20_000], rng: new Rng(76) }).values();
  assert.ok(!zero.includes(1), "a zero probability is −∞ for sampling, not log ε");
});

draws("OneHotCategoricalStraightThrough.rsample: an exact one-hot forward, the gradient of probs backward", () => {
  const l = tensor([[0.3, -0.2, 1, 0.5], [2, 0, 0, -1]], { requiresGrad: true });
  const w = tensor([[1, 2, 3, 4], [-1, 0.5, 2, 0]]);
  const d = new OneHotCategoricalStraightThrough(l);
  const y = d.rsample({ rng: new Rng(3) });
  assert.equal(y.toArray(), d.sample({ rng: new Rng(3) }).toArray());
  for (const row of y.toArray() as number[][]) assert.equal(row.slice().sort(), [0, 0, 0, 1]);
  sum(mul(y, w)).backward();
  const viaProbs = tensor([[0.3, -0.2, 1, 0.5], [2, 0, 0, -1]], { requiresGrad: true });
  sum(mul(new OneHotCategorical(viaProbs).probs, w)).backward();
  assert.equal(l.grad!.toArray(), viaProbs.grad!.toArray());
  assert.instance(OneHotCategoricalStraightThrough.fromProbs(tensor([0.2, 0.8])), OneHotCategoricalStraightThrough);
});

draws("RelaxedOneHotCategorical.rsample is gumbelSoftmax of the same noise; ExpRelaxedCategorical's is its log", () => {
  const l = tensor([[0.5, -0.5, 1], [0, 0, 2]]);
  const y = new RelaxedOneHotCategorical(l, 0.8).rsample({ sampleShape: [4], rng: new Rng(81) });
  assert.equal(y.toArray(), gumbelSoftmax(l.broadcastTo([4, 2, 3]), { tau: 0.8, rng: new Rng(81) }).toArray());
  const x = new ExpRelaxedCategorical(l, 0.8).rsample({ sampleShape: [4], rng: new Rng(81) });
  assertClose("rsample agreement", exp(x).values(), flatNumbers(y), "exp(ExpRelaxedCategorical.rsample)");
});

draws("RelaxedBernoulli.rsample stays inside (0, 1) at τ = 0.005 and at logits ±1e3", () => {
  const y = new RelaxedBernoulli(tensor([1e3, -1e3, 0, 3]), 0.005).rsample({ sampleShape: [500], rng: new Rng(82) }).values();
  assert.ok(Array.from(y).every((v) => v > 0 && v < 1));
});

draws.run();

// ---- τ = 0.005 ------------------------------------------------------------------------------------------

const lowTau = suite("τ = 0.005");

lowTau("ExpRelaxedCategorical.logProb of its own samples is finite in all 200 draws", () => {
  const logits = tensor([1.2, -0.4, 0.3, 2.1, -1.7, 0.0, 0.8]);
  const d = new ExpRelaxedCategorical(logits, 0.005);
  const lp = d.logProb(d.sample({ sampleShape: [200], rng: new Rng(2017) })).values();
  assert.is(lp.length, 200);
  assert.ok(Array.from(lp).every(Number.isFinite), `non-finite: ${Array.from(lp).filter((v) => !Number.isFinite(v)).length} of 200`);
  // one draw at a time, as a training loop draws them; and with a learnable τ, whose gradient is finite too
  const tau = tensor(0.005, { requiresGrad: true });
  for (let seed = 0; seed < 200; seed++) {
    const e = new ExpRelaxedCategorical(logits, tau);
    const v = e.logProb(e.rsample({ rng: new Rng(seed) }));
    assert.ok(Number.isFinite(v.item()), `draw ${seed}: ${v.item()}`);
  }
  sum(new ExpRelaxedCategorical(logits, tau).logProb(new ExpRelaxedCategorical(logits, tau).rsample({ sampleShape: [200], rng: new Rng(1) }))).backward();
  assert.ok(Number.isFinite(tau.grad!.item()));
});

lowTau("RelaxedOneHotCategorical's samples underflow there, and its logProb says so (PyTorch: NaN)", () => {
  const d = new RelaxedOneHotCategorical(tensor([1.2, -0.4, 0.3, 2.1, -1.7, 0.0, 0.8]), 0.005);
  let refused = 0;
  for (let seed = 0; seed < 200; seed++) {
    try {
      d.logProb(d.sample({ rng: new Rng(seed) }));
    } catch (e) {
      assert.match((e as Error).message, /^RelaxedOneHotCategorical\.logProb: value has 0 at \[\d\], where the log-density is not representable/);
      refused++;
    }
  }
  report("RelaxedOneHotCategorical.logProb of its own samples at τ = 0.005, refused", `${refused} of 200`);
  assert.ok(refused > 150, `${refused}`);
  // without validation, the formula gives what PyTorch's does: NaN
  const y = tensor([1, 0, 0, 0, 0, 0, 0]);
  assert.ok(Number.isNaN(new RelaxedOneHotCategorical(tensor([1.2, -0.4, 0.3, 2.1, -1.7, 0.0, 0.8]), 0.005, { validateArgs: false }).logProb(y).item()));
});

lowTau.run();

// ---- parameters, support and errors -------------------------------------------------------------------------

const args = suite("parameters, the support, and errors");

/** Asserts that fn throws a GumbelgradError with exactly this message. */
function throwsExactly(fn: () => unknown, message: string): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, GumbelgradError);
    assert.is((e as Error).message, message);
    return;
  }
  assert.unreachable(`no error; expected ${message}`);
}

args("values outside the support: the class's method, the value and its position", () => {
  throwsExactly(() => new Categorical(tensor([[0, 1, 2, 3, 4], [1, 1, 1, 1, 1]])).logProb(tensor([2, 7], { dtype: "int32" })),
    "Categorical.logProb: value 7 at [1] is outside the support {0, …, 4}");
  throwsExactly(() => new Categorical(tensor([0, 1])).logProb(tensor([[0.5]])), "Categorical.logProb: value 0.5 at [0, 0] is outside the support {0, 1}");
  throwsExactly(() => new Categorical(tensor([0, 1, 2])).logProb(tensor(-1)), "Categorical.logProb: value -1 at [] is outside the support {0, …, 2}");
  throwsExactly(() => new OneHotCategorical(tensor([0, 1, 2])).logProb(tensor([[0, 0, 1], [0, 1, 1]])),
    "OneHotCategorical.logProb: value [0, 1, 1] at [1, :] is outside the support (one-hot vectors of length 3)");
  throwsExactly(() => new OneHotCategoricalStraightThrough(tensor([0, 1])).logProb(tensor([0.5, 0.5])),
    "OneHotCategoricalStraightThrough.logProb: value [0.5, 0.5] at [:] is outside the support (one-hot vectors of length 2)");
  throwsExactly(() => new Bernoulli(tensor([0, 1, 2])).logProb(tensor([1, 0, 0.5])), "Bernoulli.logProb: value 0.5 at [2] is outside the support {0, 1}");
  throwsExactly(() => new RelaxedBernoulli(tensor([0, 1]), 0.5).logProb(tensor([[0.5, 1.5]])), "RelaxedBernoulli.logProb: value 1.5 at [0, 1] is outside the support [0, 1]");
  throwsExactly(() => new RelaxedOneHotCategorical(tensor([[0, 1, 2], [1, 1, 1]]), 0.5).logProb(tensor([[0.2, 0.3, 0.5], [0.2, 0.3, 0.4]])),
    "RelaxedOneHotCategorical.logProb: value [0.2, 0.3, 0.4] at [1, :] is outside the support (the simplex: entries ≥ 0 that sum to 1 within 0.000001)");
  throwsExactly(() => new ExpRelaxedCategorical(tensor([0, 1]), 0.5).logProb(tensor([-0.1, NaN])),
    "ExpRelaxedCategorical.logProb: value [-0.1, NaN] at [:] is outside the support (vectors of real numbers, without NaN)");
});

args("validateArgs: false skips the checks, and the formula answers as PyTorch's does", () => {
  assertClose("validateArgs false", new Bernoulli(tensor(0.3), { validateArgs: false }).logProb(tensor(0.5)).values(), [0.5 * 0.3 - Math.log1p(Math.exp(0.3))], "Bernoulli.logProb(0.5)");
  assert.ok(Number.isFinite(new RelaxedOneHotCategorical(tensor([0, 1]), 0.5, { validateArgs: false }).logProb(tensor([0.3, 0.3])).item()));
  assertClose("validateArgs false", new OneHotCategorical(tensor([0, Math.log(3)]), { validateArgs: false }).logProb(tensor([0.2, 0.7])).values(), [Math.log(0.75)], "OneHotCategorical.logProb of a non-one-hot (its argmax)");
  assert.is(new Categorical(tensor([0, NaN]), { validateArgs: false }).validateArgs, false);
  assert.ok(Number.isNaN(new RelaxedOneHotCategorical(tensor([0, 1]), 0.5, { validateArgs: false }).logProb(tensor([1, 0])).item()));
});

args("logProb broadcasts the value with the batch, or throws a ShapeError", () => {
  assert.equal(new Categorical(tensor([[0, 1, 2], [2, 1, 0]])).logProb(tensor([[0], [1], [2], [0]], { dtype: "int32" })).shape, [4, 2]);
  assert.equal(new Bernoulli(tensor([0, 1])).logProb(tensor([[1, 0], [0, 0], [1, 1]])).shape, [3, 2]);
  assert.throws(() => new Categorical(tensor([[0, 1], [1, 0]])).logProb(tensor([0, 1, 1], { dtype: "int32" })),
    (e: Error) => e instanceof ShapeError && e.message === "Categorical.logProb: value must broadcast with the batch shape (NumPy rules), but value has shape [3] and batch has shape [2]");
  assert.throws(() => new OneHotCategorical(tensor([0, 1, 2])).logProb(tensor([0, 1])),
    (e: Error) => e instanceof ShapeError && e.message === "OneHotCategorical.logProb: value must end with the event shape [3], but value has shape [2]");
  throwsExactly(() => new Categorical(tensor([0, 1])).logProb([0] as unknown as Tensor), "Categorical.logProb: value must be a Tensor, but got an array (wrap it with tensor(...))");
});

args("−∞ logits: probability 0, a finite entropy (as PyTorch's), logProb −∞ at the masked category", () => {
  const l = tensor([0.5, -Infinity, 1], { requiresGrad: true });
  const d = new Categorical(l);
  const h = d.entropy();
  assert.ok(Number.isFinite(h.item()));
  h.backward();
  assert.ok(flatNumbers(l.grad!).every(Number.isFinite));
  assert.is(d.logProb(tensor(1, { dtype: "int32" })).item(), -Infinity);
  assert.is(d.probs.values()[1], 0);
});

args("logits are normalised log-probabilities, RelaxedOneHotCategorical's too; Bernoulli's are the log-odds", () => {
  const raw = [1, 2, 3];
  const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  for (const d of [new Categorical(tensor(raw)), new OneHotCategorical(tensor(raw)), new RelaxedOneHotCategorical(tensor(raw), 0.5), new ExpRelaxedCategorical(tensor(raw), 0.5)]) {
    assertClose("normalised logits", d.logits.values(), raw.map((v) => v - lse), d.constructor.name);
  }
  assert.equal(flatNumbers(new Bernoulli(tensor([0.3, -2])).logits), [0.3, -2]);
  assertClose("fromProbs logits", Bernoulli.fromProbs(tensor([0.25, 0, 1])).logits.values(), [Math.log(1 / 3), Math.log(2 ** -52) - Math.log1p(-(2 ** -52)), Math.log1p(-(2 ** -52)) - Math.log(2 ** -52)], "Bernoulli.fromProbs");
  assertClose("fromProbs probs", Categorical.fromProbs(tensor([1, 3])).probs.values(), [0.25, 0.75], "Categorical.fromProbs");
  assert.instance(new Categorical(tensor(raw)), Distribution);
});

args("Bernoulli at p = 1 − 1e-12: logProb and its gradient keep their digits (PyTorch's gradient keeps 4)", () => {
  const p = tensor([1 - 1e-12], { requiresGrad: true });
  const lp = Bernoulli.fromProbs(p).logProb(tensor([1]));
  lp.sum().backward();
  const q = 1 - 1e-12; // the float64 nearest, as p holds it
  assertClose("p near 1", lp.values(), [Math.log(q)], "log p(1)");
  assertClose("p near 1", p.grad!.values(), [1 / q], "∂ log p(1) / ∂p");
});

args("klDivergence: pairs of one kind; any other pair throws naming both", () => {
  const l = tensor([0.2, 0.3, -0.5]);
  assert.ok(Number.isFinite(klDivergence(new OneHotCategoricalStraightThrough(l), new OneHotCategorical(tensor([0, 0, 0]))).item()));
  assert.is(klDivergence(new Categorical(l), new Categorical(l)).item(), 0);
  throwsExactly(() => klDivergence(new Categorical(l), new RelaxedOneHotCategorical(l, 1)),
    "klDivergence: KL(p ‖ q) is implemented for Categorical, OneHotCategorical (and its straight-through form) and Bernoulli pairs, but p is a Categorical and q is a RelaxedOneHotCategorical");
  throwsExactly(() => klDivergence(new RelaxedBernoulli(tensor(0), 1), new Bernoulli(tensor(0))),
    "klDivergence: KL(p ‖ q) is implemented for Categorical, OneHotCategorical (and its straight-through form) and Bernoulli pairs, but p is a RelaxedBernoulli and q is a Bernoulli");
  // the KL to a uniform prior, as a categorical VAE's loss has it: log K − H(q)
  const q = new Categorical(tensor([[1, 0, -1, 2]]));
  assertClose("KL to uniform", klDivergence(q, new Categorical(tensor([[0, 0, 0, 0]]))).values(), [Math.log(4) - q.entropy().item()], "KL(q ‖ uniform)");
});

args("bad constructor arguments name the class and the argument", () => {
  throwsExactly(() => new Categorical(tensor([0, NaN])), "Categorical: logits must be finite or −∞ (an impossible category), but logits has NaN at [1]");
  throwsExactly(() => new RelaxedBernoulli(tensor([0, 1]), tensor([[1], [-1]])), "RelaxedBernoulli: tau must hold positive finite numbers, but tau has -1 at flat index 1");
  throwsExactly(() => new ExpRelaxedCategorical(tensor([0, 1]), tensor(1, { dtype: "int32" })), "ExpRelaxedCategorical: tau must be a floating tensor (float64 or float32), but has dtype int32");
  throwsExactly(() => Bernoulli.fromProbs(tensor([NaN])), "Bernoulli: probs must lie in [0, 1], but probs has NaN at [0]");
  throwsExactly(() => new Bernoulli(tensor(0), { validateArgs: "yes" as unknown as boolean }), "Bernoulli: validateArgs must be true or false, but got the string \"yes\"");
});

args.run();
