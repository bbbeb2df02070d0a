// Quantizers: distances, the gradient of each VQ loss term on its own, the EMA update by hand,
// dead-code restarts, k-means++ init, k-means, and the Gumbel quantizer.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  GumbelQuantizer, GumbelgradError, Rng, ShapeError, Tensor, VectorQuantizer, codebookStats, gradcheck, kmeans,
  kmeansPlusPlus, loadStateDict, mseLoss, randn, squaredDistances, stateDict, tensor, zeros,
} from "../src/index.js";

/** Sets a quantizer's codebook (and its EMA statistics to match) through the public state dict. */
function setCodebook(q: VectorQuantizer, rows: number[][]): void {
  const state = stateDict(q);
  const flat = rows.flat();
  state.codebook.values = flat;
  state.clusterSum.values = flat;
  state.clusterSize.values = rows.map(() => 1);
  loadStateDict(q, state);
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12, what = ""): void {
  assert.is(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const vq = suite("vq");

vq("squaredDistances matches ‖z − e‖² pair by pair, and the nearest code is its argmin", () => {
  const rng = new Rng(1);
  const z = randn([6, 3], { rng });
  const e = randn([4, 3], { rng });
  const d = squaredDistances(z, e).values();
  const zv = z.values(), ev = e.values();
  const brute: number[] = [];
  for (let n = 0; n < 6; n++) for (let k = 0; k < 4; k++) brute.push([0, 1, 2].reduce((s, j) => s + (zv[n * 3 + j] - ev[k * 3 + j]) ** 2, 0));
  close(d, brute, 1e-12, "distance");
  const q = new VectorQuantizer({ numCodes: 4, dim: 3 });
  setCodebook(q, e.toArray() as number[][]);
  const expected = [0, 1, 2, 3, 4, 5].map((n) => brute.slice(n * 4, n * 4 + 4).indexOf(Math.min(...brute.slice(n * 4, n * 4 + 4))));
  assert.equal(Array.from(q.forward(z).indices.values()), expected);
});

/** A small fixed VQ set-up: encodings z (a leaf), a codebook, and a linear decoder. */
function setup(opts: { ema?: boolean } = {}) {
  const rng = new Rng(5);
  const q = new VectorQuantizer({ numCodes: 4, dim: 3, beta: 0.25, ema: opts.ema, rng });
  setCodebook(q, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -1]]);
  const z = randn([5, 3], { rng, requiresGrad: true });
  const w = randn([3, 2], { rng, requiresGrad: true });
  const x = randn([5, 2], { rng });
  return { q, z, w, x };
}

vq("the codebook term moves only the codebook: ∂/∂E = 2(z_q − z)/(N·D), scatter-added", () => {
  const { q, z } = setup();
  const out = q.forward(z);
  out.codebookLoss.backward();
  assert.is(z.grad, null, "no gradient reaches the encoder through the codebook term");
  const idx = out.indices.values(), zv = z.values(), ev = stateDict(q).codebook.values;
  const expected = new Array(12).fill(0);
  for (let n = 0; n < 5; n++) for (let j = 0; j < 3; j++) expected[idx[n] * 3 + j] += (2 * (ev[idx[n] * 3 + j] - zv[n * 3 + j])) / 15;
  close(q.codebook.grad!.values(), expected, 1e-12, "E.grad");
});

vq("the commitment term moves only the encoder: ∂/∂z = 2(z − z_q)/(N·D)", () => {
  const { q, z } = setup();
  const out = q.forward(z);
  out.commitmentLoss.backward();
  assert.is(q.codebook.grad, null, "no gradient reaches the codebook through the commitment term");
  const idx = out.indices.values(), zv = z.values(), ev = stateDict(q).codebook.values;
  const expected = Array.from(zv, (v, i) => (2 * (v - ev[idx[Math.floor(i / 3)] * 3 + (i % 3)])) / 15);
  close(z.grad!.values(), expected, 1e-12, "z.grad");
});

