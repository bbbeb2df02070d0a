// Property-based tests: random shapes, random axes, random compositions of ops.
// fast-check shrinks a failure to a small counter-example; such cases are kept in `regressions` below.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import * as gg from "../src/index.js";
import { Rng, Tensor, gradcheck, tensor } from "../src/index.js";

const SEED = 20261126;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

/** A shape of rank 0–3 with sizes 1–3. */
const shapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 });

/** A shape that broadcasts against `shape`: some axes set to 1, some leading axes dropped. */
const broadcastPartner = (shape: number[]) =>
  fc.tuple(fc.integer({ min: 0, max: shape.length }), fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }))
    .map(([drop, ones]) => shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop));

function values(shape: number[], seed: number, low: number, high: number, requiresGrad = true): Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from({ length: n }, () => low + (high - low) * rng.uniform());
  return tensor(data, { shape, requiresGrad });
}

/** Values at least 0.2 from zero: away from the kinks of abs and relu and the pole of div. */
function awayFromZero(shape: number[], seed: number): Tensor {
  const t = values(shape, seed, 0.2, 1.5);
  const signs = new Rng(seed + 1);
  const v = t.values();
  for (let i = 0; i < v.length; i++) if (signs.uniform() < 0.5) v[i] = -v[i];
  return t;
}

const BINARY: Record<string, (a: Tensor, b: Tensor) => Tensor> = { add: gg.add, sub: gg.sub, mul: gg.mul, div: gg.div };

const grads = suite("properties: gradients");

grads("binary ops pass gradcheck on random broadcast shapes", () => {
  fc.assert(fc.property(
    shapeArb.chain((s) => fc.tuple(fc.constant(s), broadcastPartner(s), fc.boolean())),
    fc.constantFrom(...Object.keys(BINARY)),
    fc.nat(1000),
    ([sa, sb, swap], op, seed) => {
      const [a, b] = swap ? [awayFromZero(sb, seed), awayFromZero(sa, seed + 7)] : [awayFromZero(sa, seed), awayFromZero(sb, seed + 7)];
      const report = gradcheck(BINARY[op], [a, b]);
      if (!report.ok) throw new Error(`${op} of ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)}:\n${report.message}`);
    },
  ), runs(60));
});

/** Smooth unary steps for compositions; kinked ops get inputs pushed away from their kinks. */
const STEPS: Record<string, (x: Tensor) => Tensor> = {
  tanh: gg.tanh,
  sigmoid: gg.sigmoid,
  softplus: gg.softplus,
  "exp(x/4)": (x) => gg.exp(gg.div(x, 4)),
  "log(1 + x²)": (x) => gg.log(gg.add(1, gg.square(x))),
  "sqrt(1 + x²)": (x) => gg.sqrt(gg.add(1, gg.square(x))),
  "abs(x) + x": (x) => gg.add(gg.abs(gg.add(x, 3)), x),
  "softmax(last)": (x) => (x.ndim > 0 ? gg.softmax(x, -1) : x),
  "logsumexp(last, keepdim)": (x) => (x.ndim > 0 ? gg.logsumexp(x, -1, true) : x),
  "mean(first, keepdim)": (x) => (x.ndim > 0 ? gg.mean(x, 0, true) : x),
  "x·xᵀ-ish": (x) => (x.ndim === 2 ? gg.matmul(x, gg.transpose(x)) : gg.mul(x, x)),
  "transpose": (x) => gg.transpose(x),
  "mul by itself reversed": (x) => gg.mul(x, gg.transpose(x).reshape(x.shape)),
};

grads("compositions of 2–5 ops pass gradcheck and gradgradcheck", () => {
  fc.assert(fc.property(
    shapeArb,
    fc.array(fc.constantFrom(...Object.keys(STEPS)), { minLength: 2, maxLength: 5 }),
    fc.nat(1000),
    (shape, steps, seed) => {
      const x = values(shape, seed, -1.5, 1.5);
      const f = (t: Tensor) => steps.reduce((acc, name) => STEPS[name](acc), t);
      const first = gradcheck(f, [x]);
      const second = gg.gradgradcheck(f, [x]);
      if (!first.ok || !second.ok) throw new Error(`${steps.join(" → ")} on ${JSON.stringify(shape)}:\n${first.ok ? second.message : first.message}`);
    },
  ), runs(40));
});

grads.run();

const reference = suite("properties: against naive references");

/** Naive reduction: visit every element, add it into the output cell its kept indices name. */
function naiveReduce(x: number[], shape: number[], axes: number[], keepdim: boolean, op: "sum" | "max"): { shape: number[]; data: number[] } {
  const outShape = keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(outSize).fill(op === "sum" ? 0 : -Infinity);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < x.length; flat++) {
    let rem = flat;
    for (let k = shape.length - 1; k >= 0; k--) { idx[k] = rem % shape[k]; rem = Math.floor(rem / shape[k]); }
    const kept = keepdim ? idx.map((v, k) => (axes.includes(k) ? 0 : v)) : idx.filter((_, k) => !axes.includes(k));
    const o = kept.reduce((acc, v, k) => acc * outShape[k] + v, 0);
    out[o] = op === "sum" ? out[o] + x[flat] : Math.max(out[o], x[flat]);
  }
  return { shape: outShape, data: out };
}

