// Gumbel-softmax: the relaxed sample, its temperature, and the straight-through hard mode.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  Rng, Tensor, gumbel, gumbelSoftmax, manualSeed, mul, sum, stopGradient, tensor, transpose, ShapeError, argmax,
} from "../src/index.js";
import { ALPHA, chiSquare, describeChi, histogram, report, softmaxOf } from "./gumbel-stats.js";

const rows = (t: Tensor) => t.toArray() as number[][];
const leaf = (values: number[][] | number[] | number) => tensor(values, { requiresGrad: true });
/** Fixed noise, detached, as a test would pass it to make the op deterministic. */
const noiseOf = (shape: number[], seed: number) => gumbel(shape, { rng: new Rng(seed) }).detach();
const allFinite = (t: Tensor | null) => t !== null && Array.from(t.values()).every(Number.isFinite);

const soft = suite("gumbelSoftmax: soft");

soft("matches softmax((ℓ + g)/τ) computed by hand", () => {
  const logits = [[1.2, -0.3, 0.5, 0], [-2, 2, 0.1, 0.4]];
  const g = noiseOf([2, 4], 31);
  const gv = rows(g);
  for (const tau of [0.3, 1, 4]) {
    const y = rows(gumbelSoftmax(tensor(logits), { tau, noise: g }));
    logits.forEach((row, i) => {
      const expected = softmaxOf(row.map((l, k) => (l + gv[i][k]) / tau));
      expected.forEach((e, k) => assert.ok(Math.abs(y[i][k] - e) < 1e-14, `tau ${tau} [${i}, ${k}]: ${y[i][k]} vs ${e}`));
    });
  }
});

soft("lies on the simplex along the chosen axis", () => {
  const y = gumbelSoftmax(tensor([[1, 2], [3, 4], [5, 6]]), { axis: 0, rng: new Rng(32) });
  const columnSums = sum(y, 0).toArray() as number[];
  columnSums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-15));
  assert.ok(Array.from(y.values()).every((v) => v >= 0 && v <= 1));
});

soft("axis 0 is the transpose of the last axis with the transposed noise", () => {
  const logits = tensor([[0.5, -1, 2], [0, 0.3, -0.2]]);
  const g = noiseOf([2, 3], 33);
  const byRows = gumbelSoftmax(logits, { noise: g, tau: 0.7 });
  const byColumns = gumbelSoftmax(transpose(logits), { noise: transpose(g), tau: 0.7, axis: 0 });
  assert.equal(transpose(byColumns).toArray(), byRows.toArray());
});

soft("without noise it samples from rng, reproducibly; the default generator is set by manualSeed", () => {
  const logits = tensor([[0.1, 0.2, 0.3]]);
  assert.equal(gumbelSoftmax(logits, { rng: new Rng(34) }).toArray(), gumbelSoftmax(logits, { rng: new Rng(34) }).toArray());
  assert.equal(gumbelSoftmax(logits, { rng: new Rng(34) }).toArray(), gumbelSoftmax(logits, { noise: noiseOf([1, 3], 34) }).toArray());
  manualSeed(35);
  const first = gumbelSoftmax(logits).toArray();
  manualSeed(35);
  assert.equal(gumbelSoftmax(logits).toArray(), first);
});

soft("τ → 0 approaches the one-hot of argmax(ℓ + g); τ → ∞ approaches uniform", () => {
  const logits = tensor([[0.3, -0.1, 0.8, 0.2]]);
  const g = noiseOf([1, 4], 36);
  const winner = (argmax(logits.add(g), 1).toArray() as number[])[0];
  const cold = rows(gumbelSoftmax(logits, { noise: g, tau: 1e-3 }))[0];
  cold.forEach((v, k) => assert.ok(Math.abs(v - (k === winner ? 1 : 0)) < 1e-12, `cold ${cold}`));
  const hot = rows(gumbelSoftmax(logits, { noise: g, tau: 1e3 }))[0];
  hot.forEach((v) => assert.ok(Math.abs(v - 0.25) < 1e-2, `hot ${hot}`));
});

