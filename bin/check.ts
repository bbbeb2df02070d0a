// `gumbelgrad check [op …] [--fast]`: the gradient check of every registered op, as a table.
// Exits non-zero when any op fails.
import { parseArgs } from "node:util";
import { registry } from "../src/index.js";
import { checkRegistry } from "../src/testing/checkRegistry.js";

const usage = "usage: gumbelgrad check [op …] [--fast]\n  op      only these registered ops (default: all)\n  --fast  compare vᵀJu for random u, v instead of the full Jacobian";

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { fast: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  } catch (err) {
    console.error(`gumbelgrad: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  const [command, ...ops] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    console.log(usage);
    return parsed.values.help ? 0 : 2;
  }
  if (command !== "check") {
    console.error(`gumbelgrad: unknown command ${JSON.stringify(command)}\n${usage}`);
    return 2;
  }
  const unknown = ops.filter((op) => !registry.some((s) => s.name === op));
  if (unknown.length > 0) {
    console.error(`gumbelgrad: not a registered op: ${unknown.join(", ")}\nregistered: ${registry.map((s) => s.name).join(", ")}`);
    return 2;
  }
  const specs = ops.length > 0 ? registry.filter((s) => ops.includes(s.name)) : registry;
  const started = performance.now();
  const rows = checkRegistry(specs, { fast: parsed.values.fast });
  // Keyed by op, so the op names form the first column; numbers and booleans print unquoted.
  console.table(Object.fromEntries(rows.map((r) => [r.op, {
    samples: r.samples,
    "2nd order": r.secondOrder,
    "max abs error": Number(r.maxAbsError.toExponential(2)),
    "max rel error": Number(r.maxRelError.toExponential(2)),
    pass: r.ok,
  }])));
  const failed = rows.filter((r) => !r.ok);
  for (const r of failed) console.error(`${r.op} failed ${r.failure}`);
  const samples = rows.reduce((n, r) => n + r.samples, 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${rows.length} ops, ${samples} samples checked${parsed.values.fast ? " (fast mode)" : ""} in ${seconds} s: ${failed.length === 0 ? "all passed" : `${failed.length} failed`}`);
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