reference("sum and max over random sets of axes, with keepdim and negative axes", () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i), { minLength: 1 }), fc.boolean(), fc.boolean(), fc.nat(1000))),
    ([shape, axes, keepdim, negative, seed]) => {
      const x = values(shape, seed, -3, 3, false);
      const given = negative ? axes.map((a) => a - shape.length) : axes;
      for (const op of ["sum", "max"] as const) {
        const got = gg[op](x, given, keepdim);
        const want = naiveReduce(Array.from(x.values()), shape, axes, keepdim, op);
        assert.equal(got.shape, want.shape);
        Array.from(got.values()).forEach((v, i) => assert.ok(Math.abs(v - want.data[i]) < 1e-12, `${op} over ${given}: ${v} vs ${want.data[i]}`));
      }
    },
  ), runs(150));
});

reference("matmul over random broadcast batch shapes agrees with a naive triple loop", () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }).chain((batch) => fc.tuple(fc.constant(batch), broadcastPartner(batch))),
    fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.nat(1000), // 4×4 tiles and remainders
    ([batchA, batchB], n, k, m, seed) => {
      const a = values([...batchA, n, k], seed, -1, 1, false);
      const b = values([...batchB, k, m], seed + 1, -1, 1, false);
      const c = gg.matmul(a, b);
      const batch = c.shape.slice(0, -2);
      const size = batch.reduce((p, q) => p * q, 1);
      const A = gg.broadcastTo(a, [...batch, n, k]).values();
      const B = gg.broadcastTo(b, [...batch, k, m]).values();
      const C = c.values();
      for (let t = 0; t < size; t++) for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += A[t * n * k + i * k + p] * B[t * k * m + p * m + j];
        assert.ok(Math.abs(C[t * n * m + i * m + j] - acc) < 1e-12);
      }
    },
  ), runs(150));
});

reference("views (transpose, reshape of a transposed view, broadcastTo) agree with packed copies", () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
    fc.nat(1000),
    (shape, seed) => {
      const x = values(shape, seed, -2, 2, false);
      const rng = new Rng(seed);
      const perm = shape.map((_, i) => i);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const view = gg.transpose(x, perm);
      const copy = tensor(view.toArray() as number[]);
      const ops = [
        (t: Tensor) => gg.reshape(t, [-1]),
        (t: Tensor) => gg.exp(t),
        (t: Tensor) => gg.sum(t, -1),
        (t: Tensor) => gg.add(t, gg.broadcastTo(gg.sum(t, 0, true), t.shape)),
        (t: Tensor) => gg.indexSelect(t, 0, [0, 0]),
        (t: Tensor) => gg.concat([t, t], -1),
      ];
      for (const op of ops) assert.equal(op(view).toArray(), op(copy).toArray());
    },
  ), runs(100));
});

reference.run();

const misuse = suite("properties: any shapes, any arguments");

/** Runs fn; passes when it returns or throws a GumbelgradError, fails on any other error (an ndarray-internal message, a TypeError). */
function answersClearly(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof gg.GumbelgradError)) throw new Error(`not a GumbelgradError: ${(err as Error)?.stack ?? err}`);
    if (!/^\w+: /.test((err as Error).message)) throw new Error(`message names no op: ${(err as Error).message}`);
  }
}

const anyShape = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 4 });
const anyAxis = fc.integer({ min: -5, max: 5 });

misuse("every op given arbitrary shapes and axes either works or throws a GumbelgradError naming itself", () => {
  fc.assert(fc.property(anyShape, anyShape, anyAxis, fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 4 }), (sa, sb, axis, list) => {
    const a = gg.zeros(sa), b = gg.zeros(sb);
    answersClearly(() => gg.add(a, b));
    answersClearly(() => gg.maximum(a, b));
    answersClearly(() => gg.where(b, a, 1));
    answersClearly(() => gg.matmul(a, b));
    answersClearly(() => gg.concat([a, b], axis));
    answersClearly(() => gg.stack([a, b], axis));
    answersClearly(() => gg.reshape(a, sb));
    answersClearly(() => gg.reshape(a, list));
    answersClearly(() => gg.broadcastTo(a, sb));
    answersClearly(() => gg.transpose(a, list));
    answersClearly(() => gg.sum(a, axis, true));
    answersClearly(() => gg.max(a, list));
    answersClearly(() => gg.logsumexp(a, axis));
    answersClearly(() => gg.softmax(a, axis));
    answersClearly(() => gg.argmax(a, axis));
    answersClearly(() => gg.indexSelect(a, axis, list));
    answersClearly(() => gg.slice(a, axis, list[0] ?? 0, list[1] ?? 0));
    answersClearly(() => gg.oneHot(list, sa[0] ?? 0));
    answersClearly(() => gg.mseLoss(a, b));
    answersClearly(() => gg.crossEntropy(a, list));
    answersClearly(() => gg.gumbelSoftmax(a, { axis, tau: list[0] ?? 1 }));
    answersClearly(() => gg.categorical(a, { axis }));
    answersClearly(() => gg.gumbelTopK(a, list[0] ?? 1, { axis }));
    answersClearly(() => gg.squaredDistances(a, b));
  }), runs(300));
});

misuse.run();