soft("the argmax of a soft sample is distributed as softmax(logits) (chi-square)", () => {
  const n = 50_000, p = softmaxOf([1, 0, -1, 0.5]);
  const logits = tensor(p.map(Math.log)).broadcastTo([n, 4]);
  const winners = argmax(gumbelSoftmax(logits, { tau: 0.5, rng: new Rng(37) }), 1).values();
  const chi = chiSquare(histogram(winners, 4), p);
  report("argmax of gumbelSoftmax samples vs softmax(logits), 5e4 draws", describeChi(chi));
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
});

soft.run();

const temperature = suite("gumbelSoftmax: temperature");

temperature("a learnable τ receives its gradient, and a step on it moves the sample the right way", () => {
  const logits = tensor([[2, 0, -1]]);
  const g = noiseOf([1, 3], 38);
  const tau = leaf(1);
  // Loss: the mass on the most likely class; lowering τ sharpens the sample onto its winner.
  const winner = (argmax(logits.add(g), 1).toArray() as number[])[0];
  const onWinner = tensor([[0, 1, 2].map((k) => (k === winner ? 1 : 0))]);
  const mass = (t: Tensor) => sum(mul(gumbelSoftmax(logits, { tau: t, noise: g }), onWinner));
  const before = mass(tau);
  before.backward();
  assert.ok(tau.grad !== null && tau.grad.item() < 0, `dmass/dτ = ${tau.grad?.item()}`);
  const ascended = tensor(1 + 0.1 * tau.grad!.item()); // one step of gradient ascent on the mass
  assert.ok(mass(ascended).item() > before.item());
});

temperature("τ may be a tensor that broadcasts: one temperature per row", () => {
  const logits = tensor([[1, 0, -1], [0.5, 0.5, 0]]);
  const g = noiseOf([2, 3], 39);
  const both = rows(gumbelSoftmax(logits, { noise: g, tau: tensor([[0.5], [2]]) }));
  assert.equal(both[0], rows(gumbelSoftmax(logits, { noise: g, tau: 0.5 }))[0]);
  assert.equal(both[1], rows(gumbelSoftmax(logits, { noise: g, tau: 2 }))[1]);
});

temperature("finite values and gradients for logits of ±1e3 and τ from 1e-3 to 1e3, soft and hard", () => {
  const g = noiseOf([2, 3], 40);
  for (const hard of [false, true]) {
    for (const t of [1e-3, 1e-2, 0.1, 1, 10, 100, 1e3]) {
      const logits = leaf([[1e3, -1e3, 0], [-1e3, -1e3 + 1e-3, 1e3 - 5]]);
      const tau = leaf(t);
      const y = gumbelSoftmax(logits, { tau, noise: g, hard });
      sum(mul(y, tensor([[1, 2, 3], [-1, 0.5, 2]]))).backward();
      const where = `hard=${hard} tau=${t}`;
      assert.ok(allFinite(y), `${where}: y = ${y.toArray()}`);
      assert.ok(allFinite(logits.grad), `${where}: dlogits = ${logits.grad?.toArray()}`);
      assert.ok(allFinite(tau.grad), `${where}: dtau = ${tau.grad?.toArray()}`);
    }
  }
});

temperature("bad τ, noise of the wrong shape and a bad axis throw naming gumbelSoftmax", () => {
  const logits = tensor([[0, 1, 2]]);
  const cases: [() => unknown, string][] = [
    [() => gumbelSoftmax(logits, { tau: 0 }), "gumbelSoftmax: tau must be a positive finite number, but got 0"],
    [() => gumbelSoftmax(logits, { tau: -1 }), "gumbelSoftmax: tau must be a positive finite number, but got -1"],
    [() => gumbelSoftmax(logits, { tau: NaN }), "gumbelSoftmax: tau must be a positive finite number, but got NaN"],
    [() => gumbelSoftmax(logits, { tau: tensor([NaN]) }), "gumbelSoftmax: tau must hold positive finite numbers, but tau has NaN at flat index 0"],
    [() => gumbelSoftmax(logits, { axis: -3 }), "gumbelSoftmax: axis -3 is out of range for a tensor of rank 2 (shape [1, 3])"],
  ];
  for (const [run, message] of cases) assert.throws(run, (e: Error) => e.message === message, message);
  try {
    gumbelSoftmax(logits, { noise: gumbel([3, 1]) });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ShapeError);
    assert.equal((e as ShapeError).shapes, { logits: [1, 3], noise: [3, 1] });
  }
});

