// npm run example:estimators — the temperature trade-off, measured.
// Part 1: every estimator against the exact gradient of a K = 8 codebook problem, Gumbel-softmax,
// straight-through, Gumbel-Rao and ReinMax across τ, beside REINFORCE with and without a baseline.
// Part 2: the REBAR/RELAX toy, minimise E[(b − t)²], b ~ Bernoulli(σ(φ)): signal-to-noise at φ = 0
// and 2,000 Adam steps per estimator. Writes estimators.json and two SVG charts to --out.
// `npm run example:estimators -- --help` lists the flags.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import * as vl from "vega-lite";
import { markdownTable } from "markdown-table";
import { directoryName, exampleCommand, integer, parseExitCode, parseOptions, runAsProgram, saveResults, writableDirectory } from "./cli-common.js";
import { renderSvg } from "./vq/report.js";
import {
  Adam, Rng, tensor, bernoulliLogits, bernoulliProblem, codebookProblem, compareEstimators, exactEstimator, exactGradient,
  exactObjective, gradientSamples, gumbelRaoEstimator, gumbelSoftmaxEstimator, reinMaxEstimator, scoreFunctionEstimator,
  straightThroughEstimator, withLogits, type CategoricalProblem, type EstimatorReport, type GradientEstimator,
} from "../src/index.js";

const TAUS = [0.1, 0.25, 0.5, 1, 2, 5];
const TARGETS = [0.45, 0.499];
const TOY_LR = 0.01;

interface Flags {
  out: string;
  samples: number;
  seed: number;
  steps: number;
  quick: boolean;
}

/** Gradient samples are kept per estimator (about 150 bytes each) to compute their spread. */
const MAX_SAMPLES = 1_000_000;

function makeCommand(): Command {
  return exampleCommand("estimators")
    .description("Measures bias, variance, MSE and cosine of gradient estimators against the exact gradient (by enumeration), " +
      "across the Gumbel-softmax temperature, and runs the REBAR/RELAX Bernoulli toy. Writes estimators.json and SVG charts to --out.")
    .option("--out <dir>", "directory for estimators.json and the charts, created if missing", directoryName, "out")
    .option("--samples <n>", `gradient samples per estimator (table and toy signal-to-noise), 2 to ${MAX_SAMPLES.toLocaleString("en-US")} (default: 3000, or 100 with --quick)`, integer(2, MAX_SAMPLES))
    .option("--seed <n>", "random seed, from 0 to 2^53 − 1", integer(0), 1)
    .option("--quick", "a small run in a few seconds (100 samples, 100 toy steps)", false);
}

function parseFlags(argv: string[], command: Command): Flags {
  const o = parseOptions<{ out: string; samples?: number; seed: number; quick: boolean }>(command, argv);
  return { out: o.out, seed: o.seed, quick: o.quick, samples: o.samples ?? (o.quick ? 100 : 3000), steps: o.quick ? 100 : 2000 };
}

// ---- part 1: the trade-off table ---------------------------------------------------------------

function tableEstimators(): GradientEstimator[] {
  return [
    scoreFunctionEstimator(),
    scoreFunctionEstimator({ baseline: "running-mean" }),
    scoreFunctionEstimator({ baseline: "leave-one-out" }),
    ...TAUS.flatMap((tau) => [gumbelSoftmaxEstimator({ tau }), straightThroughEstimator({ tau }), gumbelRaoEstimator({ tau }), reinMaxEstimator({ tau })]),
  ];
}

/** The JSON row: estimator, tau, bias, biasSE, variance, mse, cosine, then the other standard errors and the noise floor of the bias. */
function tableRow(r: EstimatorReport) {
  return {
    estimator: r.estimator, tau: r.tau, bias: r.bias, biasSE: r.biasSE, variance: r.variance, mse: r.mse, cosine: r.cosine,
    biasFloor: r.biasFloor, varianceSE: r.varianceSE, mseSE: r.mseSE, cosineSE: r.cosineSE, samples: r.samples, msPerSample: r.msPerSample,
  };
}

const fixed = (x: number, digits = 4) => x.toFixed(digits);
const withSE = (x: number, se: number, digits = 4) => `${fixed(x, digits)} ± ${fixed(se, digits)}`;

