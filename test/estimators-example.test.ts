// npm run example:estimators end to end in its --quick mode: flags, the table, the toy, the JSON and the charts.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../examples/estimators.js";
import { captured } from "./capture.js";

/** Runs main with stdout and stderr captured. */
const run = (argv: string[]) => captured(main, argv);

const ROW_FIELDS = ["estimator", "tau", "bias", "biasSE", "variance", "mse", "cosine"];
const TAUS = [0.1, 0.25, 0.5, 1, 2, 5];

const example = suite("example: estimators");

example("--quick writes the table, the toy's trajectories and both charts", async () => {
  const dir = await mkdtemp(join(tmpdir(), "estimators-example-"));
  const { code, stdout } = await run(["--quick", "--seed", "4", "--out", dir]);
  assert.is(code, 0);
  const json = JSON.parse(await readFile(join(dir, "estimators.json"), "utf8"));
  assert.is(json.samples, 100);
  for (const row of json.rows) {
    for (const f of ROW_FIELDS) assert.ok(f in row, `${row.estimator}: ${f} missing`);
    for (const f of ROW_FIELDS.slice(2)) assert.ok(Number.isFinite(row[f]), `${row.estimator} τ=${row.tau}: ${f} = ${row[f]}`);
    assert.ok(row.bias >= 0 && row.variance >= 0 && Math.abs(row.cosine) <= 1, `${row.estimator} τ=${row.tau}`);
  }
  for (const name of ["GS", "ST-GS", "Gumbel-Rao (M=10)"]) {
    assert.equal(json.rows.filter((r: { estimator: string }) => r.estimator === name).map((r: { tau: number }) => r.tau), TAUS, name);
  }
  for (const name of ["REINFORCE", "REINFORCE + running mean", "REINFORCE + leave-one-out (M=4)"]) {
    assert.equal(json.rows.filter((r: { estimator: string }) => r.estimator === name).map((r: { tau: null }) => r.tau), [null], name);
  }
  const bestGS = json.bestTauByBatch.filter((b: { estimator: string }) => b.estimator === "GS");
  assert.equal(bestGS.map((b: { batch: number }) => b.batch), [1, 8, 64, 512]);
  for (const b of bestGS) assert.ok(TAUS.includes(b.tau) && b.mse >= 0, JSON.stringify(b));
  assert.equal(json.toy.targets.map((t: { target: number }) => t.target), [0.45, 0.499]);
  for (const run of json.toy.targets) {
    assert.ok(Math.abs(run.exactGradient - 0.25 * (1 - 2 * run.target)) < 1e-12, `exact ∂L/∂φ at t=${run.target}`);
    assert.ok(run.snr.some((s: { estimator: string }) => s.estimator === "REINFORCE"));
    assert.is(run.trajectories.length, 8);
    assert.equal(run.awayFromZero.map((a: { phi: number }) => a.phi), [-0.5, -1, -2]);
    for (const a of run.awayFromZero) assert.ok(a.estimators.length === 4 && a.estimators.every((e: { mean: number }) => Number.isFinite(e.mean)));
    for (const tr of run.trajectories) {
      assert.is(tr.path.at(-1).step, json.toy.steps);
      assert.ok(Number.isFinite(tr.finalPhi) && Number.isFinite(tr.finalLoss), tr.estimator);
    }
    // With the exact gradient, Adam moves φ down by about lr per step (the gradient keeps its sign).
    const exact = run.trajectories.find((tr: { estimator: string }) => tr.estimator === "exact");
    assert.ok(exact.finalPhi < -0.5 * 0.01 * json.toy.steps, `exact: φ = ${exact.finalPhi}`);
  }
  assert.match(stdout, /\| REINFORCE\s+\| –/);
  assert.match(stdout, /REINFORCE in theory: sd 0\.12625, SNR 0\.198/);
  const files = await readdir(dir);
  for (const f of ["estimators-tradeoff.svg", "estimators-toy.svg"]) {
    assert.ok(files.includes(f), `${f} written`);
    const svg = await readFile(join(dir, f), "utf8");
    assert.ok(svg.startsWith("<svg") && svg.includes("</svg>"), f);
  }
});

example("--help prints the flags and a bad flag is an error", async () => {
  const help = await run(["--help"]);
  assert.is(help.code, 0);
  for (const flag of ["--out <dir>", "--samples <n>", "--seed <n>", "--quick"]) assert.ok(help.stdout.includes(flag), flag);
  const bad = await run(["--samples", "1"]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /expected an integer from 2 to 1,000,000, but got "1"/);
});

example.run();
