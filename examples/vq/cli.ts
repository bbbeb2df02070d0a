// The example's flags, parsed by commander: a bad flag or value prints a clear error and the usage.
import { Command, InvalidArgumentError, Option } from "commander";

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

/** A commander parser for an integer ≥ min. */
export function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected an integer ≥ ${min}, but got "${value}".`);
    }
    return n;
  };
}

export function makeCommand(): Command {
  return new Command("vq-codebook")
    .description(
      "Trains a small VQ autoencoder (encoder MLP → quantizer → decoder MLP) with each quantizer and " +
        "compares its distortion with k-means. Writes summary.json and report.html to --out.",
    )
    .option("--steps <n>", `training steps per quantizer (default: ${DEFAULTS.gaussians.steps} for gaussians, ${DEFAULTS.digits.steps} for digits)`, integer(1))
    .option("--codes <k>", `codebook size K (default: ${DEFAULTS.gaussians.codes})`, integer(2))
    .addOption(new Option("--quantizer <name>", "which quantizer to train: st, ema, restart (ST+EMA+restarts), gumbel, or all").choices([...QUANTIZERS, "all"]).default("all"))
    .addOption(new Option("--data <name>", "data set: a seeded 16-D Gaussian mixture, or the UCI 8×8 digits").choices(["gaussians", "digits"]).default("gaussians"))
    .option("--seed <n>", "random seed for the data, the initialisation and the batches", integer(0), 1)
    .option("--out <dir>", "directory for summary.json and the report", "out")
    .option("--points <n>", "how many points the Gaussian mixture has", integer(64), 8192)
    .helpOption("-h, --help", "show this help")
    .showHelpAfterError()
    .allowExcessArguments(false);
}

/** Parses argv (without the node and script entries). Throws commander's errors; see main(). */
export function parseFlags(argv: string[], command = makeCommand()): Flags {
  command.exitOverride();
  command.parse(argv, { from: "user" });
  const o = command.opts<{ steps?: number; codes?: number; quantizer: string; data: DataName; seed: number; out: string; points: number }>();
  const defaults = DEFAULTS[o.data];
  return {
    steps: o.steps ?? defaults.steps,
    codes: o.codes ?? defaults.codes,
    quantizers: o.quantizer === "all" ? [...QUANTIZERS] : [o.quantizer as QuantizerName],
    data: o.data,
    seed: o.seed,
    out: o.out,
    points: o.points,
  };
}
