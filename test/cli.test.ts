import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { customOp, mul, tensor } from "../src/index.js";
import { checkRegistry } from "../src/testing/checkRegistry.js";

const cli = suite("gumbelgrad check");

function runCli(...args: string[]) {
  return spawnSync(process.execPath, ["bin/gumbelgrad.js", ...args], { encoding: "utf8" });
}

cli("prints a row per op with its errors and exits 0 when all pass", () => {
  const r = runCli("check", "exp", "indexSelect");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /│ exp\s+│ 4\s+│ 4\s+│ [0-9.e-]+\s+│ [0-9.e-]+\s+│ true/);
  assert.match(r.stdout, /│ indexSelect\s+│/);
  assert.match(r.stdout, /2 ops, 8 samples checked in [0-9.]+ s: all passed/);
});

cli("an unknown op or command is an error with the usage", () => {
  const r = runCli("check", "nope");
  assert.is(r.status, 2);
  assert.match(r.stderr, /not a registered op: nope/);
  assert.match(runCli("bogus").stderr, /unknown command "bogus"\nusage: gumbelgrad check/);
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
