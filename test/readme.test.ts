// The README stays true: its TypeScript snippets run, and its op table names every registered op.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { registry } from "../src/index.js";

const readme = readFileSync("README.md", "utf8");
const docs = suite("README");

docs("every ```ts snippet that imports gumbelgrad runs without error", () => {
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes('from "gumbelgrad"'));
  assert.ok(snippets.length >= 3, `found ${snippets.length} snippets`);
  // Inside the repository, so that "gumbelgrad" resolves to this package by its own name.
  const dir = ".snippets";
  mkdirSync(dir, { recursive: true });
  try {
    snippets.forEach((code, i) => {
      const file = join(dir, `snippet-${i}.ts`);
      writeFileSync(file, code);
      const r = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8" });
      assert.is(r.status, 0, `snippet ${i} failed:\n${code}\n${r.stderr}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

docs("the op table names every registered op", () => {
  const table = readme.slice(readme.indexOf("## Ops"), readme.indexOf("## ", readme.indexOf("## Ops") + 5));
  const missing = registry.map((s) => s.name).filter((name) => !table.includes(`\`${name}`));
  assert.equal(missing, [], `missing from the README's op table: ${missing.join(", ")}`);
});

docs.run();