temperature.run();

const hard = suite("gumbelSoftmax: hard (straight-through)");

hard("gumbelSoftmax hard is exactly one-hot, at the argmax of ℓ + g", () => {
  const logits = tensor([[0.3, 2.1, -0.4, 0.9], [1e3, -1e3, 0, 999.9], [0.1, 0.1, 0.1, 0.1]]);
  const g = noiseOf([3, 4], 41);
  for (const tau of [1e-3, 0.5, 1, 1e3]) {
    const y = rows(gumbelSoftmax(logits, { noise: g, tau, hard: true }));
    const winners = argmax(logits.add(g), 1).toArray() as number[];
    y.forEach((row, i) => row.forEach((v, k) => assert.is(v, k === winners[i] ? 1 : 0, `tau ${tau} row ${i}: ${row}`)));
  }
});

hard("the backward pass of hard mode is exactly the soft gradient", () => {
  const g = noiseOf([2, 5], 42);
  const w = tensor([[1, -2, 0.5, 3, 0], [0.2, 0.1, -1, 2, 1]]);
  const gradOf = (isHard: boolean) => {
    const logits = leaf([[0.1, 0.4, -0.3, 1, 0], [2, -1, 0, 0.5, 0.5]]);
    const tau = leaf(0.7);
    sum(mul(gumbelSoftmax(logits, { noise: g, tau, hard: isHard }), w)).backward();
    return [logits.grad!.toArray(), tau.grad!.toArray()];
  };
  assert.equal(gradOf(true), gradOf(false));
});

hard("with a number τ, hard mode's gradient is the soft one bit for bit, both dtypes, rows and columns, large and non-finite logits", () => {
  const r = new Rng(77);
  for (const dtype of ["float64", "float32"] as const) for (const [shape, axis] of [[[64, 300], -1], [[40, 7], -1], [[300, 9], 0]] as [number[], number][]) {
    const n = shape[0] * shape[1];
    const values = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 1e3 : i % 89 === 0 ? -Infinity : 4 * r.uniform() - 2));
    values[5] = NaN;
    const g = gumbel(shape, { rng: new Rng(3), dtype }).detach();
    const w = tensor(Array.from({ length: n }, () => r.uniform() - 0.5), { dtype }).reshape(shape);
    for (const tau of [1e-3, 0.5, 2]) {
      const gradOf = (isHard: boolean) => {
        const logits = tensor(values, { dtype, requiresGrad: true }).reshape(shape).detach();
        logits.requiresGrad = true;
        sum(mul(gumbelSoftmax(logits, { noise: g, tau, axis, hard: isHard }), w)).backward();
        return Array.from(logits.grad!.values());
      };
      const soft = gradOf(false), hardGrad = gradOf(true);
      const at = soft.findIndex((v, i) => !Object.is(v, hardGrad[i]));
      assert.is(at, -1, `${dtype} ${shape} axis ${axis} τ ${tau}: element ${at} is ${hardGrad[at]}, soft gives ${soft[at]}`);
    }
  }
});

hard("hard mode is bit-exact where y_hard + y_soft − stopGradient(y_soft) is not", () => {
  // The textbook formula, in this order, turns a 1 into 1 − 2⁻⁵³ whenever rounding 1 + y_soft goes down.
  let naiveBroken = 0;
  for (let seed = 0; seed < 50; seed++) {
    const logits = leaf([[0.2, 0.1, 0.4, -0.3]]);
    const g = noiseOf([1, 4], 1000 + seed);
    const softY = gumbelSoftmax(logits, { noise: g });
    const hardY = gumbelSoftmax(logits, { noise: g, hard: true });
    const naive = hardY.detach().add(softY).sub(stopGradient(softY));
    assert.ok(Array.from(hardY.values()).every((v) => v === 0 || v === 1));
    assert.is(sum(hardY).item(), 1);
    if (Array.from(naive.values()).some((v) => v !== 0 && v !== 1)) naiveBroken++;
  }
  report("rows out of 50 where y_hard + y_soft − sg(y_soft) is not exactly one-hot", naiveBroken);
  assert.ok(naiveBroken > 0, "the naive formula happened to be exact on every row");
});

hard.run();