function formatTable(rows: EstimatorReport[]): string {
  const header = ["estimator", "τ", "bias ± SE", "noise floor", "variance ± SE", "MSE ± SE", "cosine ± SE"];
  const lines = rows.map((r) => [
    r.estimator, r.tau === null ? "–" : String(r.tau), withSE(r.bias, r.biasSE), fixed(r.biasFloor),
    withSE(r.variance, r.varianceSE), withSE(r.mse, r.mseSE), withSE(r.cosine, r.cosineSE, 3),
  ]);
  return markdownTable([header, ...lines]);
}

const BATCHES = [1, 8, 64, 512]; // well below N: a larger B would rest on biases under the noise floor

/**
 * A step that averages B independent samples has MSE = bias² + variance/B. With bias² estimated
 * without its noise (bias² − variance/N, at least 0), the τ of each relaxed estimator that minimises it.
 */
function bestTauByBatch(rows: EstimatorReport[]) {
  const families = [...new Set(rows.filter((r) => r.tau !== null).map((r) => r.estimator))];
  return families.flatMap((estimator) => BATCHES.map((batch) => {
    const mseOf = (r: EstimatorReport) => Math.max(0, r.bias ** 2 - r.variance / r.samples) + r.variance / batch;
    const best = rows.filter((r) => r.estimator === estimator).reduce((a, b) => (mseOf(b) < mseOf(a) ? b : a));
    return { estimator, batch, tau: best.tau!, mse: mseOf(best) };
  }));
}

// ---- part 2: the Bernoulli toy -----------------------------------------------------------------

function toyEstimators(): GradientEstimator[] {
  return [
    exactEstimator(),
    scoreFunctionEstimator(),
    scoreFunctionEstimator({ baseline: "running-mean" }),
    scoreFunctionEstimator({ baseline: "leave-one-out" }),
    gumbelSoftmaxEstimator({ tau: 0.5 }),
    straightThroughEstimator({ tau: 0.5 }),
    gumbelRaoEstimator({ tau: 0.5 }),
    reinMaxEstimator({ tau: 1 }),
  ];
}

const label = (e: { name: string; tau: number | null }) => (e.tau === null ? e.name : `${e.name} τ=${e.tau}`);

/** ∂L/∂φ samples at φ = 0 (θ = [0, φ], so ∂/∂φ is the second component): mean, sd and SNR = |mean|/sd, ± SE(mean)/sd = 1/√N. */
function signalToNoise(problem: CategoricalProblem, estimator: GradientEstimator, samples: number, rng: Rng) {
  const phi = gradientSamples(problem, estimator, { samples, rng }).map((g) => g[1]);
  const mean = phi.reduce((a, b) => a + b, 0) / phi.length;
  const sd = Math.sqrt(phi.reduce((a, b) => a + (b - mean) ** 2, 0) / (phi.length - 1));
  return { estimator: label(estimator), mean, sd, snr: sd > 0 ? Math.abs(mean) / sd : Infinity, snrSE: 1 / Math.sqrt(phi.length) };
}

/** Adam on φ, starting at 0, fed one ∂L/∂φ sample per step. Records φ every `every` steps. */
function trajectory(problem: CategoricalProblem, estimator: GradientEstimator, steps: number, rng: Rng, every = 10) {
  const phi = tensor([0], { requiresGrad: true });
  const adam = new Adam([phi], { lr: TOY_LR });
  estimator.reset?.();
  const path: { step: number; phi: number }[] = [{ step: 0, phi: 0 }];
  for (let step = 1; step <= steps; step++) {
    const g = estimator.sample(withLogits(problem, bernoulliLogits(phi.item())), rng);
    phi.grad = tensor([g.values()[1]]);
    adam.step();
    if (step % every === 0 || step === steps) path.push({ step, phi: phi.item() });
  }
  const final = phi.item();
  const loss = exactObjective(withLogits(problem, bernoulliLogits(final))).item();
  return { estimator: label(estimator), finalPhi: final, finalLoss: loss, path };
}

const AWAY = [-0.5, -1, -2];

