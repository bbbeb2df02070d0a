// npm run soak: 100,000 training steps of the VQ example's model (encoder MLP → VectorQuantizer with
// EMA and dead-code restarts → decoder MLP, Adam) in one synchronous loop, reading the heap after a
// full collection every 10,000 steps, for two loop patterns:
//   train       forward, backward, step: every graph is released by its backward;
//   validation  the same, plus a validation loss every step computed without noGrad, so its graph
//               is recorded and never backwarded.
// A flat heap means the tape lets go of every step's graph, whether backward reaches it or not.
import { Command, Option } from "commander";
import { Adam, Rng, VectorQuantizer, mseLoss } from "../src/index.js";
import { gaussianMixture, rows, shuffled } from "../examples/vq/data.js";
import { VQAutoencoder } from "../examples/vq/model.js";
import { collector } from "./gc.js";
import { integer } from "../examples/cli-common.js";

type Pattern = "train" | "validation";

const flags = new Command("soak")
  .description("train the VQ example's model for many steps in one synchronous loop and watch the heap")
  .option("--steps <n>", "training steps per pattern", integer(1), 100_000)
  .option("--every <n>", "steps between heap readings", integer(1), 10_000)
  .addOption(new Option("--pattern <name>", "loop pattern: train, validation (plus a validation loss never backwarded) or both").choices(["train", "validation", "both"]).default("both"))
  .parse()
  .opts<{ steps: number; every: number; pattern: Pattern | "both" }>();

const gc = collector();
/** MB of heap after a full collection, read without leaving the job: the loop stays synchronous throughout. */
const heapMB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

function soak(pattern: Pattern): void {
  const rng = new Rng(1);
  const data = gaussianMixture({ rng: rng.split() }).x;
  const validation = gaussianMixture({ rng: rng.split(), count: 128 }).x;
  const quantizer = new VectorQuantizer({ numCodes: 32, dim: 8, ema: true, restartDeadCodes: true, rng: rng.split() });
  const model = new VQAutoencoder(16, 64, 8, quantizer, rng.split());
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const batchRng = rng.split();
  const batchSize = 128;
  const perEpoch = Math.floor(data.shape[0] / batchSize);
  let order = shuffled(data.shape[0], batchRng);

  const step = (i: number): number => {
    if (i % perEpoch === 0) order = shuffled(data.shape[0], batchRng);
    const slot = i % perEpoch;
    const batch = rows(data, order.subarray(slot * batchSize, (slot + 1) * batchSize));
    optimizer.zeroGrad();
    const out = model.trainingStep(batch, i);
    out.loss.backward();
    optimizer.step();
    if (pattern === "validation") {
      model.eval();
      mseLoss(model.decoder.forward(model.quantizer.forward(model.encoder.forward(validation)).quantized), validation).item();
      model.train();
    }
    return out.loss.item();
  };

  const readings: { step: number; heapMB: number; rssMB: number; loss: number; seconds: number }[] = [];
  const started = performance.now();
  let loss = NaN;
  for (let i = 0; i < 200; i++) loss = step(i); // warm up: optimizer state, JIT
  readings.push({ step: 200, heapMB: heapMB(), rssMB: process.memoryUsage().rss / 2 ** 20, loss, seconds: 0 });
  let peakRssMB = readings[0].rssMB; // sampled again every 500 steps
  for (let i = 200; i < flags.steps; i++) {
    loss = step(i);
    if ((i + 1) % 500 === 0) peakRssMB = Math.max(peakRssMB, process.memoryUsage().rss / 2 ** 20);
    if ((i + 1) % flags.every === 0 || i + 1 === flags.steps) {
      readings.push({ step: i + 1, heapMB: heapMB(), rssMB: process.memoryUsage().rss / 2 ** 20, loss, seconds: (performance.now() - started) / 1000 });
    }
  }

  console.log(`\npattern: ${pattern}`);
  console.table(readings.map((r) => ({ step: r.step, "heap MB": +r.heapMB.toFixed(2), "RSS MB": +r.rssMB.toFixed(1), loss: +r.loss.toFixed(4), seconds: +r.seconds.toFixed(1) })));
  const first = readings[0], last = readings[readings.length - 1];
  const maxHeap = Math.max(...readings.map((r) => r.heapMB));
  console.log(`${pattern}: ${flags.steps} steps in ${last.seconds.toFixed(0)} s: heap ${first.heapMB.toFixed(2)} → ${last.heapMB.toFixed(2)} MB (growth ${(last.heapMB - first.heapMB).toFixed(2)} MB, max ${maxHeap.toFixed(2)} MB), peak RSS ${peakRssMB.toFixed(0)} MB`);
}

for (const pattern of flags.pattern === "both" ? (["train", "validation"] as const) : [flags.pattern]) soak(pattern);
