// gumbelRao and reinmax as ops: the forward is categorical's sample as an exact one-hot, the backward
// is each estimator's definition (computed here independently), on any shape and axis; against the
// authors' formulas in PyTorch 1.13 (test/fixtures/losses-and-estimators.json, written by
// scripts/fixtures/losses_and_estimators.py), to first and second order.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import {
  GumbelgradError, Rng, Tensor, add, broadcastTo, categorical, conditionalGumbel, div, grad, gumbelRao, gumbelSoftmax, log, mul, noGrad,
  oneHot, reinmax, reshape, softmax, stopGradient, sub, sum, tensor, transpose, zeros,
} from "../src/index.js";
import { decode, flat } from "./nn-optim-fixture.js";

const fixture = JSON.parse(readFileSync(new URL("fixtures/losses-and-estimators.json", import.meta.url), "utf8"));
const t = (x: unknown, requiresGrad = false) => tensor(decode(x) as number[][], { requiresGrad });

/** |a − b| ≤ rel·max(1, |b|) element by element. */
function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string, rel = 1e-12): void {
  assert.is(a.length, b.length, `${what}: length`);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= rel * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** The one-hot of categorical(logits, { rng: new Rng(seed), axis }), as a float tensor of the logits' shape. */
function categoricalOneHot(logits: Tensor, seed: number, axis: number): number[] {
  const a = axis < 0 ? axis + logits.ndim : axis;
  const idx = categorical(logits, { rng: new Rng(seed), axis: a });
  const k = logits.shape[a];
  // one-hot along the last axis of the index's shape, then the class axis moved back to a
  const hot = oneHot(idx, k);
  const order = [...Array(logits.ndim).keys()].map((i) => (i < a ? i : i === a ? logits.ndim - 1 : i - 1));
  return Array.from(transpose(hot, order).values());
}

const forward = suite("gumbelRao and reinmax: the forward is categorical's sample, exactly one-hot");

forward("the same sample as categorical with the same seed, on [16, 64], [3, 4, 5] along axis 1, and [5, 3] along axis 0", () => {
  const rng = new Rng(1);
  for (const [shape, axis] of [[[16, 64], -1], [[3, 4, 5], 1], [[5, 3], 0]] as [number[], number][]) {
    const logits = tensor(Array.from({ length: shape.reduce((a, b) => a * b) }, () => 3 * rng.normal()), { shape });
    for (const seed of [3, 4]) {
      const want = categoricalOneHot(logits, seed, axis);
      for (const [name, op] of [["gumbelRao", gumbelRao], ["reinmax", reinmax]] as const) {
        for (const requiresGrad of [false, true]) {
          const l = logits.detach();
          l.requiresGrad = requiresGrad;
          const y = op(l, { axis, rng: new Rng(seed) });
          assert.equal(y.shape, shape);
          assert.is(y.dtype, "float64");
          assert.equal(Array.from(y.values()), want, `${name} ${JSON.stringify(shape)} axis ${axis}`);
        }
      }
    }
  }
});

forward("float32 logits give a float32 one-hot, and the same sample", () => {
  const logits = tensor([[0.5, -1, 2, 0], [1, 1, -3, 0.25]], { dtype: "float32", requiresGrad: true });
  const want = categoricalOneHot(logits, 9, -1);
  for (const op of [gumbelRao, reinmax]) {
    const y = op(logits, { rng: new Rng(9) });
    assert.is(y.dtype, "float32");
    assert.equal(Array.from(y.values()), want);
    sum(mul(y, tensor([[1, 2, 3, 4], [5, 6, 7, 8]], { dtype: "float32" }))).backward();
    assert.is(logits.grad!.dtype, "float32");
    logits.grad = null;
  }
});

forward("reproducible with a seed, forward and backward; another seed draws otherwise", () => {
  const logits = tensor([[0.2, -0.4, 1, 0.1, 0], [2, 1, 0, -1, -2], [0, 0, 0, 0, 0]]);
  const w = tensor([[1, -2, 3, 0.5, 1], [0, 1, 2, 3, 4], [4, -1, 0, 1, 2]]);
  for (const op of [(l: Tensor, rng: Rng) => gumbelRao(l, { rng, tau: 0.5 }), (l: Tensor, rng: Rng) => reinmax(l, { rng, tau: 1.5 })]) {
    const run = (seed: number) => {
      let y: Tensor | null = null;
      const g = grad((l: Tensor) => { y = op(l, new Rng(seed)); return sum(mul(y, w)); })(logits) as Tensor;
      return [...y!.values(), ...g.values()];
    };
    assert.equal(run(5), run(5));
    assert.not.equal(run(5), run(6));
  }
});

forward("−∞ logits are never drawn and get no gradient; the rest is the op on the possible categories alone", () => {
  const masked = tensor([[0.5, -Infinity, 1, 0], [-Infinity, 2, -Infinity, 0.3]], { requiresGrad: true });
  const w = tensor([[1, 5, -2, 3], [2, 7, -1, 0.5]]);
  const noise = tensor([[0.3, 0.1, -0.2, 0.9], [0.5, -0.4, 0.2, 1.8]]);
  for (const [name, op] of [["gumbelRao", (l: Tensor) => gumbelRao(l, { noise, rng: new Rng(2), samples: 4 })], ["reinmax", (l: Tensor) => reinmax(l, { noise, tau: 0.7 })]] as const) {
    masked.grad = null;
    const y = op(masked);
    assert.equal(y.toArray(), [[0, 0, 0, 1], [0, 0, 0, 1]], name);
    sum(mul(y, w)).backward();
    const g = masked.grad!.toArray() as number[][];
    assert.ok(g.flat().every(Number.isFinite), `${name}: ${JSON.stringify(g)}`);
    assert.equal([g[0][1], g[1][0], g[1][2]], [0, 0, 0], name);
    if (name === "reinmax") {
      // row by row, on the possible categories only, with the same noise
      const rows: [number[], number[], number[], number[]][] = [[[0.5, 1, 0], [0.3, -0.2, 0.9], [1, -2, 3], [0, 2, 3]], [[2, 0.3], [-0.4, 1.8], [7, 0.5], [1, 3]]];
      rows.forEach(([l, n, wr, keep], r) => {
        const sub_ = tensor(l, { requiresGrad: true });
        sum(mul(reinmax(sub_, { noise: tensor(n), tau: 0.7 }), tensor(wr))).backward();
        close(keep.map((k) => g[r][k]), sub_.grad!.values(), `reinmax row ${r}`, 1e-15);
      });
    }
  }
});

forward.run();

const definitions = suite("gumbelRao and reinmax: the gradient is the estimator's definition");

/** (1/K) Σ_k J_kᵀ w with J_k = ∂softmax((ℓ + g_k)/τ)/∂ℓ = (diag y − yyᵀ)/τ, in plain numbers, along the last axis. */
function graoByHand(l: number[][], g: number[][][], w: number[][], tau: number): number[][] {
  return l.map((row, r) => row.map((_, j) => {
    let total = 0;
    for (const draw of g) {
      const z = row.map((v, k) => (v + draw[r][k]) / tau);
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      const y = e.map((v) => v / s);
      const yw = y.reduce((a, yk, k) => a + yk * w[r][k], 0);
      total += (y[j] * (w[r][j] - yw)) / tau;
    }
    return total / g.length;
  }));
}

definitions("Gumbel-Rao: the Monte Carlo average of the soft Jacobian over the very conditional draws the op takes", () => {
  const l = [[0.3, -1, 2, 0.5], [1, 1, 0, -0.5]];
  const w = [[1, -2, 0.5, 3], [2, 0, -1, 1]];
  for (const [tau, k, seed] of [[1, 5, 11], [0.3, 3, 12]]) {
    const logits = tensor(l, { requiresGrad: true });
    sum(mul(gumbelRao(logits, { tau, samples: k, rng: new Rng(seed) }), tensor(w))).backward();
    // The op draws D as categorical does, then K draws of the noise given D, from the same generator.
    const rng = new Rng(seed);
    const c = Array.from(categorical(tensor(l), { rng }).values());
    const g = conditionalGumbel(broadcastTo(tensor(l), [k, 2, 4]), Array.from({ length: k }, () => c).flat(), { rng }).toArray() as number[][][];
    for (const draw of g) draw.forEach((row, r) => assert.is(row.map((v, j) => v + l[r][j]).indexOf(Math.max(...row.map((v, j) => v + l[r][j]))), c[r]));
    close(logits.grad!.values(), graoByHand(l, g, w, tau).flat(), `τ ${tau}, K ${k}`, 1e-14);
  }
});

definitions("Gumbel-Rao: with many draws, the mean approaches E[straight-through's gradient | D] (3 classes, PyTorch by rejection)", () => {
  const e = fixture.straightThroughGivenD;
  const theta = flat(e.logits), w = flat(e.w), expected = flat(e.mean), seExpected = flat(e.standardError);
  // 400 estimates (rows), each the average over 250 draws given D = e.D; D is forced by the noise.
  const rows = 400, draws = 250;
  const logits = tensor(Array.from({ length: rows }, () => theta), { requiresGrad: true });
  const noise = tensor(Array.from({ length: rows }, () => theta.map((_, k) => (k === e.D ? 50 : 0))));
  const y = gumbelRao(logits, { tau: e.tau, samples: draws, noise, rng: new Rng(21) });
  assert.ok((y.toArray() as number[][]).every((r) => r[e.D] === 1));
  sum(mul(y, tensor(Array.from({ length: rows }, () => w)))).backward();
  const g = logits.grad!.toArray() as number[][];
  for (let j = 0; j < 3; j++) {
    const col = g.map((r) => r[j]);
    const mean = col.reduce((a, b) => a + b, 0) / rows;
    const se = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / (rows - 1) / rows);
    assert.ok(Math.abs(mean - expected[j]) <= 4 * Math.hypot(se, seExpected[j]), `[${j}] GR ${mean} ± ${se} vs ${expected[j]} ± ${seExpected[j]}`);
  }
});

