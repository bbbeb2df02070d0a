// The docs stay true. Every ```ts snippet of README.md and docs/*.md that imports gumbelgrad runs
// against the source, and prints exactly the ```text block shown under it (where there is one).
// docs/ops.md names every registered op; the README stays short and links every guide; every
// relative link (and #anchor) in the docs points at something that exists.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { registry } from "../src/index.js";

const guides = readdirSync("docs").filter((name) => name.endsWith(".md")).sort().map((name) => join("docs", name));
const pages = ["README.md", ...guides];
const text = new Map(pages.map((page) => [page, readFileSync(page, "utf8")]));

/** 1-based line number of a character offset. */
const lineAt = (source: string, offset: number) => source.slice(0, offset).split("\n").length;

interface Snippet { page: string; line: number; code: string; output: string | null }

/** Each snippet that imports gumbelgrad, with the output block that follows it (null when none does). */
const snippets: Snippet[] = pages.flatMap((page) => {
  const source = text.get(page)!;
  return [...source.matchAll(/```ts\n([\s\S]*?)```[ \t]*\n(?:\s*```text\n([\s\S]*?)```)?/g)]
    .map((m) => ({ page, line: lineAt(source, m.index!), code: m[1], output: m[2] ?? null }))
    .filter((s) => /from\s+"gumbelgrad(\/node)?"/.test(s.code));
});

// Snippets run against src/, never a build: the package's own names are rewritten to the entry files.
const entries: Record<string, string> = {
  gumbelgrad: pathToFileURL(resolve("src/index.ts")).href,
  "gumbelgrad/node": pathToFileURL(resolve("src/node/index.ts")).href,
};
const fromSource = (code: string) =>
  code.replace(/(\bfrom\s+|\bimport\s*\(\s*)"(gumbelgrad(?:\/node)?)"/g, (_, lead: string, name: string) => `${lead}"${entries[name]}"`);

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

const docs = suite("docs");

// Snippet files go in a folder of this run's own under .snippets/, and only that folder is removed:
// a file this run did not make must survive it.
let dir = "";
const someoneElses = join(".snippets", `kept-${process.pid}.txt`);
docs.before(() => {
  mkdirSync(".snippets", { recursive: true });
  dir = mkdtempSync(join(".snippets", "run-"));
  writeFileSync(someoneElses, "not this run's");
});
docs.after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(someoneElses, { force: true });
});

docs("the README and every guide have their snippets found", () => {
  assert.ok(snippets.length >= 15, `found ${snippets.length} snippets`);
  const without = ["README.md", "docs/autodiff.md", "docs/gradient-checking.md", "docs/gumbel.md", "docs/choosing-tau.md", "docs/vq.md"]
    .filter((page) => !snippets.some((s) => s.page === page));
  assert.equal(without, [], `no runnable snippet found in ${without.join(", ")}`);
});

