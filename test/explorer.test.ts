// The explorer page in a real browser: Vite builds site/ into a temporary folder, a static server on
// 127.0.0.1 serves it, and Debian's Chromium, driven by playwright-core, opens it headless. The page
// publishes the numbers it plots on window.__explorer; the tests read those, not chart pixels.
// Screenshots of each panel go to out/screenshots/.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run",
];
const SCREENSHOTS = resolve("out/screenshots");
const PANELS = ["gumbel-max", "temperature", "gradients", "codebook", "estimators"];

interface Session {
  dir: string;
  server: Server;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Requests that tried to leave the loopback interface (the page must work offline). */
  offLoopback: string[];
}

let starting: Promise<Session> | null = null;

/** The one page all tests share: built, served and opened on first use. */
function session(): Promise<Session> {
  starting ??= start();
  return starting;
}

async function start(): Promise<Session> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Debian's Chromium at ${CHROMIUM}, but it is missing: run \`apt-get install -y chromium\` (as root; .ci/run does this)`);
  }
  const dir = await mkdtemp(join(tmpdir(), "explorer-"));
  await build({ configFile: resolve("site/vite.config.ts"), logLevel: "error", build: { outDir: dir, emptyOutDir: true } });
  const server = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  const offLoopback: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:") return route.continue();
    offLoopback.push(url.href);
    return route.abort();
  });
  const { port } = server.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/index.html`);
  await page.waitForFunction(() => window.__explorer?.ready === true, undefined, { timeout: 15_000 });
  return { dir, server, browser, page, errors, offLoopback };
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml" };

/** A static file server for the built site, on loopback only, on a free port. */
function serve(root: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
    try {
      if (!path.startsWith(root)) throw new Error("outside the site");
      const body = await readFile(path);
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

async function stop(): Promise<void> {
  if (!starting) return;
  const s = await starting.catch(() => null);
  if (!s) return;
  await s.browser.close();
  await new Promise((done) => s.server.close(done));
  await rm(s.dir, { recursive: true, force: true });
}

const explorer = suite("explorer page in Chromium");
explorer.after(stop);

explorer("the page loads with every panel, no console errors and no request off loopback", async () => {
  const { page, errors, offLoopback } = await session();
  for (const id of PANELS) assert.ok(await page.locator(`#${id} svg`).count() > 0, `panel ${id} has no chart`);
  assert.ok(await page.title().then((t) => t.includes("gumbelgrad")));
  assert.equal(errors, [], "console errors");
  assert.equal(offLoopback, [], "requests that left 127.0.0.1");
});

explorer("every control has a label", async () => {
  const { page } = await session();
  const unlabelled = await page.$$eval("input, select, button", (controls) =>
    controls.filter((c) => (c as HTMLInputElement).labels?.length === 0 && !c.textContent?.trim()).map((c) => c.outerHTML));
  assert.equal(unlabelled, []);
});

explorer("moving the τ slider by keyboard changes the plotted y", async () => {
  const { page } = await session();
  const plotted = () => page.evaluate(() => window.__explorer.temperature!.plottedY());
  const tau = page.locator('[data-control="tau"]');
  const settle = (expected: number) => page.waitForFunction((t) => {
    const h = window.__explorer.temperature!;
    return Math.abs(h.tau - t) < 1e-9 && h.plottedY().length > 0;
  }, expected);
  await tau.focus();
  await page.keyboard.press("Home");
  await settle(0.01);
  await page.waitForTimeout(100); // a frame for the chart to take the new rows
  const cold = await plotted();
  await page.keyboard.press("End");
  await settle(10);
  await page.waitForFunction((before) => JSON.stringify(window.__explorer.temperature!.plottedY()) !== before, JSON.stringify(cold));
  const hot = await plotted();
  assert.ok(Math.max(...cold) > 0.99, `at τ = 0.01 y should be one-hot, got ${cold}`);
  assert.ok(Math.max(...hot) < 0.5, `at τ = 10 y should be near-uniform, got ${hot}`);
  assert.ok(Math.abs(hot.reduce((a, b) => a + b, 0) - 1) < 1e-9, "y lies on the simplex");
  await page.keyboard.press("ArrowLeft"); // and the arrow keys step it
  await page.waitForFunction(() => window.__explorer.temperature!.tau < 10);
});