/** Liu et al.'s Algorithm 2 written out with the library's ops, with D from categorical and the same seed. */
function algorithm2(theta: Tensor, d: Tensor, tau: number, axis: number): Tensor {
  const pi0 = softmax(theta, axis);
  let pi1 = div(add(d, softmax(div(theta, tau), axis)), 2);
  pi1 = softmax(add(stopGradient(sub(log(pi1), theta)), theta), axis);
  const pi2 = sub(mul(pi1, 2), mul(pi0, 0.5));
  return add(sub(pi2, stopGradient(pi2)), d);
}

definitions("ReinMax: the gradient of Algorithm 2 written out by hand, on [2, 5], [3, 4] along axis 0, and [2, 3, 2] along axis 1", () => {
  const rng = new Rng(8);
  for (const [shape, axis, tau] of [[[2, 5], -1, 1], [[3, 4], 0, 0.5], [[2, 3, 2], 1, 2]] as [number[], number, number][]) {
    const n = shape.reduce((a, b) => a * b);
    const l = tensor(Array.from({ length: n }, () => 2 * rng.normal()), { shape });
    const w = tensor(Array.from({ length: n }, () => rng.normal()), { shape });
    const d = tensor(categoricalOneHot(l, 30, axis), { shape });
    const ours = grad((x: Tensor) => sum(mul(reinmax(x, { tau, axis, rng: new Rng(30) }), w)))(l) as Tensor;
    const byHand = grad((x: Tensor) => sum(mul(algorithm2(x, d, tau, axis), w)))(l) as Tensor;
    close(ours.values(), byHand.values(), `${JSON.stringify(shape)} axis ${axis}`, 1e-14);
  }
});

