// The example's driver: check the flags and --out, load the data, train each estimator from the same
// start, print the comparison, write summary.json and the report.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeError, parseExitCode, saveResults, writableDirectory } from "../cli-common.js";
import { Progress } from "../progress.js";
import { makeCommand, parseFlags, type Flags } from "./cli.js";
import { loadData } from "./data.js";
import { DIGITS_SIZES, ESTIMATOR_LABELS, MNIST_SIZES } from "./model.js";
import { formatTable, summaryRow, writeReport } from "./report.js";
import { DEFAULT_SETTINGS, trainEstimator, type TrainSettings, type TrainedEstimator } from "./train.js";

export function settingsFor(flags: Flags): TrainSettings {
  const sizes = flags.data === "digits" ? DIGITS_SIZES : MNIST_SIZES;
  return { ...DEFAULT_SETTINGS, sizes, epochs: flags.epochs, seed: flags.seed, dtype: flags.dtype };
}

/**
 * Runs the example; returns the process exit code: 0 on success, 2 for a bad flag or an unwritable
 * --out (found before any work), 1 when an estimator failed or the results had to be saved elsewhere.
 */
export async function main(argv: string[]): Promise<number> {
  const command = makeCommand();
  let flags: Flags, out: string;
  try {
    flags = parseFlags(argv, command);
    out = writableDirectory(command, "--out", flags.out);
  } catch (err) {
    return parseExitCode(err); // commander printed the help, or the error and the usage hint
  }
  const data = loadData(flags.data, flags.dtype);
  const s = settingsFor(flags);
  const { input, hidden, latents, categories } = s.sizes;
  console.log(`data: ${data.name}, ${data.train.shape[0]} train and ${data.test.shape[0]} test images of ${input} binary pixels; model ${[input, ...hidden].join("–")}–(${latents}×${categories}), decoder mirrored; ${flags.dtype}; seed ${flags.seed}`);
  console.log(`Adam lr ${s.lr}, batch ${s.batchSize}, ${s.epochs} epochs, τ from ${s.tauStart} to ${s.tauEnd} (exponential, held for each epoch)\n`);

  const progress = new Progress("epochs");
  const logEvery = Math.max(1, Math.round(s.epochs / 6));
  const trained: TrainedEstimator[] = [];
  let failed = 0;
  for (const estimator of flags.estimators) {
    try {
      trained.push(trainEstimator(estimator, data, s, progress, logEvery));
    } catch (err) {
      progress.finish();
      console.error(`\nerror: ${ESTIMATOR_LABELS[estimator]}: ${describeError(err)}`);
      failed++;
    }
  }
  const rows = trained.map(summaryRow);
  console.log(`\nHeld-out comparison on ${data.name} (nats per image, one-hot latents; NLL by importance sampling):\n`);
  console.log(formatTable(rows));

  const summaryJson = `${JSON.stringify(rows, null, 2)}\n`;
  const save = async (dir: string) => {
    await writeFile(join(dir, "summary.json"), summaryJson);
    return ["summary.json", ...(await writeReport(dir, data, trained, flags.seed))];
  };
  const saved = await saveResults(out, save, () => summaryJson, "categorical-vae");
  return failed > 0 ? 1 : saved;
}
