// The examples' command lines: every bad flag or value exits with status 2 and one message naming
// the flag, before any work; an unwritable --out is found before training; results that cannot be
// written at the end are rescued; no stack traces. Values are tested in-process (fast); a few real
// runs check the programs as a user starts them.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { Rng, VectorQuantizer } from "../src/index.js";
import { integer, runAsProgram, saveResults } from "../examples/cli-common.js";
import { main as estimatorsMain } from "../examples/estimators.js";
import { DIGITS_COUNT, gaussianMixture, loadDigits } from "../examples/vq/data.js";
import { main as vqMain } from "../examples/vq/main.js";
import { VQAutoencoder } from "../examples/vq/model.js";
import { train } from "../examples/vq/train.js";
import { captured } from "./capture.js";

const scratch = mkdtempSync(join(tmpdir(), "example-cli-"));
/** A regular file: a directory cannot be made under it, not even by root. */
const aFile = join(scratch, "a-file");
writeFileSync(aFile, "");
let fresh = 0;
/** A path that does not exist yet, so a test can tell whether anything was written there. */
const unusedPath = () => join(scratch, `out-${fresh++}`);

/** The shape every refusal must have: status 2, one error line, the usage hint, nothing on stdout, no stack. */
function assertRefused(r: { code: number; stdout: string; stderr: string }, message: RegExp, usage: string, label: string) {
  assert.is(r.code, 2, `${label}: exit status`);
  assert.match(r.stderr, message, `${label}: the message`);
  assert.is(r.stderr.match(/^error: /gm)?.length, 1, `${label}: one error line in\n${r.stderr}`);
  assert.ok(r.stderr.includes(`Usage: ${usage} [options]\nRun with --help to list the flags.`), `${label}: the usage hint`);
  assert.not.match(r.stderr, /^\s+at /m, `${label}: no stack trace`);
  assert.is(r.stdout, "", `${label}: no work started`);
}

const values = suite("example flags: the integer parser");

values("takes plain digits within its range", () => {
  const steps = integer(1, 10);
  assert.equal(["1", "10", "007", " 5 "].map(steps), [1, 10, 7, 5]);
  assert.is(integer(0)("9007199254740991"), Number.MAX_SAFE_INTEGER);
});

values("refuses everything else, saying what it expected and what it got", () => {
  const steps = integer(1, 10);
  const bad = ["0", "-1", "11", "1e3", "1.5", "", " ", "1e400", "99999999999999999999", "NaN", "Infinity", "ten", "0x10", "+5", "5abc", "٣"];
  for (const value of bad) {
    assert.throws(() => steps(value), (err: Error) => err instanceof InvalidArgumentError && err.message === `expected an integer from 1 to 10, but got "${value}".`, JSON.stringify(value));
  }
  assert.throws(() => integer(0)("9007199254740992"), /expected an integer from 0 to 9,007,199,254,740,991, but got "9007199254740992"/);
});

values.run();

const vq = suite("example flags: npm start");

