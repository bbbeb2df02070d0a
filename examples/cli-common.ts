// What the examples' command lines share, so they behave alike: a bad flag or value exits with
// status 2 and one message naming the flag, before any work; --out is proved writable before any
// work; results that cannot be written where asked are rescued; and no stack trace unless DEBUG=1.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";

/** Exit status for a bad command line, as most Unix tools use; 1 is left for a run that failed. */
const USAGE_ERROR = 2;

/** A command with the examples' common settings: the usage hint after an error, flags only, errors thrown. */
export function exampleCommand(name: string): Command {
  return new Command(name)
    .helpOption("-h, --help", "show this help")
    .showHelpAfterError(`Usage: ${name} [options]\nRun with --help to list the flags.`)
    .addHelpText("after", "\nSet DEBUG=1 to print the stack trace of an unexpected error.")
    .allowExcessArguments() // refused by parseOptions, with a better message
    .exitOverride();
}

/** Parses argv (without the node and script entries) into the options; throws commander's errors. */
export function parseOptions<T>(command: Command, argv: string[]): T {
  command.parse(argv, { from: "user" });
  // Commander would say only "too many arguments"; the usual cause is npm taking the flags for itself.
  if (command.args.length > 0) {
    usageError(command, `unexpected argument '${command.args[0]}'. Only flags are taken; through npm, put them after --: npm run <script> -- <flags>.`);
  }
  return command.opts<T & object>();
}

/** A commander parser for an integer in [min, max], written in plain digits (no 1e3, 1.5 or 0x10). */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    // Number() alone would take "", "1e3", "0x10" and round "99999999999999999999"
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max.toLocaleString("en-US")}, but got "${value}".`);
    }
    return n;
  };
}

/** A commander parser for a directory name: an empty one is most likely an unset shell variable. */
export function directoryName(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError(`expected a directory, but got "${value}".`);
  return value;
}

/** Ends parsing with `message` and the usage hint, as commander's own errors do. */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: USAGE_ERROR, code: "commander.usageError" });
}

/** The flag as its help writes it, "--steps <n>". */
export function flagWithValue(command: Command, flag: string): string {
  return command.options.find((o) => o.long === flag)?.flags ?? flag;
}

/** Rejects a value after parsing (when the check needs other flags or the file system), in commander's words. */
export function rejectValue(command: Command, flag: string, value: string | number, reason: string): never {
  usageError(command, `option '${flagWithValue(command, flag)}' argument '${value}' is invalid. ${reason}`);
}

/** The exit status of a commander error thrown by parsing (help: 0, anything else: a usage error). */
export function parseExitCode(err: unknown): number {
  if (!(err instanceof CommanderError)) throw err;
  return err.exitCode === 0 ? 0 : USAGE_ERROR;
}

const FS_REASONS: Record<string, string> = {
  EEXIST: "it is a file, not a directory",
  ENOTDIR: "part of the path is a file, not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
};

/** A file-system error in a few words: "permission denied" rather than "EACCES: permission denied, open '…'". */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return (code && FS_REASONS[code]) ?? (err as Error).message;
}

/**
 * Creates `path` (and missing parents) and writes and removes a probe file in it, so a run that
 * could not save its results fails now, not after the work. Returns the absolute path.
 */
export function writableDirectory(command: Command, flag: string, path: string): string {
  const dir = resolve(path);
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (err) {
    rejectValue(command, flag, path, `cannot write there: ${fsReason(err)}.`);
  }
  return dir;
}

/**
 * Saves the results with `save(dir)`, which returns the names of the files it wrote. When `dir`
 * refuses them at the end of a run (removed, full, made read-only), the work is not lost: they go
 * to a fresh folder under the system's temporary directory instead, and should that fail too,
 * `summary()` is printed to stdout. Returns the exit status: 0 only when `dir` got them.
 */
export async function saveResults(dir: string, save: (dir: string) => Promise<string[]>, summary: () => string, name: string): Promise<number> {
  try {
    await mkdir(dir, { recursive: true });
    console.log(`\nwrote ${(await save(dir)).join(", ")} to ${dir}`);
    return 0;
  } catch (err) {
    console.error(`\nerror: cannot write the results to ${dir}: ${fsReason(err)}`);
  }
  try {
    const rescue = await mkdtemp(join(tmpdir(), `${name}-`));
    console.error(`wrote ${(await save(rescue)).join(", ")} to ${rescue} instead`);
  } catch (err) {
    console.error(`could not write them to the temporary directory either (${fsReason(err)}); the summary follows on stdout`);
    console.log(summary());
  }
  return 1;
}

/** An unexpected error as one line, or with its stack when DEBUG is set. */
export function describeError(err: unknown): string {
  const debug = Boolean(process.env.DEBUG) && process.env.DEBUG !== "0";
  if (debug && err instanceof Error && err.stack) return err.stack;
  return err instanceof Error ? err.message : String(err);
}

/** Runs an example's main() as a program: its result is the exit status; an unexpected error prints one line and exits 1. */
export async function runAsProgram(main: (argv: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    console.error(`error: ${describeError(err)}`);
    process.exitCode = 1;
  }
}