vq("each term passes a finite-difference check in the input it moves (codes held fixed)", () => {
  const { q, z } = setup();
  const idx = Array.from(q.forward(z).indices.values());
  const codebookTerm = (e: Tensor) => mseLoss(z.detach(), e.indexSelect(0, idx));
  const commitmentTerm = (zz: Tensor) => mseLoss(zz, q.codebook.detach().indexSelect(0, idx));
  const e = q.codebook.detach();
  e.requiresGrad = true;
  assert.ok(gradcheck(codebookTerm, [e]).ok);
  assert.ok(gradcheck(commitmentTerm, [z]).ok);
  // and the quantizer's own terms equal these functions of the same inputs
  const out = q.forward(z);
  assert.is(out.codebookLoss.item(), codebookTerm(e).item());
  assert.is(out.commitmentLoss.item(), commitmentTerm(z).item());
});

vq("in the full loss the encoder gets reconstruction + β·commitment and the codebook only the codebook term", () => {
  const { q, z, w, x } = setup();
  const out = q.forward(z);
  const loss = mseLoss(out.quantized.matmul(w), x).add(out.loss);
  loss.backward();
  // Expected encoder gradient: the decoder's gradient at z_q, passed straight through, plus β·commitment.
  const zq = tensor(q.codebook.detach().indexSelect(0, Array.from(out.indices.values())).toArray() as number[][], { requiresGrad: true });
  mseLoss(zq.matmul(w.detach()), x).backward();
  const idx = out.indices.values(), zv = z.values(), ev = stateDict(q).codebook.values;
  const expectedZ = Array.from(zv, (v, i) => zq.grad!.values()[i] + (0.25 * 2 * (v - ev[idx[Math.floor(i / 3)] * 3 + (i % 3)])) / 15);
  close(z.grad!.values(), expectedZ, 1e-12, "z.grad");
  const expectedE = new Array(12).fill(0);
  for (let n = 0; n < 5; n++) for (let j = 0; j < 3; j++) expectedE[idx[n] * 3 + j] += (2 * (ev[idx[n] * 3 + j] - zv[n * 3 + j])) / 15;
  close(q.codebook.grad!.values(), expectedE, 1e-12, "E.grad");
  // The decoder sees the codes: z_st is z_q bit for bit in the forward pass.
  assert.equal(Array.from(out.quantized.values()), Array.from(zq.values()));
});

vq("with EMA the loss is β·commitment and the codebook is not a parameter", () => {
  const { q, z } = setup({ ema: true });
  const out = q.forward(z);
  assert.is(out.loss.item(), 0.25 * out.commitmentLoss.item());
  assert.equal(q.parameters(), []);
  assert.ok(q.namedBuffers().some(([name]) => name === "codebook"));
});

vq("EMA update on a hand-computed case (decay 0.5, ε = 0.1)", () => {
  const q = new VectorQuantizer({ numCodes: 2, dim: 1, ema: true, decay: 0.5, epsilon: 0.1 });
  setCodebook(q, [[0], [10]]);
  q.forward(tensor([[1], [2], [9]])); // codes 0, 0, 1: counts n = [2, 1], sums = [3, 9]
  // N = 0.5·[1, 1] + 0.5·[2, 1] = [1.5, 1];  m = 0.5·[0, 10] + 0.5·[3, 9] = [1.5, 9.5];  n = 2.5
  // Ñ = (N + 0.1)/(2.5 + 2·0.1)·2.5 = [1.6, 1.1]/2.7·2.5;  e = m/Ñ
  close(q.clusterSize.values(), [1.5, 1], 1e-15, "N");
  close(q.clusterSum.values(), [1.5, 9.5], 1e-15, "m");
  close(q.codebook.values(), [1.5 / ((1.6 / 2.7) * 2.5), 9.5 / ((1.1 / 2.7) * 2.5)], 1e-14, "E");
  const before = Array.from(q.codebook.values());
  q.eval().forward(tensor([[5], [5]]));
  assert.equal(Array.from(q.codebook.values()), before, "evaluation mode does not update");
});

vq("EMA with ε → 0 converges to the cluster means (online k-means)", () => {
  const q = new VectorQuantizer({ numCodes: 2, dim: 2, ema: true, decay: 0.9, epsilon: 0 });
  setCodebook(q, [[0, 0], [4, 4]]);
  const batch = tensor([[-1, 0.5], [0.5, -0.5], [3, 5], [5, 4], [4, 3]]);
  for (let i = 0; i < 300; i++) q.forward(batch);
  close(q.codebook.values(), [-0.25, 0, 4, 4], 1e-9, "E");
});

