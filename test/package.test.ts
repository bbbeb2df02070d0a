// The package as a user gets it: `npm pack`, installed from the tarball into a fresh project with
// nothing else, then used from plain ESM, CommonJS, TypeScript under strict flags (both module
// resolutions), the `gumbelgrad` command, and a browser bundle. The expected values are computed
// here from the source, so the build is checked against it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { Rng, grad, gumbelSoftmax, mul, sum, tensor, type Tensor } from "../src/index.js";

const repo = resolve(".");
const tsc = join(repo, "node_modules/typescript/bin/tsc");
const esbuild = join(repo, "node_modules/.bin/esbuild");

interface Packed { dir: string; tarball: string; files: string[] }
let packed: Packed | null = null;

/** Packs the repository once (this runs the build) and installs the tarball into a fresh project. */
function consumer(): Packed {
  if (packed) return packed;
  const dir = mkdtempSync(join(tmpdir(), "gumbelgrad-consumer-"));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [info] = JSON.parse(out.slice(out.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  const tarball = join(dir, info.filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  execFileSync("npm", ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  packed = { dir, tarball, files: info.files.map((f) => f.path) };
  return packed;
}

/** Runs node on a file written into the consumer project; returns its stdout. */
function runIn(dir: string, file: string, source: string): string {
  writeFileSync(join(dir, file), source);
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8" });
  assert.is(r.status, 0, `${file} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** What the consumer scripts print, computed here from the source. */
function expected(): string {
  const y = gumbelSoftmax(tensor([[1, 2, 3]]), { tau: 0.5, rng: new Rng(7) });
  const g = grad((x: Tensor) => sum(mul(x, x)))(tensor([1, 2, 3])) as Tensor;
  return JSON.stringify([y.toArray(), g.toArray()]);
}

const SCRIPT_BODY = `
const y = gg.gumbelSoftmax(gg.tensor([[1, 2, 3]]), { tau: 0.5, rng: new gg.Rng(7) });
const g = gg.grad((x) => gg.sum(gg.mul(x, x)))(gg.tensor([1, 2, 3]));
console.log(JSON.stringify([y.toArray(), g.toArray()]));
`;

const pkg = suite("the package, installed from its tarball");
pkg.after(() => {
  if (packed) rmSync(packed.dir, { recursive: true, force: true });
});

pkg("the tarball holds the build, the data, the docs and the licence; no tests, bench, site or CI", () => {
  const { files } = consumer();
  for (const f of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "bin/gumbelgrad.js", "data/digits.csv.gz",
    "dist/index.js", "dist/index.d.ts", "dist/index.d.ts.map", "dist/index.js.map", "dist/node/index.js", "dist/node/index.d.ts", "dist/cli/check.js"]) {
    assert.ok(files.includes(f), `the tarball lacks ${f}`);
  }
  const unwanted = files.filter((f) => /^(test|bench|site|\.ci|examples|scripts|out|node_modules)\//.test(f) || f.endsWith(".test.ts"));
  assert.equal(unwanted, [], "files that do not belong in the package");
});

pkg("plain ESM: `import … from \"gumbelgrad\"` runs and prints the source's values", () => {
  const { dir } = consumer();
  assert.is(runIn(dir, "app.mjs", `import * as gg from "gumbelgrad";\n${SCRIPT_BODY}`), expected());
});

pkg("CommonJS: `require(\"gumbelgrad\")` runs and prints the same", () => {
  const { dir } = consumer();
  assert.is(runIn(dir, "app.cjs", `const gg = require("gumbelgrad");\n${SCRIPT_BODY}`), expected());
});

pkg("gumbelgrad/node loads, and its parameter files round-trip", () => {
  const { dir } = consumer();
  const out = runIn(dir, "files.mjs", `
import { MLP, Rng, stateDict } from "gumbelgrad";
import { loadParameters, saveParameters } from "gumbelgrad/node";
const a = new MLP([2, 3, 1], { rng: new Rng(1) }), b = new MLP([2, 3, 1], { rng: new Rng(2) });
await saveParameters(a, "model.safetensors");
await loadParameters(b, "model.safetensors");
console.log(JSON.stringify(stateDict(a)) === JSON.stringify(stateDict(b)));
`);
  assert.is(out, "true");
});

/** A TypeScript consumer that uses the API the way the README does, under the strictest common flags. */
const CONSUMER_TS = `
import { Adam, MLP, Rng, gradcheck, gumbelSoftmax, straightThrough, tensor, type Tensor, type GradcheckReport } from "gumbelgrad";
import { saveParameters } from "gumbelgrad/node";

const rng = new Rng(3);
const model = new MLP([4, 8, 3], { rng });
const opt = new Adam(model.parameters(), { lr: 1e-3 });
const logits: Tensor = model.forward(tensor([[0.1, 0.2, 0.3, 0.4]]));
const y = gumbelSoftmax(logits, { tau: 0.5, hard: true, rng });
y.sum().backward();
opt.step();
const report: GradcheckReport = gradcheck((x) => straightThrough(x.detach(), x).mul(2), [tensor([1, 2], { requiresGrad: true })]);
const first: number | undefined = report.inputs[0]?.maxAbsError;
export const done: Promise<void> = saveParameters(model, "m.safetensors");
export { first };
`;

for (const resolution of ["nodenext", "bundler"] as const) {
  pkg(`tsc --noEmit passes in the consumer: strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, moduleResolution ${resolution}`, () => {
    const { dir } = consumer();
    writeFileSync(join(dir, "consumer.ts"), CONSUMER_TS);
    const config = {
      compilerOptions: {
        target: "ES2022", module: resolution === "nodenext" ? "nodenext" : "esnext", moduleResolution: resolution,
        strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false, types: [],
      },
      files: ["consumer.ts"],
    };
    writeFileSync(join(dir, `tsconfig.${resolution}.json`), JSON.stringify(config));
    const r = spawnSync(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], { cwd: dir, encoding: "utf8" });
    assert.is(r.status, 0, `tsc (${resolution}) reported:\n${r.stdout}${r.stderr}`);
  });
}

pkg("`npx gumbelgrad check matmul` works in the consumer, where no tsx is installed", () => {
  const { dir } = consumer();
  assert.not.ok(existsSync(join(dir, "node_modules/tsx")), "tsx must not be in the consumer");
  const r = spawnSync("npx", ["--no-install", "gumbelgrad", "check", "matmul"], { cwd: dir, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /│ matmul\s+│/);
  assert.match(r.stdout, /1 ops, \d+ samples checked in [0-9.]+ s: all passed/);
});

pkg("esbuild bundles the root entry for the browser, with no node: import", () => {
  const { dir } = consumer();
  writeFileSync(join(dir, "browser.mjs"), `import { tensor, gumbelSoftmax } from "gumbelgrad";\nconsole.log(gumbelSoftmax(tensor([1, 2, 3]), { tau: 0.5 }).toArray());\n`);
  const r = spawnSync(esbuild, ["browser.mjs", "--bundle", "--platform=browser", "--format=esm", "--minify", "--outfile=bundle.js", "--log-level=warning"], { cwd: dir, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const bundle = readFileSync(join(dir, "bundle.js"));
  assert.not.match(bundle.toString(), /from"node:|require\("node:/, "the browser bundle imports a Node module");
  const kb = (n: number) => (n / 1024).toFixed(1);
  console.log(`  browser bundle of tensor + gumbelSoftmax: ${kb(bundle.length)} kB minified, ${kb(gzipSync(bundle).length)} kB gzip`);
});

pkg.run();
