// The example's driver: parse flags, load data, train each quantizer, print the comparison, write the report.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CommanderError } from "commander";
import { Rng } from "../../src/index.js";
import { makeCommand, parseFlags, type Flags } from "./cli.js";
import { gaussianMixture, loadDigits, type DataSet } from "./data.js";
import { Progress } from "./progress.js";
import { TrainingDiverged } from "./train.js";
import { formatTable, runKMeans, runQuantizer, settingsFor, type Entry } from "./runs.js";
import { writeReport } from "./report.js";

export function loadData(flags: Flags): DataSet {
  return flags.data === "digits" ? loadDigits() : gaussianMixture({ rng: new Rng(flags.seed).split(), count: flags.points });
}

/** Runs the example; returns the process exit code (0 on success, 1 when training diverged, 2 for bad flags). */
export async function main(argv: string[]): Promise<number> {
  const command = makeCommand();
  let flags: Flags;
  try {
    flags = parseFlags(argv, command);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander printed the error and the usage
    throw err;
  }
  const data = loadData(flags);
  const settings = settingsFor(data, flags.codes, flags.steps, flags.seed);
  console.log(`data: ${data.name}, ${data.x.shape[0]} × ${data.x.shape[1]}; ${flags.codes} codes; model ${data.x.shape[1]} → ${settings.hidden} → ${settings.codeDim} → quantizer → ${settings.hidden} → ${data.x.shape[1]}; seed ${flags.seed}`);

  const reference = runKMeans(data, settings);
  console.log(`k-means reference: distortion ${reference.entry.distortion.toFixed(4)} (${reference.entry.steps} Lloyd iterations, ${reference.entry.seconds.toFixed(1)} s)`);
  const out = resolve(flags.out);
  await mkdir(out, { recursive: true });
  const progress = new Progress();
  let trained;
  try {
    trained = flags.quantizers.map((name) => runQuantizer(name, data, settings, reference.entry.distortion, progress, out));
  } catch (err) {
    if (!(err instanceof TrainingDiverged)) throw err;
    progress.finish();
    console.error(`\n${err.message}`);
    return 1;
  }
  progress.finish();
  const results = [...trained, reference];

  console.log(`\nComparison on ${data.name} (distortion = mean ‖x − x̂‖² over the whole data set):\n`);
  console.log(formatTable(results));

  const summary: Record<string, Entry> = Object.fromEntries(results.map((r) => [r.name, r.entry]));
  await writeFile(join(out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  const files = await writeReport(out, data, results);
  console.log(`\nwrote ${join(out, "summary.json")} and ${files.map((f) => join(out, f)).join(", ")}`);
  return 0;
}
