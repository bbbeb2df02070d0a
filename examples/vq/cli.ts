// The example's flags, parsed by commander: a bad flag or value, alone or beside another, prints one
// clear error and the usage hint, and exits with status 2 before any work.
import { Command, Option } from "commander";
import { directoryName, exampleCommand, flagWithValue, integer, parseOptions, rejectValue, usageError } from "../cli-common.js";
import { DIGITS_COUNT } from "./data.js";

export { integer } from "../cli-common.js"; // bench/soak.ts parses its flags with it

export const QUANTIZERS = ["st", "ema", "restart", "gumbel"] as const;
export type QuantizerName = (typeof QUANTIZERS)[number];
export type DataName = "gaussians" | "digits";

export interface Flags {
  steps: number;
  codes: number;
  quantizers: QuantizerName[];
  data: DataName;
  seed: number;
  out: string;
  /** Size of the Gaussian mixture sample. */
  points: number;
}

/** Defaults that depend on the data set: sized so the full comparison takes about 15 s (mixture) or 20 s (digits) on 2 cores. */
export const DEFAULTS: Record<DataName, { steps: number; codes: number }> = {
  gaussians: { steps: 1280, codes: 32 },
  digits: { steps: 1400, codes: 32 },
};

// Upper bounds that keep a run within memory: every step's loss is kept for the chart, and the data
// and each quantizer's reconstruction of it are held at once.
export const MAX_STEPS = 10_000_000;
export const MAX_POINTS = 1_000_000;
/** k-means and the final reconstruction each hold a float64 [points, codes] table of distances: at most 256 MB. */
export const MAX_DISTANCES = 2 ** 25;

export function makeCommand(): Command {
  return exampleCommand("vq-codebook")
    .description(
      "Trains a small VQ autoencoder (encoder MLP → quantizer → decoder MLP) with each quantizer and " +
        "compares its distortion with k-means. Writes summary.json and report.html to --out.",
    )
    .option("--steps <n>", `training steps per quantizer, at most ${MAX_STEPS.toLocaleString("en-US")} (default: ${DEFAULTS.gaussians.steps} for gaussians, ${DEFAULTS.digits.steps} for digits)`, integer(1, MAX_STEPS))
    .option("--codes <k>", `codebook size K ≥ 2, fewer than the data's points (default: ${DEFAULTS.gaussians.codes})`, integer(2))
    .addOption(new Option("--quantizer <name>", "which quantizer to train: st, ema, restart (ST+EMA+restarts), gumbel, or all").choices([...QUANTIZERS, "all"]).default("all"))
    .addOption(new Option("--data <name>", `data set: a seeded 16-D Gaussian mixture, or the ${DIGITS_COUNT.toLocaleString("en-US")} UCI 8×8 digits`).choices(["gaussians", "digits"]).default("gaussians"))
    .option("--seed <n>", "random seed for the data, the initialisation and the batches, from 0 to 2^53 − 1", integer(0), 1)
    .option("--out <dir>", "directory for summary.json and the report, created if missing", directoryName, "out")
    .option("--points <n>", `how many points the Gaussian mixture has, 64 to ${MAX_POINTS.toLocaleString("en-US")}`, integer(64, MAX_POINTS), 8192);
}

/** Parses and checks argv (without the node and script entries). Throws commander's errors; see main(). */
export function parseFlags(argv: string[], command = makeCommand()): Flags {
  const o = parseOptions<{ steps?: number; codes?: number; quantizer: string; data: DataName; seed: number; out: string; points: number }>(command, argv);
  if (o.data === "digits" && command.getOptionValueSource("points") === "cli") {
    usageError(command, `option '${flagWithValue(command, "--points")}' sizes the Gaussian mixture; the digits have ${DIGITS_COUNT.toLocaleString("en-US")} points.`);
  }
  const defaults = DEFAULTS[o.data];
  const codes = o.codes ?? defaults.codes;
  checkCodes(command, codes, o.data === "digits" ? DIGITS_COUNT : o.points);
  return {
    steps: o.steps ?? defaults.steps,
    codes,
    quantizers: o.quantizer === "all" ? [...QUANTIZERS] : [o.quantizer as QuantizerName],
    data: o.data,
    seed: o.seed,
    out: o.out,
    points: o.points,
  };
}

/** A codebook as large as the data would make k-means' distortion 0, and the comparison meaningless. */
function checkCodes(command: Command, codes: number, points: number): void {
  const fitting = Math.min(points - 1, Math.floor(MAX_DISTANCES / points));
  if (codes <= fitting) return;
  const why = codes >= points
    ? `expected fewer codes than the data's ${points.toLocaleString("en-US")} points`
    : `expected at most ${fitting.toLocaleString("en-US")} codes for ${points.toLocaleString("en-US")} points (points × codes ≤ ${MAX_DISTANCES.toLocaleString("en-US")}, to fit in memory)`;
  rejectValue(command, "--codes", codes, `${why}, but got "${codes}".`);
}
