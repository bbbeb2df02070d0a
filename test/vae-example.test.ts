// The categorical VAE example (npm run example:vae): flags, a short end-to-end run, reproducibility
// from the seed, and each estimator's gradient on a tiny model against its definition.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Categorical, Rng, Tensor, argmax, binaryCrossEntropyWithLogits, gumbel, logSoftmax, oneHot, reshape, softmax,
  stopGradient, sum, tensor,
} from "../src/index.js";
import { captured } from "./capture.js";
import { main } from "../examples/vae/main.js";
import { loadData } from "../examples/vae/data.js";
import { CategoricalVae, ESTIMATORS, REINFORCE_SAMPLES, batchLoss, latentSample, type VaeSizes } from "../examples/vae/model.js";
import { tauSchedule } from "../examples/vae/train.js";
import type { SummaryRow } from "../examples/vae/report.js";

const freshDir = () => mkdtempSync(join(tmpdir(), "gumbelgrad-vae-"));
const readSummary = (dir: string): SummaryRow[] => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));

const flags = suite("vae example: flags");

flags("bad flags and values exit 2 with a message naming the flag, before any work", async () => {
  const cases: [string[], RegExp][] = [
    [["--estimator", "vimco"], /option '--estimator <name>' argument 'vimco' is invalid/],
    [["--epochs", "0"], /option '--epochs <n>' argument '0' is invalid/],
    [["--epochs", "1.5"], /option '--epochs <n>' argument '1.5' is invalid/],
    [["--seed", "-1"], /option '--seed <n>' argument '-1' is invalid/],
    [["--dtype", "float16"], /option '--dtype <dtype>' argument 'float16' is invalid/],
    [["--data", "cifar"], /option '--data <name>' argument 'cifar' is invalid/],
    [["--lr", "1"], /unknown option '--lr'/],
    [["st"], /unexpected argument 'st'/],
  ];
  for (const [argv, message] of cases) {
    const out = join(freshDir(), "never");
    const r = await captured(main, [...argv, "--out", out]);
    assert.is(r.code, 2, `${argv.join(" ")}: exit ${r.code}`);
    assert.match(r.stderr, message, argv.join(" "));
    assert.is(r.stdout, "", `${argv.join(" ")} printed before refusing`);
    assert.not.ok(existsSync(out), `${argv.join(" ")} made --out`);
  }
  const help = await captured(main, ["--help"]);
  assert.is(help.code, 0);
  assert.match(help.stdout, /--estimator <name>/);
  assert.match(help.stdout, /--data <name>/);
});

const run = suite("vae example: a run");

run("one epoch of every estimator: the table, summary.json and the report", async () => {
  const out = freshDir();
  const r = await captured(main, ["--epochs", "1", "--out", out]);
  assert.is(r.code, 0, r.stderr);
  for (const label of ["Gumbel-softmax", "ST Gumbel-softmax", "Gumbel-Rao (10)", "ReinMax", "REINFORCE (LOO, 4)"]) assert.ok(r.stdout.includes(`| ${label}`), `the table lists ${label}`);
  const rows = readSummary(out);
  assert.equal(rows.map((row) => row.estimator), [...ESTIMATORS]);
  for (const row of rows) {
    assert.equal(Object.keys(row).sort(), ["epochs", "estimator", "seconds", "testNegElbo", "testNll", "trainNegElbo"]);
    assert.is(row.epochs, 1);
    // 64 pixels: the −ELBO per image lies between a perfect model's 0 and a coin's 64·log 2 + KL ≤ 8·log 10
    for (const v of [row.trainNegElbo, row.testNegElbo, row.testNll]) assert.ok(v > 0 && v < 64 * Math.LN2 + 8 * Math.log(10), `${row.estimator}: ${v}`);
    assert.ok(row.testNll <= row.testNegElbo + 0.5, `${row.estimator}: the NLL estimate ${row.testNll} is a tighter bound than the −ELBO ${row.testNegElbo}`);
  }
  const html = readFileSync(join(out, "report.html"), "utf8");
  assert.is((html.match(/<svg/g) ?? []).length, 3, "curves, reconstructions, prior samples");
  for (const file of ["curves.svg", "reconstructions.svg", "prior-samples.svg"]) assert.ok(existsSync(join(out, file)), file);
});

