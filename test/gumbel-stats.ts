// Small statistics for the Gumbel tests: chi-square and Kolmogorov–Smirnov p-values, correlation.
// A test passes when p > ALPHA: a correct sampler fails it with probability ALPHA (at a fixed seed,
// never, once it has passed), while a biased one fails with probability near 1 (see the negative
// controls next to each test, which run the same test on a deliberately wrong distribution).
export const ALPHA = 1e-3;

/** log Γ(x) for x > 0, Lanczos approximation (g = 7, n = 9), about 15 significant digits. */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a): a series below a + 1, a continued fraction above. */
export function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a, total = term;
    for (let n = 1; n < 1000 && Math.abs(term) > 1e-16 * Math.abs(total); n++) total += (term *= x / (a + n));
    return 1 - front * total;
  }
  // Lentz's method for the continued fraction of Γ(a, x).
  let b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return front * h;
}

export interface ChiSquare {
  statistic: number;
  dof: number;
  pValue: number;
}

/** Pearson's chi-square of observed counts against expected probabilities (dof = cells − 1). */
export function chiSquare(counts: ArrayLike<number>, probs: ArrayLike<number>): ChiSquare {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  let statistic = 0;
  for (let i = 0; i < counts.length; i++) {
    const expected = n * probs[i];
    statistic += (counts[i] - expected) ** 2 / expected;
  }
  const dof = counts.length - 1;
  return { statistic, dof, pValue: upperGamma(dof / 2, statistic / 2) };
}

export interface KS {
  statistic: number;
  n: number;
  pValue: number;
}

/** The one-sample Kolmogorov–Smirnov test of samples against a continuous CDF (asymptotic p-value, Stephens' correction). */
export function ksTest(samples: ArrayLike<number>, cdf: (x: number) => number): KS {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  const lambda = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lambda * lambda);
  return { statistic: d, n, pValue: Math.min(1, Math.max(0, p)) };
}

/** Pearson's correlation coefficient. Under independence it is about N(0, 1/n). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Counts of integer outcomes 0..size−1. */
export function histogram(values: ArrayLike<number>, size: number): Float64Array {
  const counts = new Float64Array(size);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  return counts;
}

/** softmax of plain numbers. */
export function softmaxOf(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Prints a measured statistic when GUMBEL_STATS is set, so a run can report them. */
export function report(label: string, value: unknown): void {
  if (process.env.GUMBEL_STATS) console.log(`[stats] ${label}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
}

export function describeChi(c: ChiSquare): string {
  return `chi2 = ${c.statistic.toFixed(2)}, dof ${c.dof}, p = ${c.pValue.toPrecision(3)}`;
}
