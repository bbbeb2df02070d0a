import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { customOp, mul, tensor } from "../src/index.js";
import { checkRegistry } from "../src/testing/index.js";

const cli = suite("gumbelgrad check");

/** The command line from source (package.test.ts runs the installed, compiled one). */
function runCli(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/check.ts", ...args], { encoding: "utf8" });
}

cli("prints a row per op with its errors and exits 0 when all pass", () => {
  const r = runCli("check", "exp", "indexSelect");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /│ exp\s+│ 4\s+│ 4\s+│ [0-9.e-]+\s+│ [0-9.e-]+\s+│ true/);
  assert.match(r.stdout, /│ indexSelect\s+│/);
  assert.match(r.stdout, /2 ops, 8 samples checked in [0-9.]+ s: all passed/);
});

/** Asserts a refusal: status 2, the message, the usage hint, no table and no stack trace. */
function assertRefused(r: ReturnType<typeof runCli>, message: RegExp) {
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, message);
  assert.match(r.stderr, /\nusage: gumbelgrad check \[op …\] \[--fast\]\n/);
  assert.not.match(r.stderr, /^\s+at /m);
  assert.is(r.stdout, "", "nothing checked");
}

cli("an unknown op, command or flag is an error with the usage, before anything is checked", () => {
  assertRefused(runCli("check", "nope", "exp", "zzz"), /^error: not a registered op: nope, zzz\nregistered: neg, exp, /);
  assertRefused(runCli("bogus"), /^error: unknown command 'bogus'\n/);
  assertRefused(runCli("check", "--slow"), /^error: Unknown option '--slow'/);
  assertRefused(runCli("check", "--fast=1"), /^error: Option '--fast' does not take an argument/);
});

cli("--help prints the usage on stdout and exits 0; no command is an error", () => {
  const help = runCli("check", "--help");
  assert.is(help.status, 0);
  assert.match(help.stdout, /^usage: gumbelgrad check \[op …\] \[--fast\]/);
  assert.match(help.stdout, /--fast\s+compare vᵀJu/);
  assertRefused(runCli(), /^error: no command given\n/);
});

cli("the harness reports a failing op", () => {
  const wrong = customOp({ name: "wrongSquare", forward: (x) => mul(x, x), vjp: (g, [x]) => [mul(g, x)] });
  const [row] = checkRegistry([{
    name: "wrongSquare",
    fn: wrong,
    samples: () => [{ label: "[2]", inputs: [tensor([1, 2], { requiresGrad: true })], run: wrong }],
    errors: () => [],
  }]);
  assert.not.ok(row.ok);
  assert.match(row.failure!, /^\[\[2\]\] gradcheck failed/);
  assert.ok(row.maxAbsError > 1);
});

cli.run();