/** E[∂L/∂φ] of each relaxed estimator (± SE) beside the exact value at φ < 0, where the relaxations' bias changes sign. */
function meanGradientsAway(problem: CategoricalProblem, estimators: GradientEstimator[], samples: number, rng: Rng) {
  return AWAY.map((phi) => {
    const here = withLogits(problem, bernoulliLogits(phi));
    const reports = compareEstimators(here, estimators, { samples, rng: rng.split() });
    return { phi, exact: reports[0].exactGradient[1], estimators: reports.map((r) => ({ estimator: label({ name: r.estimator, tau: r.tau }), mean: r.meanGradient[1], se: r.meanSE[1] })) };
  });
}

function runToy(flags: Flags, rng: Rng) {
  return TARGETS.map((t) => {
    const own = rng.split(); // one stream per target, so adding a measurement to one leaves the other alone
    const problem = bernoulliProblem({ target: t });
    const exact = exactGradient(problem).values()[1];
    const estimators = toyEstimators();
    const snr = estimators.slice(1).map((e) => signalToNoise(problem, e, flags.samples, own.split()));
    const trajectories = estimators.map((e) => trajectory(problem, e, flags.steps, own.split()));
    const awayFromZero = meanGradientsAway(problem, estimators.filter((e) => e.tau !== null), Math.ceil(flags.samples / 2), own.split());
    const reinforceSd = 0.25 * ((1 - t) ** 2 + t ** 2); // half the distance between ½(1 − t)² and −½t²
    const theory = { exactGradient: 0.25 * (1 - 2 * t), reinforceSd, reinforceSnr: Math.abs(0.25 * (1 - 2 * t)) / reinforceSd };
    return { target: t, exactGradient: exact, theory, snr, trajectories, awayFromZero };
  });
}

// ---- charts ------------------------------------------------------------------------------------

const COLOR = { field: "estimator", type: "nominal", legend: { labelLimit: 320 } } as const;

/** Bias and variance against τ, log-log, one line per relaxed estimator; dashed rules for the τ-free ones. */
function tradeOffChart(rows: EstimatorReport[]): vl.TopLevelSpec {
  const relaxed = rows.filter((r) => r.tau !== null);
  const free = rows.filter((r) => r.tau === null);
  const panel = (field: "bias" | "variance", title: string, se: "biasSE" | "varianceSE") => ({
    width: 330, height: 260,
    title,
    layer: [
      {
        data: { values: relaxed.map((r) => ({ estimator: r.estimator, tau: r.tau, value: r[field], lo: Math.max(r[field] - r[se], r[field] / 10), hi: r[field] + r[se] })) },
        layer: [
          { mark: { type: "line", point: true }, encoding: { x: { field: "tau", type: "quantitative", scale: { type: "log", domain: [0.08, 6], nice: false }, title: "τ" }, y: { field: "value", type: "quantitative", scale: { type: "log" }, title }, color: COLOR } },
          { mark: "errorbar", encoding: { x: { field: "tau", type: "quantitative" }, y: { field: "lo", type: "quantitative", title }, y2: { field: "hi" }, color: COLOR } },
        ],
      },
      {
        data: { values: free.map((r) => ({ estimator: r.estimator, value: r[field] })) },
        mark: { type: "rule", strokeDash: [4, 3] },
        encoding: { y: { field: "value", type: "quantitative", title }, color: COLOR },
      },
    ],
  });
  return {
    title: "Gradient estimators on the K = 8 codebook problem, against the exact gradient (error bars: 1 SE)",
    hconcat: [panel("bias", "bias ‖E[ĝ] − ∇L‖", "biasSE"), panel("variance", "variance tr Cov[ĝ]", "varianceSE")],
    resolve: { scale: { color: "shared" } },
  } as vl.TopLevelSpec;
}

