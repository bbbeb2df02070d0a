// A progress bar (cli-progress) on a terminal; plain lines otherwise (CI logs, tests, pipes).
import cliProgress from "cli-progress";

export class Progress {
  private readonly bars: cliProgress.MultiBar | null;
  private bar: cliProgress.SingleBar | null = null;

  constructor() {
    this.bars = process.stderr.isTTY
      ? new cliProgress.MultiBar(
          { format: "  {label} [{bar}] {value}/{total} steps | loss {loss} | {eta_formatted} left", hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
  }

  start(label: string, total: number): void {
    this.bar = this.bars?.create(total, 0, { label, loss: "-" }) ?? null;
  }

  update(step: number, loss: number): void {
    this.bar?.update(step, { loss: loss.toFixed(4) });
  }

  /** A line above the bar (or a plain line when there is none). */
  log(line: string): void {
    if (this.bars) this.bars.log(`${line}\n`);
    else console.log(line);
  }

  finish(): void {
    if (this.bar) this.bars?.remove(this.bar);
    this.bar = null;
  }

  stop(): void {
    this.bars?.stop();
  }
}