run("the same seed gives the same run bit for bit; another seed does not", async () => {
  const figures = async (seed: string) => {
    const out = freshDir();
    const r = await captured(main, ["--estimator", "st", "--epochs", "2", "--seed", seed, "--out", out]);
    assert.is(r.code, 0, r.stderr);
    return readSummary(out).map(({ seconds: _s, ...rest }) => rest);
  };
  const a = await figures("7"), b = await figures("7"), c = await figures("8");
  assert.equal(a, b);
  assert.not.equal(a, c);
});

run("the data: binarized digits split 1500 / 297 in file order", () => {
  const data = loadData("digits", "float64");
  assert.equal(data.train.shape, [1500, 64]);
  assert.equal(data.test.shape, [297, 64]);
  for (const v of [...data.train.values(), ...data.test.values()]) assert.ok(v === 0 || v === 1);
  assert.is(loadData("digits", "float32").train.dtype, "float32");
});

run("τ decays exponentially from 1 to 0.5, held for each epoch, reaching 0.5 in the last", () => {
  const at = tauSchedule({ sizes: TINY, epochs: 30, seed: 0, dtype: "float64", batchSize: 100, lr: 1e-3, tauStart: 1, tauEnd: 0.5 }, 15);
  assert.is(at(0), 1);
  assert.is(at(14), 1);
  assert.ok(Math.abs(at(15) - 2 ** (-1 / 29)) < 1e-15);
  assert.ok(Math.abs(at(29 * 15) - 0.5) < 1e-15);
  assert.ok(at(29 * 15 - 1) > 0.5);
});

const gradients = suite("vae example: each estimator's gradient in the logits, against its definition");

const TINY: VaeSizes = { input: 6, hidden: [5], latents: 2, categories: 3 };
const TAU = 0.7;

/** A tiny model and a batch of two binary images. */
function tiny(): { model: CategoricalVae; x: Tensor } {
  return { model: new CategoricalVae(TINY, new Rng(3)), x: tensor([[1, 0, 1, 1, 0, 0], [0, 1, 1, 0, 1, 0]]) };
}

/** ∂(sum BCE(decoder(z), x))/∂logits for z made from leaf logits by `sampleOf`. */
function gradientInLogits(sampleOf: (logits: Tensor) => Tensor): number[] {
  const { model, x } = tiny();
  const logits = model.encode(x).detach();
  logits.requiresGrad = true;
  sum(binaryCrossEntropyWithLogits(model.decode(sampleOf(logits)), x, { reduction: "sum" })).backward();
  return Array.from(logits.grad!.values());
}

function close(a: number[], b: number[], tol: number, what: string): void {
  assert.is(a.length, b.length);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  assert.ok(worst <= tol, `${what}: worst difference ${worst}`);
}

gradients("Gumbel-softmax: the gradient of softmax((ℓ + g)/τ) with the same noise", () => {
  const example = gradientInLogits((l) => latentSample("gs", l, TAU, new Rng(11)));
  const byHand = gradientInLogits((l) => softmax(l.add(gumbel(l.shape, { rng: new Rng(11) })).div(TAU), -1));
  close(example, byHand, 1e-12, "gs");
  assert.ok(example.some((v) => v !== 0));
});

gradients("ST Gumbel-softmax: forward one-hot of argmax(ℓ + g), backward the soft sample's gradient", () => {
  const { model, x } = tiny();
  const logits = model.encode(x).detach();
  const hard = latentSample("st", logits, TAU, new Rng(12));
  const g = gumbel(logits.shape, { rng: new Rng(12) });
  assert.equal(Array.from(hard.values()), Array.from(oneHot(argmax(logits.add(g), -1), 3).values()));
  const example = gradientInLogits((l) => latentSample("st", l, TAU, new Rng(12)));
  const byHand = gradientInLogits((l) => {
    const soft = softmax(l.add(gumbel(l.shape, { rng: new Rng(12) })).div(TAU), -1);
    return stopGradient(hard).sub(stopGradient(soft)).add(soft);
  });
  close(example, byHand, 1e-12, "st");
});