definitions("inside a model: a [16, 64] latent through a linear decoder, both ops, axis 0 too, trains without a NaN", () => {
  const rng = new Rng(4);
  const logits = tensor(Array.from({ length: 16 * 64 }, () => rng.normal()), { shape: [16, 64], requiresGrad: true });
  const decoder = tensor(Array.from({ length: 64 * 8 }, () => rng.normal()), { shape: [64, 8] });
  for (const op of [(l: Tensor) => gumbelRao(l, { tau: 0.5, rng }), (l: Tensor) => reinmax(l, { tau: 1, rng }), (l: Tensor) => reinmax(l, { axis: 0, rng }),
    (l: Tensor) => gumbelRao(l, { axis: 0, samples: 3, rng })]) {
    logits.grad = null;
    const z = op(logits);
    const loss = sum(mul(z.matmul(decoder), z.matmul(decoder)));
    loss.backward();
    assert.ok(Array.from(logits.grad!.values()).every(Number.isFinite));
    assert.ok(Array.from(logits.grad!.values()).some((v) => v !== 0));
  }
});

definitions("without a gradient to take, gumbelRao draws only the category (and so matches what it draws with one)", () => {
  const l = tensor([[0.3, -1, 2], [1, 0, 0]]);
  const a = noGrad(() => gumbelRao(tensor(l.toArray() as number[][], { requiresGrad: true }), { rng: new Rng(3) }));
  const b = gumbelRao(l, { rng: new Rng(3) });
  assert.equal(a.toArray(), b.toArray());
  assert.is(a.requiresGrad, false);
});