vq("each bad flag, value or combination is refused before any work, naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [["--steps", "0"], /^error: option '--steps <n>' argument '0' is invalid. expected an integer from 1 to 10,000,000, but got "0".$/m],
    [["--steps", "-1"], /option '--steps <n>' argument '-1' is invalid/],
    [["--steps", "1e3"], /option '--steps <n>' argument '1e3' is invalid/],
    [["--steps", "1.5"], /option '--steps <n>' argument '1.5' is invalid/],
    [["--steps", ""], /option '--steps <n>' argument '' is invalid/],
    [["--steps", "1e400"], /option '--steps <n>' argument '1e400' is invalid/],
    [["--steps", "99999999999999999999"], /option '--steps <n>' argument '99999999999999999999' is invalid/],
    [["--steps", "10000001"], /option '--steps <n>' argument '10000001' is invalid/],
    [["--steps"], /option '--steps <n>' argument missing/],
    [["--seed", "-1"], /option '--seed <n>' argument '-1' is invalid. expected an integer from 0 to/],
    [["--seed", "9007199254740992"], /option '--seed <n>' argument '9007199254740992' is invalid/],
    [["--seed", "NaN"], /option '--seed <n>' argument 'NaN' is invalid/],
    [["--seed", "Infinity"], /option '--seed <n>' argument 'Infinity' is invalid/],
    [["--codes", "1"], /option '--codes <k>' argument '1' is invalid/],
    [["--points", "63"], /option '--points <n>' argument '63' is invalid/],
    [["--points", "1000001"], /option '--points <n>' argument '1000001' is invalid/],
    [["--points", "100", "--codes", "100"], /option '--codes <k>' argument '100' is invalid. expected fewer codes than the data's 100 points, but got "100"/],
    [["--data", "digits", "--codes", String(DIGITS_COUNT)], /option '--codes <k>' argument '1797' is invalid. expected fewer codes than the data's 1,797 points/],
    [["--points", "1000000", "--codes", "64"], /option '--codes <k>' argument '64' is invalid. expected at most 33 codes for 1,000,000 points/],
    [["--data", "digits", "--points", "100"], /option '--points <n>' sizes the Gaussian mixture; the digits have 1,797 points/],
    [["--quantizer", "vqgan"], /option '--quantizer <name>' argument 'vqgan' is invalid. Allowed choices are st, ema, restart, gumbel, all/],
    [["--data", "mnist"], /option '--data <name>' argument 'mnist' is invalid/],
    [["--dataset", "digits"], /unknown option '--dataset'/],
    [["1000"], /unexpected argument '1000'. Only flags are taken; through npm, put them after --: npm run <script> -- <flags>\./],
  ];
  for (const [argv, message] of cases) {
    const out = unusedPath();
    const r = await captured(vqMain, ["--out", out, ...argv]);
    assertRefused(r, message, "vq-codebook", argv.join(" "));
    assert.not.ok(existsSync(out), `${argv.join(" ")}: nothing written`);
  }
});

vq("an --out that cannot be written is refused, naming the flag and why", async () => {
  const cases: [string, RegExp][] = [
    ["", /option '--out <dir>' argument '' is invalid. expected a directory, but got ""/],
    [aFile, /option '--out <dir>' argument '.*a-file' is invalid. cannot write there: it is a file, not a directory\.$/m],
    [join(aFile, "sub"), /option '--out <dir>' argument '.*a-file\/sub' is invalid. cannot write there: part of the path is a file, not a directory\.$/m],
  ];
  for (const [out, message] of cases) assertRefused(await captured(vqMain, ["--out", out]), message, "vq-codebook", `--out ${out}`);
  assertRefused(await captured(vqMain, ["--out"]), /option '--out <dir>' argument missing/, "vq-codebook", "--out");
});

vq("a missing --out is created, parents too, and the probe file is gone", async () => {
  const out = join(unusedPath(), "deeper", "still");
  const r = await captured(vqMain, ["--quantizer", "st", "--steps", "1", "--points", "64", "--codes", "2", "--out", out]);
  assert.is(r.code, 0, r.stderr);
  assert.ok(readdirSync(out).includes("summary.json"));
  assert.not.ok(readdirSync(out).some((f) => f.startsWith(".write-test")), "the probe is removed");
});

vq("the shipped digits have the count the flags are checked against", () => {
  assert.is(loadDigits().x.shape[0], DIGITS_COUNT);
});

vq.run();

const estimators = suite("example flags: npm run example:estimators");

estimators("each bad flag or value is refused before any work, naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [["--samples", "1"], /option '--samples <n>' argument '1' is invalid. expected an integer from 2 to 1,000,000, but got "1"/],
    [["--samples", "1000001"], /option '--samples <n>' argument '1000001' is invalid/],
    [["--seed", "1.5"], /option '--seed <n>' argument '1.5' is invalid/],
    [["--quick", "yes"], /unexpected argument 'yes'/],
    [["--steps", "5"], /unknown option '--steps'/],
    [["--out", join(aFile, "sub")], /option '--out <dir>' argument '.*' is invalid. cannot write there: part of the path is a file/],
  ];
  for (const [argv, message] of cases) {
    const out = unusedPath();
    const r = await captured(estimatorsMain, ["--out", out, ...argv]);
    assertRefused(r, message, "estimators", argv.join(" "));
    assert.not.ok(existsSync(out), `${argv.join(" ")}: nothing written`);
  }
});

estimators.run();

const rescue = suite("example results: never lost");

rescue("results the --out directory refuses at the end go to a temporary directory, and the run says so", async () => {
  const save = async (dir: string) => { writeFileSync(join(dir, "summary.json"), "{}\n"); return ["summary.json"]; };
  const r = await captured(() => saveResults(join(aFile, "out"), save, () => "{}", "rescue-test"), []);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^error: cannot write the results to .*a-file\/out: part of the path is a file, not a directory$/m);
  const moved = /^wrote summary.json to (.+) instead$/m.exec(r.stderr)?.[1];
  assert.ok(moved && readFileSync(join(moved, "summary.json"), "utf8") === "{}\n", r.stderr);
});

