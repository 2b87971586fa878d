/**
 * Progress for long work: a redrawn bar with rate and ETA on a TTY; on a pipe or CI log, one plain line
 * at most every few seconds (and at the end) so logs stay readable. Library functions accept an
 * `onProgress(done, total, note?)` callback; the CLI connects it to one of these.
 */
import { formatSeconds, type ProgressCallback } from "../util/progress.ts";

export interface ProgressOptions {
  label: string;
  total: number;
  unit?: string;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  quiet?: boolean;
  /** Minimum seconds between plain (non-TTY) lines. */
  plainIntervalSeconds?: number;
}

export class Progress {
  private done = 0;
  private total: number;
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastNote = "";
  private finished = false;

  constructor(private readonly options: ProgressOptions) {
    this.total = options.total;
  }

  /** A callback to hand to library functions. */
  get callback(): ProgressCallback {
    return (done, total, note) => this.update(done, total, note);
  }

  tick(amount = 1, note?: string): void {
    this.update(this.done + amount, this.total, note);
  }

  update(done: number, total = this.total, note?: string): void {
    this.done = done;
    this.total = total;
    if (note !== undefined) this.lastNote = note;
    this.draw(false);
  }

  finish(note?: string): void {
    if (this.finished) return;
    if (note !== undefined) this.lastNote = note;
    this.done = Math.max(this.done, this.total);
    this.draw(true);
    this.finished = true;
  }

  private draw(final: boolean): void {
    const { stream, quiet } = this.options;
    if (quiet || !stream) return;
    const now = Date.now();
    const tty = Boolean(stream.isTTY);
    const interval = tty ? 100 : (this.options.plainIntervalSeconds ?? 5) * 1000;
    if (!final && now - this.lastDraw < interval) return;
    this.lastDraw = now;
    const elapsed = (now - this.started) / 1000;
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const eta = rate > 0 && this.total > this.done ? (this.total - this.done) / rate : 0;
    const unit = this.options.unit ?? "";
    const stats = `${this.done}/${this.total}${unit ? " " + unit : ""} ${(fraction * 100).toFixed(0)}% ` +
      `${formatSeconds(elapsed)} elapsed${final ? "" : `, ETA ${formatSeconds(eta)}`}` +
      (this.lastNote ? ` ${this.lastNote}` : "");
    if (tty) {
      const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - stats.length - this.options.label.length - 6));
      const filled = Math.round(fraction * width);
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      stream.write(`\r\x1b[2K${this.options.label} ${bar} ${stats}${final ? "\n" : ""}`);
    } else {
      stream.write(`${this.options.label}: ${stats}\n`);
    }
  }
}
