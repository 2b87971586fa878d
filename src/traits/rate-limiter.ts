/**
 * Requests-per-minute and tokens-per-minute limits of one provider, over a sliding 60 s window.
 * `acquire(tokens)` resolves when one more request of about `tokens` tokens fits in both limits.
 * Concurrency is not handled here: the runner starts exactly `concurrency` workers per model.
 */
export class RateLimiter {
  private readonly window: Array<{ at: number; tokens: number }> = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly requestsPerMinute: number | undefined,
    private readonly tokensPerMinute: number | undefined,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  acquire(tokens: number): Promise<void> {
    // Serialised so that waiting requests are admitted in arrival order.
    const next = this.chain.then(() => this.admit(tokens));
    this.chain = next;
    return next;
  }

  private async admit(tokens: number): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.window.length && now - this.window[0]!.at >= 60_000) this.window.shift();
      const used = this.window.reduce((s, w) => s + w.tokens, 0);
      const requestsOk = this.requestsPerMinute === undefined || this.window.length < this.requestsPerMinute;
      // A single request larger than the whole budget is let through alone rather than blocking forever.
      const tokensOk = this.tokensPerMinute === undefined || used + tokens <= this.tokensPerMinute || this.window.length === 0;
      if (requestsOk && tokensOk) {
        this.window.push({ at: now, tokens });
        return;
      }
      const waitMs = Math.max(5, 60_000 - (now - this.window[0]!.at));
      await this.sleep(waitMs);
    }
  }
}
