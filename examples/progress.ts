// A progress bar (cli-progress) on a terminal; plain lines otherwise (CI logs, tests, pipes).
// Training runs synchronously, so the bar must redraw from update() itself (synchronousUpdate):
// a timer-driven bar would never get the event loop.
import { clearLine, cursorTo } from "node:readline";
import cliProgress from "cli-progress";

export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private readonly onTerminal = Boolean(process.stderr.isTTY);

  /** `unit` names what the bar counts: "steps" (the VQ example) or "epochs" (the VAE). */
  constructor(private readonly unit = "steps") {}

  start(label: string, total: number): void {
    if (!this.onTerminal) return;
    this.bar = new cliProgress.SingleBar(
      { format: `  {label} [{bar}] {value}/{total} ${this.unit} | loss {loss} | {eta_formatted} left`, hideCursor: true, clearOnComplete: true, synchronousUpdate: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { label, loss: "-" });
  }

  update(step: number, loss: number): void {
    this.bar?.update(step, { loss: loss.toFixed(4) });
  }

  /** A line above the bar: the bar's line is cleared, and the bar redraws on its next update. */
  log(line: string): void {
    this.clearBar();
    console.log(line);
  }

  /** A warning on stderr, above the bar. */
  warn(line: string): void {
    this.clearBar();
    console.error(line);
  }

  private clearBar(): void {
    if (this.bar) {
      clearLine(process.stderr, 0);
      cursorTo(process.stderr, 0);
    }
  }

  finish(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