definitions.run();

const errors = suite("gumbelRao and reinmax: bad options throw naming the op, the option and the value");

errors("tau ≤ 0, NaN and ∞; samples < 1 and fractional; noise of another shape", () => {
  const l = zeros([2, 3], { requiresGrad: true });
  const fails = (f: () => unknown, message: string) => assert.throws(f, (e: unknown) => e instanceof GumbelgradError && (e as Error).message === message, message);
  for (const [name, op] of [["gumbelRao", gumbelRao], ["reinmax", reinmax]] as const) {
    for (const tau of [0, -2, NaN, Infinity]) fails(() => op(l, { tau }), `${name}: tau must be a positive finite number, but got ${tau}`);
    fails(() => op(l, { tau: "1" as unknown as number }), `${name}: tau must be a positive finite number, but got the string "1"`);
    fails(() => op(l, { noise: zeros([3, 2]) }), `${name}: noise must have the shape of logits, but logits has shape [2, 3] and noise has shape [3, 2]`);
    fails(() => op(l, { axis: 1.5 }), `${name}: axis 1.5 is out of range for a tensor of rank 2 (shape [2, 3])`);
  }
  for (const samples of [0, -1, 1.5, NaN]) fails(() => gumbelRao(l, { samples }), `gumbelRao: samples must be a positive integer, but got ${samples}`);
  fails(() => gumbelRao(l, { samples: 3, conditionalNoise: zeros([2, 2, 3]) }),
    "gumbelRao: conditionalNoise must have shape [samples, ...logits' shape] = [3, 2, 3], but logits has shape [2, 3] and conditionalNoise has shape [2, 2, 3]");
  fails(() => gumbelRao(zeros([2, 0]), {}), "gumbelRao: needs at least one category, but axis 1 of logits has size 0");
});

errors.run();

// PyTorch: the authors' code with D from fixed noise, and GR-MC_K with conditional draws from fixed uniforms.
interface OpCase { name: string; tau: number; axis: number; logits: unknown; noise: unknown; D: unknown; output: unknown; w: unknown; v: unknown; grad: unknown; gradOfGrad: unknown }

