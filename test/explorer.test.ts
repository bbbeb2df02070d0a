// The explorer page in a real browser, as a first-time reader meets it: Vite builds site/ into a
// temporary folder, a static server on 127.0.0.1 publishes it under a sub-path, and headless Chromium
// (test/browser.ts) opens it on a phone (390 × 844) and on a desktop (1280 × 900). The page publishes
// the numbers it plots on window.__explorer; the tests read those, not chart pixels. A screenshot of
// each width goes to out/screenshots/.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { Rng, codebookProblem, compareEstimators, expDecayTau, scoreFunctionEstimator } from "../src/index.js";
import { launchChromium } from "./browser.js";

const SCREENSHOTS = resolve("out/screenshots");
/** The site is published below a sub-path, as it would be on a project page: nothing may assume "/". */
const SUB_PATH = "/gumbelgrad/explorer/";
const VIEWPORTS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];
const BUNDLE_LIMIT_GZIP = 150_000;
const LONG_TASK_LIMIT_MS = 200;

interface Site {
  dir: string;
  server: Server;
  url: string;
  browser: Browser;
}

interface Opened {
  width: number;
  page: Page;
  /** Console errors, failed loads and uncaught exceptions, in order. */
  errors: string[];
  /** Requests that tried to leave the loopback interface (the page must work offline). */
  offLoopback: string[];
  /** Durations of the long tasks from navigation until the start-up computations finished. */
  startupLongTasks: number[];
}

let site: Promise<Site> | null = null;
let opened: Promise<Opened> | null = null;

/** Built, served and with a browser running, on first use. */
function theSite(): Promise<Site> {
  site ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "explorer-"));
    await build({ configFile: resolve("site/vite.config.ts"), logLevel: "error", build: { outDir: dir, emptyOutDir: true } });
    const server = await serve(dir, SUB_PATH);
    const { port } = server.address() as AddressInfo;
    const { browser } = await launchChromium();
    return { dir, server, url: `http://127.0.0.1:${port}${SUB_PATH}`, browser };
  })();
  return site;
}

/** The page at one width, opened once; opening the next width closes the previous page. */
function pageAt(width: number): Promise<Opened> {
  const previous = opened;
  opened = (async () => {
    const old = await previous?.catch(() => null);
    if (old?.width === width) return old;
    await old?.page.context().close();
    return open(width);
  })();
  return opened;
}

async function open(width: number): Promise<Opened> {
  const { browser, url } = await theSite();
  const viewport = VIEWPORTS.find((v) => v.width === width)!;
  const page = await (await browser.newContext({ viewport })).newPage(); // axe-core needs a page of its own context
  const errors: string[] = [];
  const offLoopback: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  await page.route("**/*", (route) => {
    const target = new URL(route.request().url());
    if (target.hostname === "127.0.0.1" || target.protocol === "data:") return route.continue();
    offLoopback.push(target.href);
    return route.abort();
  });
  // Registered before any script of the page runs, so the first task is seen too.
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longTasks.push(e.duration); }).observe({ type: "longtask", buffered: true });
  });
  await page.goto(url);
  // Start-up ends when the page has built every panel and finished what it computes on load.
  await page.waitForFunction(() => {
    const h = window.__explorer;
    return h?.ready === true && h.estimators?.done === true && h.annealing?.done === true;
  }, undefined, { timeout: 60_000 });
  const startupLongTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice());
  return { width, page, errors, offLoopback, startupLongTasks };
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml" };

