// docs/estimators.md stays true: its snippet runs and prints exactly the ```text block after it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { resolve, join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const doc = readFileSync("docs/estimators.md", "utf8");
const snippets = [...doc.matchAll(/```ts\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/g)].map((m) => ({ code: m[1], output: m[2] }));

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

const test = suite("docs/estimators.md");

test("the snippet that measures your own estimator prints the output shown under it", async () => {
  assert.is(snippets.length, 1);
  // Inside the repository, so that "gumbelgrad" resolves to this package by its own name.
  const dir = ".snippets-estimators";
  mkdirSync(dir, { recursive: true });
  try {
    for (const [i, { code, output }] of snippets.entries()) {
      const file = join(dir, `snippet-${i}.ts`);
      writeFileSync(file, code);
      assert.fixture((await printed(file)).trim(), output.trim(), `snippet ${i} prints something else`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
