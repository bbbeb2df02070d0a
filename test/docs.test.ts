// The README stays true: every ```ts snippet that imports gumbelgrad runs, and prints exactly the
// ```text block shown under it (where there is one); the op table names every registered op.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { registry } from "../src/index.js";

const readme = readFileSync("README.md", "utf8");

/** Each snippet with the output block that follows it (null when none does). */
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```\s*(?:```text\n([\s\S]*?)```)?/g)]
  .map((m) => ({ code: m[1], output: m[2] ?? null }))
  .filter((s) => s.code.includes('from "gumbelgrad"'));

/** Imports a module and returns what it printed with console.log. */
async function printed(file: string): Promise<string> {
  let out = "";
  const log = console.log;
  console.log = (...args: unknown[]) => { out += format(...args) + "\n"; };
  try {
    await import(pathToFileURL(resolve(file)).href);
  } finally {
    console.log = log;
  }
  return out;
}

const docs = suite("README");

docs("every snippet runs and prints the output shown under it", async () => {
  assert.ok(snippets.length >= 12, `found ${snippets.length} snippets`);
  // Inside the repository, so that "gumbelgrad" resolves to this package by its own name; in a
  // folder of this run's own, so that only what this run wrote is removed afterwards.
  mkdirSync(".snippets", { recursive: true });
  const dir = mkdtempSync(join(".snippets", "run-"));
  const someoneElses = join(".snippets", `kept-${process.pid}.txt`); // a file this run did not make must survive it
  writeFileSync(someoneElses, "not this run's");
  try {
    for (const [i, { code, output }] of snippets.entries()) {
      const file = join(dir, `snippet-${i}.ts`);
      writeFileSync(file, code);
      const stdout = await printed(file);
      if (output !== null) assert.fixture(stdout.trim(), output.trim(), `snippet ${i} prints something else:\n${code}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(existsSync(someoneElses), "the snippet run removed a file it did not create");
  rmSync(someoneElses);
});

docs("the op table names every registered op", () => {
  const start = readme.indexOf("## Ops");
  const table = readme.slice(start, readme.indexOf("\n## ", start + 5));
  const missing = registry.map((s) => s.name).filter((name) => !table.includes(`\`${name}`));
  assert.equal(missing, [], `missing from the README's op table: ${missing.join(", ")}`);
});

docs.run();