vq("dead-code restart re-seeds a code unused for deadAfter steps onto an encoding of the batch", () => {
  const q = new VectorQuantizer({ numCodes: 3, dim: 2, restartDeadCodes: true, deadAfter: 2, rng: new Rng(3) });
  setCodebook(q, [[0, 0], [1, 1], [50, 50]]);
  const batch = tensor([[0.1, 0], [0.9, 1.2], [3, 3], [0, -0.2]]);
  q.forward(batch);
  assert.equal(Array.from(q.codebook.values()), [0, 0, 1, 1, 50, 50], "one unused step is not enough");
  q.forward(batch);
  const rows = batch.toArray() as number[][];
  const code2 = Array.from(q.codebook.values()).slice(4);
  assert.ok(rows.some((r) => r[0] === code2[0] && r[1] === code2[1]), `code 2 = [${code2}] is a row of the batch`);
  assert.equal(Array.from(q.codebook.values()).slice(0, 4), [0, 0, 1, 1], "used codes stay");
  assert.is(q.restarts, 1);
  assert.equal(Array.from(q.stepsUnused.values()), [0, 0, 0]);
  // Seeds land where the codebook serves the batch worst: [3, 3] is the only row far from codes 0 and 1.
  assert.equal(code2, [3, 3]);
});

vq("restarts revive a collapsed codebook: every code is used again", () => {
  const rng = new Rng(9);
  const blobs = tensor(Array.from({ length: 64 }, (_, i) => [(i % 4) * 5 + 0.1 * rng.normal(), Math.floor((i % 8) / 4) * 5 + 0.1 * rng.normal()]));
  const q = new VectorQuantizer({ numCodes: 8, dim: 2, ema: true, restartDeadCodes: true, deadAfter: 3, rng });
  setCodebook(q, Array.from({ length: 8 }, (_, k) => [100 + k, 100]));
  for (let i = 0; i < 40; i++) q.forward(blobs);
  assert.is(q.eval().forward(blobs).usage, 1);
});

vq("k-means++ init takes distinct rows of the first training batch", () => {
  const rng = new Rng(2);
  const q = new VectorQuantizer({ numCodes: 5, dim: 3, init: "kmeans++", rng });
  const z = randn([20, 3], { rng });
  q.forward(z);
  const rows = (z.toArray() as number[][]).map((r) => r.join(","));
  const codes = (q.codebook.toArray() as number[][]).map((r) => r.join(","));
  assert.ok(codes.every((c) => rows.includes(c)), "each code is a row of z");
  assert.is(new Set(codes).size, 5);
  const before = q.codebook.toArray();
  q.forward(randn([20, 3], { rng }));
  assert.equal(q.codebook.toArray(), before, "only the first batch initialises");
});

vq("usage and perplexity", () => {
  const s = codebookStats([0, 0, 1, 1], 4);
  assert.is(s.usage, 0.5);
  assert.ok(Math.abs(s.perplexity - 2) < 1e-12);
  assert.ok(Math.abs(codebookStats([2, 2, 2], 3).perplexity - 1) < 1e-12);
  assert.equal(Array.from(s.counts), [2, 2, 0, 0]);
});

vq("k-means finds well-separated centres, and its distortion is the mean squared distance", () => {
  const rng = new Rng(4);
  const centres = [[0, 0], [10, 0], [0, 10]];
  const x = tensor(Array.from({ length: 90 }, (_, i) => centres[i % 3].map((c) => c + 0.5 * rng.normal())));
  const km = kmeans(x, 3, { rng, restarts: 3 });
  const found = (km.centroids.toArray() as number[][]).map((c) => c.map(Math.round).join(",")).sort();
  assert.equal(found, ["0,0", "0,10", "10,0"]);
  const xv = x.values(), cv = km.centroids.values();
  let total = 0;
  for (let n = 0; n < 90; n++) total += (xv[2 * n] - cv[2 * km.assignments[n]]) ** 2 + (xv[2 * n + 1] - cv[2 * km.assignments[n] + 1]) ** 2;
  assert.ok(Math.abs(km.distortion - total / 90) < 1e-12);
  assert.is(kmeansPlusPlus(x, 3, { rng }).shape.join(), "3,2");
});

