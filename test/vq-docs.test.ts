// docs/vq.md stays true: every ```ts snippet runs, and prints exactly the ```text block after it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const doc = readFileSync("docs/vq.md", "utf8");
const snippets = [...doc.matchAll(/```ts\n([\s\S]*?)```\s*(?:```text\n([\s\S]*?)```)?/g)].map((m) => ({ code: m[1], output: m[2] ?? null }));

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

const test = suite("docs/vq.md");

test("every snippet runs and prints the output shown under it", async () => {
  assert.ok(snippets.length >= 3, `found ${snippets.length} snippets`);
  // Inside the repository, so that "gumbelgrad" resolves to this package by its own name.
  const dir = ".snippets-vq";
  mkdirSync(dir, { recursive: true });
  try {
    for (const [i, { code, output }] of snippets.entries()) {
      const file = join(dir, `snippet-${i}.ts`);
      writeFileSync(file, code);
      const stdout = await printed(file);
      assert.ok(output !== null, `snippet ${i} shows no output`);
      assert.fixture(stdout.trim(), output!.trim(), `snippet ${i} prints something else`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