function toyChart(toy: ReturnType<typeof runToy>): vl.TopLevelSpec {
  const values = toy.flatMap((run) => run.trajectories.flatMap((tr) => tr.path.map((p) => ({ target: `t = ${run.target}`, estimator: tr.estimator, step: p.step, phi: p.phi }))));
  return {
    title: `Minimising E[(b − t)²], b ~ Bernoulli(σ(φ)): φ under Adam (lr ${TOY_LR}); lower is better`,
    data: { values },
    facet: { column: { field: "target", type: "nominal", title: null } },
    spec: {
      width: 330, height: 260,
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: { x: { field: "step", type: "quantitative" }, y: { field: "phi", type: "quantitative", title: "φ" }, color: COLOR },
    },
  };
}

// ---- main --------------------------------------------------------------------------------------

/**
 * Runs the example; returns the exit code: 0 on success, 2 for a bad flag or an unwritable --out
 * (found before any work), 1 when the results had to be saved elsewhere.
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
  const started = performance.now();
  const rng = new Rng(flags.seed);
  const problem = codebookProblem();
  const exact = Array.from(exactGradient(problem).values());
  console.log(`${problem.name}: f(y) = ‖y·E − x‖², exact ∇L = [${exact.map((g) => g.toFixed(4)).join(", ")}] (‖∇L‖ = ${Math.hypot(...exact).toFixed(4)}); ${flags.samples} samples per estimator, seed ${flags.seed}\n`);
  const reports = compareEstimators(problem, tableEstimators(), { samples: flags.samples, rng: rng.split() });
  console.log(formatTable(reports));
  console.log(`\nbias is ‖mean − exact‖; the noise floor √(variance/N) is the bias an unbiased estimator shows from noise alone.\n`);
  const best = bestTauByBatch(reports);
  console.log(`The τ with the least MSE for a step that averages B samples, (bias² − variance/N) + variance/B:`);
  for (const name of new Set(best.map((b) => b.estimator))) {
    console.log(`  ${name.padEnd(20)} ${best.filter((b) => b.estimator === name).map((b) => `B=${b.batch}: τ=${b.tau} (MSE ${b.mse.toFixed(4)})`).join("   ")}`);
  }
  console.log("");

  const toy = runToy(flags, rng.split());
  for (const run of toy) {
    console.log(`Bernoulli toy, t = ${run.target}: exact ∂L/∂φ at φ = 0 is ${run.exactGradient.toFixed(4)} (0.25·(1 − 2t) = ${run.theory.exactGradient.toFixed(4)}); REINFORCE in theory: sd ${run.theory.reinforceSd.toFixed(5)}, SNR ${run.theory.reinforceSnr.toFixed(3)}`);
    for (const s of run.snr) console.log(`  ${s.estimator.padEnd(38)} mean ${s.mean.toFixed(4).padStart(8)}  sd ${s.sd.toFixed(4)}  SNR ${s.snr.toFixed(3)} ± ${s.snrSE.toFixed(3)}`);
    for (const tr of run.trajectories) console.log(`  ${tr.estimator.padEnd(38)} φ after ${flags.steps} steps ${tr.finalPhi.toFixed(3).padStart(8)}  L(φ) ${tr.finalLoss.toFixed(5)}`);
    for (const at of run.awayFromZero) {
      console.log(`  mean ∂L/∂φ at φ = ${at.phi}: exact ${at.exact.toFixed(4)}; ${at.estimators.map((e) => `${e.estimator} ${e.mean.toFixed(4)} ± ${e.se.toFixed(4)}`).join("; ")}`);
    }
  }

  const json = {
    problem: { name: problem.name, exactGradient: exact }, samples: flags.samples, seed: flags.seed,
    rows: reports.map(tableRow),
    bestTauByBatch: best,
    toy: { learningRate: TOY_LR, steps: flags.steps, targets: toy },
  };
  const jsonText = `${JSON.stringify(json, null, 2)}\n`;
  const save = async (dir: string) => {
    await writeFile(join(dir, "estimators.json"), jsonText);
    await writeFile(join(dir, "estimators-tradeoff.svg"), await renderSvg(tradeOffChart(reports)));
    await writeFile(join(dir, "estimators-toy.svg"), await renderSvg(toyChart(toy)));
    return ["estimators.json", "estimators-tradeoff.svg", "estimators-toy.svg"];
  };
  const saved = await saveResults(out, save, () => jsonText, "estimators");
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return saved;
}

// Run when started as a script; a test imports main() instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsProgram(main);