gradients("ReinMax: Liu et al.'s Algorithm 2 written out, with the same category", () => {
  const { model, x } = tiny();
  const logits = model.encode(x).detach();
  const D = stopGradient(latentSample("st", logits, TAU, new Rng(13))); // the category the same draw picks
  const example = gradientInLogits((l) => latentSample("reinmax", l, TAU, new Rng(13)));
  const byHand = gradientInLogits((l) => {
    const pi0 = softmax(l, -1);
    const half = D.add(softmax(l.div(TAU), -1)).div(2);                         // π₁ = (D + softmax(θ/τ))/2
    const pi1 = softmax(stopGradient(half.log().sub(l)).add(l), -1);             // π₁ ← softmax(sg(ln π₁ − θ) + θ)
    const pi2 = pi1.mul(2).sub(pi0.div(2));                                      // π₂ = 2π₁ − π₀/2
    return pi2.sub(stopGradient(pi2)).add(D);
  });
  close(example, byHand, 1e-12, "reinmax");
});

gradients("Gumbel-Rao: on average over seeds, the straight-through Gumbel-softmax gradient (its expectation), with less spread", () => {
  const draws = 400;
  const gr = Array.from({ length: draws }, (_, s) => gradientInLogits((l) => latentSample("gr", l, TAU, new Rng(1000 + s))));
  const st = Array.from({ length: draws }, (_, s) => gradientInLogits((l) => latentSample("st", l, TAU, new Rng(5000 + s))));
  const n = gr[0].length;
  const meanOf = (rows: number[][], i: number) => rows.reduce((a, r) => a + r[i], 0) / rows.length;
  const varOf = (rows: number[][], i: number) => { const m = meanOf(rows, i); return rows.reduce((a, r) => a + (r[i] - m) ** 2, 0) / (rows.length - 1); };
  let grSpread = 0, stSpread = 0;
  for (let i = 0; i < n; i++) {
    const se = Math.sqrt((varOf(gr, i) + varOf(st, i)) / draws);
    assert.ok(Math.abs(meanOf(gr, i) - meanOf(st, i)) < 5 * se + 1e-12, `element ${i}: GR ${meanOf(gr, i)} vs ST ${meanOf(st, i)} (se ${se})`);
    grSpread += varOf(gr, i);
    stSpread += varOf(st, i);
  }
  assert.ok(grSpread < stSpread, `GR's total variance ${grSpread} below ST's ${stSpread}`);
});

gradients("REINFORCE: (1/S) Σ_s (f_s − b_s)·∇ log q(z_s), with the leave-one-out baseline b_s and the same samples", () => {
  const { model, x } = tiny();
  const logits = model.encode(x).detach();
  logits.requiresGrad = true;
  // the example's loss, with the encoder's output replaced by the leaf: the encoder is bypassed
  const encoded = model.encode.bind(model);
  model.encode = () => logits;
  batchLoss(model, x, "reinforce", TAU, new Rng(14)).loss.backward();
  model.encode = encoded;
  const example = Array.from(logits.grad!.values());
  // by hand: the same S one-hot samples (drawn first from the same generator), their f_s and baselines
  const S = REINFORCE_SAMPLES, batch = x.shape[0];
  const index = new Categorical(logits.detach()).sample({ sampleShape: [S], rng: new Rng(14) }).values();
  const expected = new Float64Array(logits.size);
  const logQ = logSoftmax(logits.detach(), -1).values();
  const q = logQ.map(Math.exp);
  const f: number[][] = [];
  for (let s = 0; s < S; s++) {
    const z = oneHot(Array.from(index.slice(s * batch * 2, (s + 1) * batch * 2)), 3);
    const perImage = sum(binaryCrossEntropyWithLogits(model.decode(reshape(z, [batch, 2, 3])), x, { reduction: "none" }), -1).values();
    f.push(Array.from(perImage));
  }
  for (let s = 0; s < S; s++) {
    for (let b = 0; b < batch; b++) {
      const baseline = (f.reduce((a, row) => a + row[b], 0) - f[s][b]) / (S - 1);
      for (let n = 0; n < 2; n++) {
        const chosen = index[(s * batch + b) * 2 + n];
        for (let k = 0; k < 3; k++) {
          const at = (b * 2 + n) * 3 + k;
          expected[at] += ((f[s][b] - baseline) * ((k === chosen ? 1 : 0) - q[at])) / S / batch;
        }
      }
    }
  }
  // plus the analytic KL's gradient, which the example adds: from the same formula's autodiff
  const klLogits = logits.detach();
  klLogits.requiresGrad = true;
  model.klToPrior(klLogits).sum().div(batch).backward();
  const total = Array.from(expected).map((v, i) => v + klLogits.grad!.values()[i]);
  close(example, total, 1e-12, "reinforce");
});

flags.run();
run.run();
gradients.run();
