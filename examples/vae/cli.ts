// The VAE example's flags, parsed by commander: a bad flag or value prints one clear error and the
// usage hint, and exits with status 2 before any work.
import { Option, type Command } from "commander";
import type { FloatDType } from "../../src/index.js";
import { directoryName, exampleCommand, integer, parseOptions } from "../cli-common.js";
import type { DataName } from "./data.js";
import { ESTIMATORS, type EstimatorName } from "./model.js";

export interface Flags {
  estimators: EstimatorName[];
  epochs: number;
  seed: number;
  dtype: FloatDType;
  out: string;
  data: DataName;
}

export const DEFAULT_EPOCHS = 30;
export const MAX_EPOCHS = 100_000;

export function makeCommand(): Command {
  return exampleCommand("categorical-vae")
    .description(
      "Trains the categorical VAE of Jang et al. (2017) with each gradient estimator from the same " +
        "initial parameters and seed, and compares them on held-out digits. Writes summary.json and report.html to --out.",
    )
    .addOption(new Option("--estimator <name>", "gs (Gumbel-softmax), st (straight-through GS), gr (Gumbel-Rao), reinmax, reinforce (leave-one-out), or all").choices([...ESTIMATORS, "all"]).default("all"))
    .option("--epochs <n>", `training epochs, 1 to ${MAX_EPOCHS.toLocaleString("en-US")}`, integer(1, MAX_EPOCHS), DEFAULT_EPOCHS)
    .option("--seed <n>", "random seed for the initial parameters, the batches and the noise, from 0 to 2^53 − 1", integer(0), 1)
    .addOption(new Option("--dtype <dtype>", "the model's and the data's dtype").choices(["float64", "float32"]).default("float64"))
    .option("--out <dir>", "directory for summary.json and the report, created if missing", directoryName, "out/vae")
    .addOption(new Option("--data <name>", "the shipped 8×8 UCI digits, or the 10,000 28×28 MNIST digits of the mnist package (the paper's model sizes)").choices(["digits", "mnist"]).default("digits"));
}

/** Parses and checks argv (without the node and script entries). Throws commander's errors; see main(). */
export function parseFlags(argv: string[], command = makeCommand()): Flags {
  const o = parseOptions<{ estimator: string; epochs: number; seed: number; dtype: FloatDType; out: string; data: DataName }>(command, argv);
  return {
    estimators: o.estimator === "all" ? [...ESTIMATORS] : [o.estimator as EstimatorName],
    epochs: o.epochs,
    seed: o.seed,
    dtype: o.dtype,
    out: o.out,
    data: o.data,
  };
}