/** A static file server for the built site under `prefix`, on loopback only, on a free port. */
function serve(root: string, prefix: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    try {
      if (!pathname.startsWith(prefix)) throw new Error("outside the published folder");
      const relative = pathname.slice(prefix.length) || "index.html";
      const path = normalize(join(root, relative));
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
  await (await opened?.catch(() => null))?.page.context().close();
  const s = await site?.catch(() => null);
  if (!s) return;
  await s.browser.close();
  await new Promise((done) => s.server.close(done));
  await rm(s.dir, { recursive: true, force: true });
}

/** WCAG contrast ratio of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

const explorer = suite("explorer page in Chromium");
explorer.after(stop);

explorer("the built page is small: under 150 kB of JavaScript gzipped, with relative asset paths", async () => {
  const { dir } = await theSite();
  const assets = await readdir(join(dir, "assets"));
  const scripts = assets.filter((name) => name.endsWith(".js"));
  assert.ok(scripts.length > 0, "no JavaScript was built");
  let raw = 0;
  let gzipped = 0;
  for (const name of scripts) {
    const body = await readFile(join(dir, "assets", name));
    raw += body.length;
    gzipped += gzipSync(body).length;
  }
  assert.ok(gzipped < BUNDLE_LIMIT_GZIP, `JavaScript: ${raw} bytes, ${gzipped} gzipped`);
  const html = await readFile(join(dir, "index.html"), "utf8");
  assert.not.match(html, /(src|href)="\/(?!\/)/, "an absolute asset path would break under a sub-path");
});

for (const { width } of VIEWPORTS) {
  const at = `at ${width} px`;

  explorer(`${at}: the page loads from a sub-path with no console error and no request off loopback`, async () => {
    const { page, errors, offLoopback } = await pageAt(width);
    assert.ok(await page.title().then((t) => t.includes("gumbelgrad")));
    for (const id of ["no-gradient", "gumbel-max", "temperature", "estimators", "annealing", "straight-through", "lookup", "collapse"]) {
      assert.ok(await page.locator(`#${id} canvas`).count() > 0, `step ${id} has no chart`);
    }
    assert.equal(errors, [], "console errors");
    assert.equal(offLoopback, [], "requests that left 127.0.0.1");
  });

  explorer(`${at}: no task blocks the page for more than 200 ms at start`, async () => {
    const { startupLongTasks } = await pageAt(width);
    const worst = Math.max(0, ...startupLongTasks);
    assert.ok(worst <= LONG_TASK_LIMIT_MS, `long tasks at start (ms): ${startupLongTasks.map(Math.round).join(", ")}`);
  });

  explorer(`${at}: nothing scrolls sideways`, async () => {
    const { page } = await pageAt(width);
    const overflow = await page.evaluate(() => {
      const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5);
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth, wide: wide.slice(0, 5).map((e) => e.outerHTML.slice(0, 80)) };
    });
    assert.ok(overflow.scrollWidth <= overflow.innerWidth, `the page is ${overflow.scrollWidth} px wide in a ${overflow.innerWidth} px window`);
    assert.equal(overflow.wide, [], "elements reaching past the right edge");
  });

  explorer(`${at}: axe-core finds no accessibility violation`, async () => {
    const { page } = await pageAt(width);
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.equal(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`), []);
  });

  explorer(`${at}: charts speak a sentence, use text of 12 px or more, and marks of 3:1 contrast or more`, async () => {
    const { page } = await pageAt(width);
    assert.is(await page.locator("svg").count(), 0, "no graphic nodes of coordinates for screen readers");
    const canvases = await page.$$eval("canvas", (all) => all.map((c) => ({ role: c.getAttribute("role"), label: c.getAttribute("aria-label") ?? "" })));
    for (const c of canvases) {
      assert.is(c.role, "img");
      assert.ok(c.label.length > 10 && c.label.length < 400, `a chart's summary should be a sentence: "${c.label}"`);
    }
    const audits = await page.evaluate(() => window.__explorer.charts!());
    assert.is(audits.length, canvases.length, "every canvas is a chart the page made");
    for (const chart of audits) {
      assert.ok(Math.min(...chart.fontSizes) >= 12, `text below 12 px in "${chart.summary}"`);
      for (const c of chart.markColors) assert.ok(contrastOnWhite(c) >= 3, `mark colour ${c} (${contrastOnWhite(c).toFixed(2)}:1) in "${chart.summary}"`);
      for (const c of chart.textColors) assert.ok(contrastOnWhite(c) >= 4.5, `text colour ${c} (${contrastOnWhite(c).toFixed(2)}:1) in "${chart.summary}"`);
    }
  });

  explorer(`${at}: step 1, the sampled one-hot has zero derivative while its average has a slope`, async () => {
    const { page } = await pageAt(width);
    const h = await page.evaluate(() => window.__explorer.noGradient!);
    assert.equal(h.throughSample, [0, 0, 0, 0], "autodiff through the sample");
    assert.equal(h.finiteDifference, [0, 0, 0, 0], "nudging each logit does not move the sample");
    assert.ok(Math.max(...h.exact.map(Math.abs)) > 0.05, `the average's slope ${h.exact}`);
    assert.ok(new Set(h.staircase).size >= 2, "the sample jumps somewhere along ℓ₁: a staircase, not a constant");
  });

  explorer(`${at}: step 2, the Gumbel-max histogram approaches π: total variation < 0.05 after 20,000 samples`, async () => {
    const { page } = await pageAt(width);
    await page.getByRole("radio", { name: "20,000" }).check();
    await page.waitForFunction(() => window.__explorer.gumbelMax?.drawn === 20_000, undefined, { timeout: 20_000 });
    const h = await page.evaluate(() => window.__explorer.gumbelMax!);
    assert.is(h.target, 20_000);
    assert.ok(h.totalVariation < 0.05, `total variation ${h.totalVariation}`);
    assert.ok(Math.abs(h.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    // a negative control: π is far from uniform here, and so are the frequencies
    const uniformDistance = 0.5 * h.frequencies.reduce((s, f) => s + Math.abs(f - 0.25), 0);
    assert.ok(uniformDistance > 0.1, `frequencies should not look uniform (distance ${uniformDistance})`);
  });

  explorer(`${at}: step 4, the estimator table measured on load agrees with its text`, async () => {
    const { page } = await pageAt(width);
    const h = await page.evaluate(() => window.__explorer.estimators!);
    assert.is(h.rows.length, 26);
    assert.is(h.samples, 1000, "the text promises N = 1,000");
    assert.is(await page.locator("#estimators tbody td:first-child").count(), 26, "one table row per estimator");
    // names as the library gives them; "Gumbel-Rao" stands for "Gumbel-Rao (M=10)"
    const row = (name: string, tau: number | null = null) => h.rows.find((r) => (r.estimator === name || r.estimator.startsWith(`${name} (`)) && r.tau === tau)!;
    const within = (r: { bias: number; noiseFloor: number }) => r.bias <= 2 * r.noiseFloor;
    // "REINFORCE's and LOO's bias stays within twice their noise floor … and LOO scatters less"
    for (const name of ["REINFORCE", "REINFORCE + leave-one-out"]) {
      const r = row(name);
      assert.ok(within(r), `${name}: bias ${r.bias} against a noise floor of ${r.noiseFloor}`);
    }
    assert.ok(row("REINFORCE + leave-one-out").variance < row("REINFORCE").variance);
    // "at τ = 5 their bias stands far above the floor; as τ falls it shrinks into the floor"
    const taus = [5, 2, 1, 0.5, 0.25, 0.1];
    for (const name of ["GS", "ST-GS", "Gumbel-Rao"]) {
      const rows = taus.map((tau) => row(name, tau));
      assert.ok(rows[0].bias > 10 * rows[0].noiseFloor, `${name} at τ = 5: bias ${rows[0].bias}, floor ${rows[0].noiseFloor}`);
      assert.ok(within(rows[rows.length - 1]), `${name}'s bias at τ = 0.1 has sunk into the noise floor`);
      const measurable = rows.slice(0, rows.findIndex(within)); // from τ = 5 down to where the floor takes over
      assert.ok(measurable.length >= 3, `${name}'s bias is measurable from τ = 5 down to at least τ = 1`);
      measurable.forEach((r, i) => i > 0 && assert.ok(r.bias < measurable[i - 1].bias, `${name}: bias at τ = ${r.tau} (${r.bias}) vs τ = ${measurable[i - 1].tau}`));
      // "… while the variance grows by orders of magnitude"
      rows.forEach((r, i) => i > 0 && assert.ok(r.variance > rows[i - 1].variance, `${name}: variance at τ = ${r.tau} vs τ = ${rows[i - 1].tau}`));
      assert.ok(rows[5].variance > 100 * rows[0].variance, `${name}: variance from τ = 5 to 0.1`);
    }
    // "ReinMax runs its own way: its bias is smallest near τ = 1"
    const reinMax = taus.map((tau) => row("ReinMax", tau));
    const best = reinMax.reduce((a, b) => (b.bias < a.bias ? b : a));
    assert.ok([0.5, 1, 2].includes(best.tau!), `ReinMax's smallest bias is at τ = ${best.tau}`);
    // the numbers are gumbelgrad's: the same as compareEstimators with the page's N and seed
    const [reinforce] = compareEstimators(codebookProblem(), [scoreFunctionEstimator()], { samples: h.samples, rng: new Rng(h.seed) });
    assert.ok(Math.abs(reinforce.bias - row("REINFORCE").bias) < 1e-9, `page ${row("REINFORCE").bias} vs compareEstimators ${reinforce.bias}`);
    assert.ok(Math.abs(reinforce.variance - row("REINFORCE").variance) < 1e-9);
  });

  explorer(`${at}: step 5, annealing moves τ along the expDecayTau schedule and ends closest to the best`, async () => {
    const { page } = await pageAt(width);
    const h = await page.evaluate(() => window.__explorer.annealing!);
    const [annealed, hot, cold] = h.runs;
    const schedule = expDecayTau({ tau0: h.settings.tau0, rate: h.settings.rate, min: h.settings.tauMin, every: h.every });
    // the browser's Math.exp may differ from Node's in the last bit, never more
    annealed.steps.forEach((step, i) => assert.ok(Math.abs(annealed.taus[i] / schedule(step) - 1) < 1e-12, `τ at step ${step}: ${annealed.taus[i]} vs ${schedule(step)}`));
    assert.ok(annealed.taus[annealed.taus.length - 1] < annealed.taus[0] / 10, "τ fell along the way");
    assert.ok(hot.taus.every((t) => t === h.settings.tau0) && cold.taus.every((t) => t === h.settings.tauMin), "the held runs hold τ");
    assert.ok(annealed.finalExcess < hot.finalExcess, `annealed ${annealed.finalExcess} vs held at τ₀ ${hot.finalExcess}`);
    assert.ok(annealed.finalExcess < cold.finalExcess, `annealed ${annealed.finalExcess} vs held at τ_min ${cold.finalExcess}`);
  });

  explorer(`${at}: step 6, the exact gradient is the closed form π ⊙ (f − π·f), and a linear f makes GS and ST-GS coincide`, async () => {
    const { page } = await pageAt(width);
    const h = await page.evaluate(() => ({ g: window.__explorer.straightThrough!, pi: window.__explorer.gumbelMax!.probabilities }));
    const f = h.g.weights.map((w) => w * w); // f(one_hot(c)) = w_c² for f(y) = (w·y)²
    const mean = h.pi.reduce((s, p, i) => s + p * f[i], 0);
    h.pi.forEach((p, i) => assert.ok(Math.abs(h.g.exact[i] - p * (f[i] - mean)) < 1e-9, `component ${i}`));
    assert.ok(h.g.soft.some((s, i) => Math.abs(s - h.g.straightThrough[i]) > 1e-3), "for the squared f, GS and ST-GS part");
    await page.getByRole("radio", { name: "f(y) = w·y", exact: true }).check();
    await page.waitForFunction(() => window.__explorer.straightThrough!.downstream === "linear");
    const linear = await page.evaluate(() => window.__explorer.straightThrough!);
    linear.soft.forEach((s, i) => assert.ok(Math.abs(s - linear.straightThrough[i]) < 1e-12, `component ${i}: ${s} vs ${linear.straightThrough[i]}`));
    await page.getByRole("radio", { name: "f(y) = (w·y)²", exact: true }).check();
  });

  explorer(`${at}: step 7, the straight-through lookup beats soft and Gumbel when the decoder gets a real code`, async () => {
    const { page } = await pageAt(width);
    await page.locator('[data-control="lookup-train"]').click();
    // counted in steps, not in seconds, so that a slow machine runs the same training
    await page.waitForFunction(() => window.__explorer.lookup?.final != null, undefined, { timeout: 60_000 });
    const { soft, gumbel, st } = (await page.evaluate(() => window.__explorer.lookup!.final))!;
    assert.ok(soft.trained < soft.looked / 10, `soft learns to read blends: ${soft.trained} on its blend, ${soft.looked} with the chosen code`);
    assert.ok(gumbel.looked < soft.looked, `Gumbel narrows the gap: ${gumbel.looked} vs soft ${soft.looked}`);
    assert.ok(st.looked < Math.min(soft.looked, gumbel.looked) / 2, `ST ${st.looked}, soft ${soft.looked}, Gumbel ${gumbel.looked}`);
  });

  explorer(`${at}: a screenshot is saved`, async () => {
    const { page } = await pageAt(width);
    await mkdir(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `explorer-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    assert.ok((await stat(path)).size > 50_000, `${path} looks empty`);
  });

  explorer(`${at}: step 3, moving the τ slider by keyboard changes the plotted y`, async () => {
    const { page } = await pageAt(width);
    const plotted = () => page.evaluate(() => window.__explorer.temperature!.plottedY());
    const settle = (expected: number) => page.waitForFunction((t) => Math.abs(window.__explorer.temperature!.tau - t) < 1e-9, expected);
    const tau = page.locator('[data-control="tau"]');
    await tau.focus();
    await page.keyboard.press("Home");
    await settle(0.01);
    await page.waitForTimeout(100); // a frame for the chart to take the new values
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

  explorer(`${at}: a slider drag is announced once per live region, when it settles`, async () => {
    const { page } = await pageAt(width);
    await page.evaluate(() => {
      const w = window as unknown as { __announcements: Map<Element, number> };
      w.__announcements = new Map();
      for (const region of document.querySelectorAll('[role="status"], [aria-live]:not([aria-live="off"])')) {
        new MutationObserver(() => w.__announcements.set(region, (w.__announcements.get(region) ?? 0) + 1))
          .observe(region, { childList: true, characterData: true, subtree: true });
      }
    });
    await page.locator('[data-control="no-gradient-logit"]').focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowLeft");
    await page.waitForFunction(() => window.__explorer.gumbelMax!.drawn === window.__explorer.gumbelMax!.target, undefined, { timeout: 20_000 });
    await page.waitForTimeout(1200); // longer than the quiet time after which a region speaks
    const counts = await page.evaluate(() => [...(window as unknown as { __announcements: Map<Element, number> }).__announcements.values()]);
    assert.ok(counts.length >= 2, "the drag moved the logits of steps 1 and 2, and both announced it");
    assert.ok(counts.every((n) => n === 1), `announcements per region: ${counts}`);
  });

  explorer(`${at}: step 8, a collapsed codebook stays collapsed without restarts, and recovers within 40 steps with them`, async () => {
    const { page } = await pageAt(width);
    await page.getByRole("radio", { name: "gradient (codebook loss)" }).check();
    const collapsed = await train(page, 40);
    assert.ok(collapsed.after <= 0.25, `without restarts usage should stay low, got ${collapsed.after} after ${collapsed.steps} steps`);
    await page.getByRole("checkbox", { name: "dead-code restarts" }).check();
    const restarted = await train(page, 40);
    assert.ok(restarted.before <= 0.25, `the codebook starts collapsed, usage ${restarted.before}`);
    assert.ok(restarted.after >= restarted.before + 0.5, `usage ${restarted.before} → ${restarted.after} after ${restarted.steps} steps`);
    const paused = await page.evaluate(() => window.__explorer.collapse!.step);
    await page.waitForTimeout(200);
    assert.is(await page.evaluate(() => window.__explorer.collapse!.step), paused, "Pause stops training");
    await page.getByRole("checkbox", { name: "dead-code restarts" }).uncheck();
  });

  explorer(`${at}: no console error during all of the above`, async () => {
    const { errors } = await pageAt(width);
    assert.equal(errors, []);
  });
}

/** Trains the codebook for at least `steps` steps with the current switches, then pauses; returns usage before and after. */
async function train(page: Page, steps: number): Promise<{ before: number; after: number; steps: number }> {
  await page.locator('[data-control="reset"]').click();
  const before = await page.evaluate(() => window.__explorer.collapse!);
  assert.is(before.step, 0, "reset starts at step 0");
  const start = page.locator('[data-control="start"]');
  await start.click();
  // Counted in steps, not in seconds, so that a slow machine runs the same training.
  await page.waitForFunction((n) => window.__explorer.collapse!.step >= n, steps, { timeout: 60_000 });
  await start.click(); // pause
  const after = await page.evaluate(() => window.__explorer.collapse!);
  assert.is(after.running, false);
  return { before: before.usage, after: after.usage, steps: after.step };
}

explorer.run();
