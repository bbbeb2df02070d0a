// `gumbelgrad check [op …] [--fast]`: the gradient check of every registered op, as a table.
// Exits 1 when any op fails, and 2, before checking anything, for an unknown command, flag or op.
// The command line is read by Node's own util.parseArgs, so the installed package needs nothing
// beyond the library's dependencies to run it.
import { parseArgs } from "node:util";
import { registry } from "../index.js";
import { checkRegistry } from "../testing/index.js";

const USAGE_ERROR = 2;
const USAGE = "usage: gumbelgrad check [op …] [--fast]";
const HELP = `${USAGE}

Gradient-checks the registered ops — finite differences against each vjp, to first and second
order — and prints a table with a row per op. Exits 1 when an op fails.

Arguments:
  op          only these registered ops (default: all)

Options:
  --fast      compare vᵀJu for random u, v instead of the full Jacobian
  -h, --help  show this help

Set DEBUG=1 to print the stack trace of an unexpected error.`;

/** A bad command line: the message, then the usage. */
class UsageError extends Error {}

/** The ops to check and the mode, or null when help was asked for. */
function readCommandLine(argv: string[]): { ops: string[]; fast: boolean } | null {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { fast: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  } catch (err) {
    throw new UsageError(`error: ${(err as Error).message.split("\n")[0]}`);
  }
  const [command, ...ops] = parsed.positionals;
  if (parsed.values.help || command === "help") return null;
  if (command === undefined) throw new UsageError("error: no command given");
  if (command !== "check") throw new UsageError(`error: unknown command '${command}'`);
  const names = registry.map((s) => s.name);
  const unknown = ops.filter((op) => !names.includes(op));
  if (unknown.length > 0) throw new UsageError(`error: not a registered op: ${unknown.join(", ")}\nregistered: ${names.join(", ")}`);
  return { ops, fast: parsed.values.fast ?? false };
}

/** Checks the named ops (all when none is named), prints the table and a closing line; returns the exit code. */
function runChecks(ops: string[], fast: boolean): number {
  const specs = ops.length > 0 ? registry.filter((s) => ops.includes(s.name)) : registry;
  const started = performance.now();
  const rows = checkRegistry(specs, { fast });
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
  console.log(`${rows.length} ops, ${samples} samples checked${fast ? " (fast mode)" : ""} in ${seconds} s: ${failed.length === 0 ? "all passed" : `${failed.length} failed`}`);
  return failed.length === 0 ? 0 : 1;
}

function main(argv: string[]): number {
  try {
    const request = readCommandLine(argv);
    if (request === null) {
      console.log(HELP);
      return 0;
    }
    return runChecks(request.ops, request.fast);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}\nRun gumbelgrad check --help for more.`);
    return USAGE_ERROR;
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  // A bug, not a bad command line: one line, unless DEBUG asks for the stack.
  const debug = Boolean(process.env.DEBUG) && process.env.DEBUG !== "0";
  console.error(`error: ${debug && err instanceof Error ? err.stack : (err as Error)?.message ?? String(err)}`);
  process.exitCode = 1;
}
