// `gumbelgrad check [op …] [--fast]`: the gradient check of every registered op, as a table.
// Exits 1 when any op fails, and 2, before checking anything, for an unknown command, flag or op.
import { Command, CommanderError } from "commander";
import { registry } from "../src/index.js";
import { checkRegistry } from "../src/testing/checkRegistry.js";

const USAGE_ERROR = 2;
const HINT = "usage: gumbelgrad check [op …] [--fast]\nRun gumbelgrad check --help for more.";

/** The command line; `check` is its one command, and runs `onCheck` once the ops are known to exist. */
function makeProgram(onCheck: (ops: string[], fast: boolean) => void): Command {
  const program = new Command("gumbelgrad")
    .description("A tape-based autodiff with Gumbel-max, Gumbel-softmax and straight-through, and its gradient checker.")
    .helpOption("-h, --help", "show this help")
    .showHelpAfterError(HINT)
    .addHelpText("after", "\nSet DEBUG=1 to print the stack trace of an unexpected error.")
    .exitOverride(); // settings above are inherited by the commands below
  program.command("check")
    .description("gradient-check the registered ops (finite differences against each vjp) and print a table")
    .argument("[op...]", "only these registered ops (default: all)")
    .option("--fast", "compare vᵀJu for random u, v instead of the full Jacobian")
    .action((ops: string[], options: { fast?: boolean }, check: Command) => {
      const names = registry.map((s) => s.name);
      const unknown = ops.filter((op) => !names.includes(op));
      if (unknown.length > 0) {
        check.error(`error: not a registered op: ${unknown.join(", ")}\nregistered: ${names.join(", ")}`, { exitCode: USAGE_ERROR });
      }
      onCheck(ops, options.fast ?? false);
    });
  return program;
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
  let exitCode = 0;
  const program = makeProgram((ops, fast) => { exitCode = runChecks(ops, fast); });
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    return err.exitCode === 0 ? 0 : USAGE_ERROR; // commander printed the help, or the error and the hint
  }
  return exitCode;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  // A bug, not a bad command line: one line, unless DEBUG asks for the stack.
  const debug = Boolean(process.env.DEBUG) && process.env.DEBUG !== "0";
  console.error(`error: ${debug && err instanceof Error ? err.stack : (err as Error)?.message ?? String(err)}`);
  process.exitCode = 1;
}