/** The op's value, ∇ sum(out·w), and ∇ sum(∇·v) through createGraph, against PyTorch's. */
function checkAgainstTorch(c: OpCase, op: (l: Tensor) => Tensor): void {
  const logits = t(c.logits, true);
  const out = op(logits);
  assert.equal(Array.from(out.values()), flat(c.D), `${c.name}: the one-hot`);
  // PyTorch's (D + soft) − soft is D up to one rounding; the op's forward is D bit for bit
  close(out.values(), flat(c.output), `${c.name}: value`, 2 ** -52);
  sum(mul(out, t(c.w))).backward();
  const g1 = logits.grad!;
  close(g1.values(), flat(c.grad), `${c.name}: gradient`, 1e-12);
  const x = t(c.logits, true);
  const first = grad((l: Tensor) => sum(mul(op(l), t(c.w))), { createGraph: true })(x) as Tensor;
  sum(mul(first, t(c.v))).backward();
  close(x.grad!.values(), flat(c.gradOfGrad), `${c.name}: second order`, 1e-12);
}

const torch = suite("gumbelRao and reinmax: the authors' formulas in PyTorch 1.13");

torch("reinmax: Algorithm 2 with the same D, first and second order (tau down to 1e-3, logits ±1e3, axis 0 and 1)", () => {
  assert.is(fixture.reinmax.length, 5);
  for (const c of fixture.reinmax as OpCase[]) checkAgainstTorch(c, (l) => reinmax(l, { tau: c.tau, axis: c.axis, noise: t(c.noise) }));
});

torch("conditionalGumbel: the same draws as PyTorch's truncated-Gumbel construction from the same uniforms", () => {
  for (const c of fixture.gumbelRao as (OpCase & { samples: number; uniforms: unknown; conditionalNoise: unknown })[]) {
    const u = flat(c.uniforms);
    let next = 0;
    const replay = { uniform: () => u[next++] };
    const logits = t(c.logits);
    const a = c.axis < 0 ? c.axis + logits.ndim : c.axis;
    const shape = [c.samples, ...logits.shape];
    const d = t(c.D);
    const index = Array.from(sum(mul(d, reshape(tensor(Array.from({ length: logits.shape[a] }, (_, k) => k)), logits.shape.map((s, i) => (i === a ? s : 1)))), a).values());
    const g = conditionalGumbel(broadcastTo(logits, shape), Array.from({ length: c.samples }, () => index).flat(), { rng: replay, axis: a + 1 });
    assert.is(next, u.length);
    close(g.values(), flat(c.conditionalNoise), c.name, 1e-12);
  }
});

torch("gumbelRao: GR-MC_K with the same D and conditional draws, first and second order", () => {
  assert.is(fixture.gumbelRao.length, 4);
  for (const c of fixture.gumbelRao as (OpCase & { samples: number; conditionalNoise: unknown })[]) {
    checkAgainstTorch(c, (l) => gumbelRao(l, { tau: c.tau, axis: c.axis, noise: t(c.noise), conditionalNoise: t(c.conditionalNoise) }));
  }
});

torch("gumbelRao with one conditional draw given as noise is gumbelSoftmax({ hard: true }) at that noise", () => {
  const c = fixture.gumbelRao[0];
  const l = t(c.logits, true), l2 = t(c.logits, true);
  const g = t(c.conditionalNoise);
  const first = tensor((g.toArray() as number[][][])[0]);
  sum(mul(gumbelRao(l, { tau: c.tau, noise: first, conditionalNoise: reshape(first, [1, ...first.shape]) }), t(c.w))).backward();
  sum(mul(gumbelSoftmax(l2, { tau: c.tau, noise: first, hard: true }), t(c.w))).backward();
  close(l.grad!.values(), l2.grad!.values(), "one draw", 1e-15);
});

torch.run();
