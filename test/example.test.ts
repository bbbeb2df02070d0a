// The example end to end in a short mode: flags, training, the comparison, summary.json and the report.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../examples/vq/main.js";
import { captured } from "./capture.js";

/** Runs main with stdout and stderr captured. */
const run = (argv: string[]) => captured(main, argv);

const FIELDS = ["distortion", "kmeansDistortion", "usage", "perplexity", "steps", "seconds"];

const example = suite("example: vq-codebook");

example("a short run of every quantizer writes summary.json and the report", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vq-example-"));
  const { code, stdout } = await run(["--steps", "12", "--points", "512", "--codes", "8", "--seed", "3", "--out", dir]);
  assert.is(code, 0);
  const summary = JSON.parse(await readFile(join(dir, "summary.json"), "utf8"));
  assert.equal(Object.keys(summary), ["st", "ema", "restart", "gumbel", "kmeans"]);
  for (const [name, entry] of Object.entries<Record<string, number>>(summary)) {
    assert.equal(Object.keys(entry), FIELDS, name);
    for (const f of FIELDS) assert.ok(Number.isFinite(entry[f]), `${name}.${f} = ${entry[f]}`);
    assert.is(entry.kmeansDistortion, summary.kmeans.distortion, `${name} is compared with the same k-means`);
    assert.ok(entry.usage > 0 && entry.usage <= 1, `${name}.usage`);
    assert.ok(entry.perplexity >= 1 && entry.perplexity <= 8 + 1e-9, `${name}.perplexity`);
    if (name !== "kmeans") {
      assert.is(entry.steps, 12);
      assert.ok(entry.distortion >= 0.5 * entry.kmeansDistortion, `${name}: a learned 8-code quantizer cannot beat k-means by half`);
    }
  }
  assert.match(stdout, /\| ST \+ EMA \+ restarts\s+\|\s+\d/); // its row of the closing table
  assert.match(stdout, /epoch\s+1\s+loss/);
  const files = await readdir(dir);
  for (const f of ["summary.json", "report.html", "loss-curves.svg", "codebook-usage.svg", "codes-2d.svg"]) assert.ok(files.includes(f), `${f} written`);
  const svg = await readFile(join(dir, "codebook-usage.svg"), "utf8");
  assert.ok(svg.startsWith("<svg") && svg.includes("</svg>"));
  assert.ok((await readFile(join(dir, "report.html"), "utf8")).includes("k-means (Lloyd)"));
});

example("--data digits trains on the shipped digits and draws reconstructions", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vq-digits-"));
  const { code, stdout } = await run(["--data", "digits", "--quantizer", "restart", "--steps", "8", "--codes", "10", "--out", dir]);
  assert.is(code, 0);
  assert.match(stdout, /data: digits, 1797 × 64/);
  const summary = JSON.parse(await readFile(join(dir, "summary.json"), "utf8"));
  assert.equal(Object.keys(summary), ["restart", "kmeans"]);
  assert.ok((await readdir(dir)).includes("reconstructions.svg"));
});

example("--help prints the usage and exits 0", async () => {
  const { code, stdout } = await run(["--help"]);
  assert.is(code, 0);
  for (const flag of ["--steps", "--codes", "--quantizer", "--data", "--seed", "--out", "--help"]) assert.match(stdout, flag);
});

example.run();