vq("bad options and shapes throw, naming the quantizer", () => {
  assert.throws(() => new VectorQuantizer({ numCodes: 0, dim: 2 }), (e: unknown) => e instanceof GumbelgradError && (e as Error).message === "VectorQuantizer: numCodes must be a positive integer, but got 0");
  assert.throws(() => new VectorQuantizer({ numCodes: 4, dim: 2, beta: -0.1 }), /^VectorQuantizer: beta must be a finite number ≥ 0, but got -0.1$/);
  assert.throws(() => new VectorQuantizer({ numCodes: 4, dim: 2, decay: 1.5 }), /^VectorQuantizer: decay must be a number in \[0, 1\], but got 1.5$/);
  const q = new VectorQuantizer({ numCodes: 4, dim: 2 });
  assert.throws(() => q.forward(zeros([3, 5])), (e: unknown) => e instanceof ShapeError && (e as Error).message === "VectorQuantizer: z must be [N, 2] to match the codebook, but z has shape [3, 5] and codebook has shape [4, 2]");
  assert.throws(() => squaredDistances(zeros([3, 2]), zeros([4, 3])), /squaredDistances: z must be \[N, D\] and e must be \[K, D\] with the same D/);
  assert.throws(() => new GumbelQuantizer({ numCodes: 3, dim: 2, tau: 0 }), /GumbelQuantizer: tau must be a positive finite number, but got 0/);
  assert.throws(() => new GumbelQuantizer({ numCodes: -1, dim: 2 }), /GumbelQuantizer: numCodes must be a positive integer, but got -1/);
  assert.throws(() => kmeans(randn([6, 2], { rng: new Rng(1) }), 2, { restarts: 0 }), /^kmeans: restarts must be an integer in \[1, 10000\], but got 0$/);
});

const gq = suite("GumbelQuantizer");

gq("hard samples forward exact codebook rows; gradients reach the projection and the codebook", () => {
  const rng = new Rng(6);
  const q = new GumbelQuantizer({ numCodes: 5, dim: 3, inputDim: 4, hard: true, tau: 0.7, rng });
  const z = randn([8, 4], { rng, requiresGrad: true });
  const out = q.forward(z);
  assert.equal(out.quantized.shape, [8, 3]);
  const codes = q.codebook.toArray() as number[][];
  (out.quantized.toArray() as number[][]).forEach((row, n) => assert.equal(row, codes[out.indices.values()[n]]));
  out.quantized.square().sum().backward();
  for (const p of q.parameters()) assert.ok(p.grad && p.grad.values().some((v) => v !== 0), "gradient reaches every parameter");
  assert.ok(z.grad && z.grad.values().some((v) => v !== 0), "and the input");
});

gq("a schedule sets τ by step; evaluation takes the most likely code, with no noise", () => {
  const rng = new Rng(7);
  const q = new GumbelQuantizer({ numCodes: 4, dim: 2, tau: (step) => 1 / (1 + step), rng });
  const z = randn([6, 2], { rng });
  assert.is(q.forward(z, 3).tau, 0.25);
  q.eval();
  const a = q.forward(z), b = q.forward(z);
  assert.equal(a.indices.toArray(), b.indices.toArray());
  assert.equal(a.indices.toArray(), out(q, z));
});

function out(q: GumbelQuantizer, z: Tensor): number[] {
  return (q.proj.forward(z).toArray() as number[][]).map((row) => row.indexOf(Math.max(...row)));
}

gq("the KL-to-uniform term is 0 for uniform logits and log K for a one-hot distribution", () => {
  const q = new GumbelQuantizer({ numCodes: 4, dim: 2, klWeight: 0.5 });
  const state = stateDict(q);
  state["proj.weight"].values = state["proj.weight"].values.map(() => 0);
  state["proj.bias"].values = [0, 0, 0, 0];
  loadStateDict(q, state);
  const uniform = q.forward(randn([3, 2]));
  assert.ok(Math.abs(uniform.kl.item()) < 1e-15);
  state["proj.bias"].values = [1e3, 0, 0, 0];
  loadStateDict(q, state);
  const peaked = q.forward(randn([3, 2]));
  assert.ok(Math.abs(peaked.kl.item() - Math.log(4)) < 1e-12);
  assert.ok(Math.abs(peaked.loss.item() - 0.5 * Math.log(4)) < 1e-12);
});

vq.run();
gq.run();
