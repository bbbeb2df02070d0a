// Runs every test/**/*.test.ts with uvu in one process, then prints one plain closing line,
// `tests: N passed, N failed`, and exits non-zero on any failure.
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { run } from "uvu/run";

function findTests(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

const filter = process.argv[2];
const files = findTests(resolve("test")).filter((f) => !filter || f.includes(filter));

// uvu prints its own summary; keep a copy of what it writes so the totals can be read back.
let printed = "";
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  printed += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
  return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

let loadFailed = false;
try {
  await run(files.map((file) => ({ name: file.slice(resolve(".").length + 1), file })));
} catch (err) {
  loadFailed = true;
  console.error(err);
}
process.stdout.write = write;

const plain = printed.replace(/\x1b\[[0-9;]*m/g, "");
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const failed = total - passed + (loadFailed ? 1 : 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || total === 0 || process.exitCode ? 1 : 0;