explorer("the Gumbel-max histogram approaches π: total variation < 0.05 after 20,000 samples", async () => {
  const { page } = await session();
  await page.getByLabel("20,000").check();
  await page.waitForFunction(() => window.__explorer.gumbelMax?.drawn === 20_000, undefined, { timeout: 20_000 });
  const h = await page.evaluate(() => window.__explorer.gumbelMax!);
  assert.is(h.target, 20_000);
  assert.ok(h.totalVariation < 0.05, `total variation ${h.totalVariation}`);
  assert.ok(Math.abs(h.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  // a negative control: the frequencies are not just any distribution, π is far from uniform here
  const uniformDistance = 0.5 * h.frequencies.reduce((s, f) => s + Math.abs(f - 0.25), 0);
  assert.ok(uniformDistance > 0.1, `frequencies should not look uniform (distance ${uniformDistance})`);
});

explorer("the gradient panel's exact gradient is the closed form π ⊙ (f − π·f) for the chosen weights", async () => {
  const { page } = await session();
  const h = await page.evaluate(() => ({ g: window.__explorer.gradients!, pi: window.__explorer.gumbelMax!.probabilities }));
  const f = [1, -1, 2, 0.5].map((w) => w * w); // f(one_hot(c)) = w_c² for the default f(y) = (w·y)²
  const mean = h.pi.reduce((s, p, i) => s + p * f[i], 0);
  h.pi.forEach((p, i) => assert.ok(Math.abs(h.g.exact[i] - p * (f[i] - mean)) < 1e-9, `component ${i}`));
  assert.is(h.g.soft.length, 4);
  assert.is(h.g.straightThrough.length, 4);
});

/** Trains the codebook for at least `steps` steps with the current switches, then pauses; returns usage before and after. */
async function train(page: Page, steps: number): Promise<{ before: number; after: number; steps: number }> {
  await page.locator('[data-control="reset"]').click();
  const before = await page.evaluate(() => window.__explorer.codebook!);
  assert.is(before.step, 0, "reset starts at step 0");
  const start = page.locator('[data-control="start"]');
  await start.click();
  // Counted in steps, not in seconds, so that a slow machine runs the same training.
  await page.waitForFunction((n) => window.__explorer.codebook!.step >= n, steps, { timeout: 60_000 });
  await start.click(); // pause
  const after = await page.evaluate(() => window.__explorer.codebook!);
  assert.is(after.running, false);
  return { before: before.usage, after: after.usage, steps: after.step };
}

explorer("a collapsed codebook stays collapsed without restarts, and its usage rises within 40 steps with them", async () => {
  const { page } = await session();
  await page.getByLabel("straight-through (gradient)").check();
  const collapsed = await train(page, 40);
  assert.ok(collapsed.after <= 0.25, `without restarts usage should stay low, got ${collapsed.after} after ${collapsed.steps} steps`);
  await page.getByLabel("dead-code restarts").check();
  const restarted = await train(page, 40);
  assert.ok(restarted.before <= 0.25, `the codebook starts collapsed, usage ${restarted.before}`);
  assert.ok(restarted.after >= restarted.before + 0.5, `usage ${restarted.before} → ${restarted.after} after ${restarted.steps} steps`);
  const paused = await page.evaluate(() => window.__explorer.codebook!.step);
  await page.waitForTimeout(200);
  assert.is(await page.evaluate(() => window.__explorer.codebook!.step), paused, "Pause stops training");
});

explorer("the estimator table fills in the page: GS bias falls and variance rises as τ falls", async () => {
  const { page } = await session();
  await page.locator('[data-control="compute-table"]').click();
  await page.waitForFunction(() => window.__explorer.estimators?.done === true, undefined, { timeout: 20_000 });
  const rows = await page.evaluate(() => window.__explorer.estimators!.rows as { estimator: string; tau: number | null; bias: number; variance: number }[]);
  assert.is(rows.length, 26);
  assert.is(await page.locator("#estimators tbody tr").count(), 26);
  const gs = (tau: number) => rows.find((r) => r.estimator === "GS" && r.tau === tau)!;
  // at τ = 0.1 the bias of 100 samples is mostly noise (its floor is ≈ 0.38), so compare τ = 1 with τ = 5
  assert.ok(gs(1).bias < gs(5).bias, `GS bias at τ 1 (${gs(1).bias}) vs τ 5 (${gs(5).bias})`);
  assert.ok(gs(0.1).variance > gs(5).variance, `GS variance at τ 0.1 (${gs(0.1).variance}) vs τ 5 (${gs(5).variance})`);
});

explorer("a screenshot of each panel is saved", async () => {
  const { page, errors } = await session();
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const id of PANELS) {
    const path = join(SCREENSHOTS, `${id}.png`);
    await page.locator(`#${id}`).screenshot({ path });
    assert.ok((await readFile(path)).length > 5_000, `${path} looks empty`);
  }
  assert.equal(errors, [], "console errors during the tests");
});

explorer.run();