docs("the import rewrite points the package's names at src/", () => {
  const code = 'import { tensor } from "gumbelgrad";\nimport { loadParameters } from "gumbelgrad/node";\nconst m = await import("gumbelgrad");';
  const rewritten = fromSource(code);
  assert.not.match(rewritten, /"gumbelgrad/);
  assert.ok(rewritten.includes(`from "${entries.gumbelgrad}"`) && rewritten.includes(`from "${entries["gumbelgrad/node"]}"`));
  assert.ok(rewritten.includes(`import("${entries.gumbelgrad}")`));
});

for (const [i, { page, line, code, output }] of snippets.entries()) {
  docs(`${page}:${line} runs${output === null ? "" : " and prints what is shown under it"}`, async () => {
    const file = join(dir, `snippet-${i}.ts`);
    writeFileSync(file, `// ${page}, the snippet at line ${line}\n${fromSource(code)}`);
    let stdout: string;
    try {
      stdout = await printed(file);
    } catch (err) {
      throw new Error(`${page}, the snippet at line ${line}, throws: ${(err as Error).stack ?? err}\n${code}`);
    }
    if (output !== null) assert.fixture(stdout.trim(), output.trim(), `${page}, the snippet at line ${line}, prints something else:\n${code}`);
  });
}

docs("the snippet run removes only its own folder", () => {
  rmSync(dir, { recursive: true, force: true });
  assert.not.ok(existsSync(dir), "the run's own folder is still there");
  assert.ok(existsSync(someoneElses), "the snippet run removed a file it did not create");
});

docs("the op table in docs/ops.md names every registered op", () => {
  const rows = text.get("docs/ops.md")!.split("\n").filter((l) => l.startsWith("|")).join("\n");
  const missing = registry.map((s) => s.name).filter((name) => !rows.includes(`\`${name}`));
  assert.equal(missing, [], `missing from the op table in docs/ops.md: ${missing.join(", ")}`);
});

docs("the README stays short and links every guide", () => {
  const readme = text.get("README.md")!;
  const lines = readme.split("\n").length;
  assert.ok(lines < 300, `README.md has ${lines} lines; keep it under 300 and move long sections into docs/`);
  const targets = new Set(linksIn(readme).map((l) => l.target.split("#")[0]));
  const unlinked = guides.filter((g) => !targets.has(g));
  assert.equal(unlinked, [], `README.md does not link ${unlinked.join(", ")}`);
});

/** GitHub's anchor for a heading: formatting dropped, lowercase, punctuation dropped, spaces to '-'. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link keeps its text
    .replace(/[`*]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a page's headings, with GitHub's -1, -2 … for repeated ones. */
function anchorsOf(source: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of withoutFences(source).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const blank = (s: string) => s.replace(/[^\n]/g, " ");

/** The page with its fenced blocks blanked (same length, so offsets keep their lines). */
const withoutFences = (source: string) => source.replace(/^```[\s\S]*?^```/gm, blank);

/** The page with fenced blocks and inline code blanked. */
const withoutCode = (source: string) => withoutFences(source).replace(/`[^`\n]*`/g, blank);

/** The links of a page that point inside the repository: [text](target) and ![alt](target). */
function linksIn(source: string): { target: string; line: number }[] {
  return [...withoutCode(source).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => ({ target: m[1], line: lineAt(source, m.index!) }))
    .filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.target));
}

docs("GitHub's anchors are computed as GitHub does", () => {
  assert.is(slug("A first model, its gradient, and a gradient check"), "a-first-model-its-gradient-and-a-gradient-check");
  assert.is(slug("Choosing τ, measured"), "choosing-τ-measured");
  assert.is(slug('"Is `y_hard − y_soft.detach() + y_soft` correct?"'), "is-y_hard--y_softdetach--y_soft-correct");
  assert.is(slug("The example: `npm start`"), "the-example-npm-start");
  assert.equal([...anchorsOf("# A\n## References\n```\n# not a heading\n```\n## References\n")], ["a", "references", "references-1"]);
});

docs("every relative link in the docs points at a file, and every #anchor at a heading", () => {
  const broken: string[] = [];
  for (const page of pages) {
    for (const { target, line } of linksIn(text.get(page)!)) {
      const [path, anchor] = target.split("#") as [string, string | undefined];
      const file = path === "" ? page : join(dirname(page), decodeURI(path));
      if (!existsSync(file)) {
        broken.push(`${page}:${line}: ${target} (no file ${file})`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!file.endsWith(".md") || statSync(file).isDirectory()) {
        broken.push(`${page}:${line}: ${target} (an anchor into a file that is not Markdown)`);
        continue;
      }
      const source = text.get(file) ?? readFileSync(file, "utf8");
      if (!anchorsOf(source).has(decodeURIComponent(anchor))) broken.push(`${page}:${line}: ${target} (no heading #${anchor} in ${file})`);
    }
  }
  assert.equal(broken, [], `broken links:\n${broken.join("\n")}`);
});

docs.run();
