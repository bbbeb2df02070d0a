// The example's driver: check the flags and --out, load data, train each quantizer, print the comparison, write the report.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Rng } from "../../src/index.js";
import { describeError, parseExitCode, saveResults, writableDirectory } from "../cli-common.js";
import { makeCommand, parseFlags, type Flags, type QuantizerName } from "./cli.js";
import { gaussianMixture, loadDigits, type DataSet } from "./data.js";
import { Progress } from "../progress.js";
import { LABELS, formatTable, runKMeans, runQuantizer, settingsFor, type Entry, type RunResult, type RunSettings } from "./runs.js";
import { writeReport } from "./report.js";

export function loadData(flags: Flags): DataSet {
  return flags.data === "digits" ? loadDigits() : gaussianMixture({ rng: new Rng(flags.seed).split(), count: flags.points });
}

/**
 * Runs the example; returns the process exit code: 0 on success, 2 for a bad flag or an unwritable
 * --out (found before any work), 1 when a quantizer failed or the results had to be saved elsewhere.
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
  const data = loadData(flags);
  const settings = settingsFor(data, flags.codes, flags.steps, flags.seed);
  console.log(`data: ${data.name}, ${data.x.shape[0]} × ${data.x.shape[1]}; ${flags.codes} codes; model ${data.x.shape[1]} → ${settings.hidden} → ${settings.codeDim} → quantizer → ${settings.hidden} → ${data.x.shape[1]}; seed ${flags.seed}`);

  const reference = runKMeans(data, settings);
  console.log(`k-means reference: distortion ${reference.entry.distortion.toFixed(4)} (${reference.entry.steps} Lloyd iterations, ${reference.entry.seconds.toFixed(1)} s)`);
  const { trained, failed } = trainEach(flags.quantizers, data, settings, reference.entry.distortion, out);
  const results = [...trained, reference];

  console.log(`\nComparison on ${data.name} (distortion = mean ‖x − x̂‖² over the whole data set):\n`);
  console.log(formatTable(results));

  const summary: Record<string, Entry> = Object.fromEntries(results.map((r) => [r.name, r.entry]));
  const summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
  const save = async (dir: string) => {
    await writeFile(join(dir, "summary.json"), summaryJson);
    return ["summary.json", ...(await writeReport(dir, data, results))];
  };
  const saved = await saveResults(out, save, () => summaryJson, "vq-codebook");
  return failed > 0 ? 1 : saved;
}

/** Trains each quantizer in turn; one that fails (diverges) is reported and costs the others nothing. */
function trainEach(names: QuantizerName[], data: DataSet, settings: RunSettings, kmeansDistortion: number, out: string) {
  const progress = new Progress();
  const trained: RunResult[] = [];
  let failed = 0;
  for (const name of names) {
    try {
      trained.push(runQuantizer(name, data, settings, kmeansDistortion, progress, out));
    } catch (err) {
      progress.finish();
      console.error(`\nerror: ${LABELS[name]}: ${describeError(err)}`);
      failed++;
    }
  }
  return { trained, failed };
}