rescue("when the temporary directory refuses them too, the summary is printed on stdout", async () => {
  const save = async (dir: string) => { writeFileSync(join(dir, "summary.json"), "{}\n"); return ["summary.json"]; };
  const tmp = process.env.TMPDIR;
  process.env.TMPDIR = aFile; // os.tmpdir() reads it on each call
  try {
    const r = await captured(() => saveResults(join(aFile, "out"), save, () => '{ "st": 1 }', "rescue-test"), []);
    assert.is(r.code, 1);
    assert.match(r.stderr, /could not write them to the temporary directory either .*; the summary follows on stdout/);
    assert.ok(r.stdout.endsWith('{ "st": 1 }\n'), r.stdout);
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
});

rescue("a checkpoint that cannot be written is reported once and training goes on", () => {
  const rng = new Rng(1);
  const x = gaussianMixture({ rng: rng.split(), count: 256 }).x;
  const model = new VQAutoencoder(16, 8, 4, new VectorQuantizer({ numCodes: 4, dim: 4, rng: rng.split() }), rng.split());
  const checkpointPath = join(aFile, "checkpoint.json");
  const reported: unknown[] = [];
  const run = train(model, x, 4, { steps: 6, batchSize: 128, lr: 1e-3, rng: rng.split(), checkpointPath, onCheckpointError: (err) => reported.push(err) });
  assert.is(run.losses.length, 6, "every step ran");
  assert.is(reported.length, 1, "reported once, then no more checkpoints are tried");
  assert.throws(() => train(model, x, 4, { steps: 2, batchSize: 128, lr: 1e-3, rng: rng.split(), checkpointPath }), /ENOTDIR/, "without a handler the error is thrown");
});

rescue("an unexpected error prints one line and exits 1; DEBUG=1 adds the stack", async () => {
  const boom = async () => { throw new Error("boom"); };
  const exitCode = process.exitCode;
  const debug = process.env.DEBUG;
  try {
    delete process.env.DEBUG;
    const plain = await captured(async () => { await runAsProgram(boom); return Number(process.exitCode); }, []);
    assert.is(plain.code, 1);
    assert.is(plain.stderr, "error: boom\n");
    process.env.DEBUG = "1";
    const traced = await captured(async () => { await runAsProgram(boom); return Number(process.exitCode); }, []);
    assert.match(traced.stderr, /^error: Error: boom\n\s+at /);
  } finally {
    process.exitCode = exitCode;
    if (debug === undefined) delete process.env.DEBUG;
    else process.env.DEBUG = debug;
  }
});

rescue.run();

/** Starts an example as a user does, with tsx's loader; resolves with its status, output and wall time. */
function runExample(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((done) => {
    execFile(process.execPath, ["--import", "tsx", file, ...args], { encoding: "utf8" }, (err, stdout, stderr) => {
      done({ code: err ? Number(err.code) : 0, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const programs = suite("example programs, started as a user does");

programs("an unwritable --out stops npm start before the data is even loaded", async () => {
  const out = join(aFile, "sub");
  const r = await runExample("examples/vq-codebook.ts", ["--out", out]);
  assertRefused(r, /option '--out <dir>' argument '.*a-file\/sub' is invalid. cannot write there/, "vq-codebook", "--out under a file");
  // The default run needs k-means and four trainings, many seconds; this is the start-up time alone.
  assert.ok(r.ms < 5000, `exited after ${r.ms.toFixed(0)} ms`);
});

programs("estimators: a bad value exits 2 without a stack; --help exits 0 with the usage on stdout", async () => {
  const [bad, help] = await Promise.all([
    runExample("examples/estimators.ts", ["--out", unusedPath(), "--seed", "-1"]),
    runExample("examples/estimators.ts", ["--help"]),
  ]);
  assertRefused(bad, /option '--seed <n>' argument '-1' is invalid/, "estimators", "--seed -1");
  assert.is(help.code, 0);
  assert.match(help.stdout, /^Usage: estimators \[options\]/);
  assert.match(help.stdout, /DEBUG=1/);
  assert.is(help.stderr, "");
});

programs.run();
