import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { parseOptions } from "../options.ts";
import { runQueueWorker } from "../../scale/worker.ts";

const Options = z.object({
  redis: z.string().min(1),
  concurrency: z.coerce.number().int().min(1).max(256).optional(),
  llmConcurrency: z.coerce.number().int().min(1).max(1024),
  lockDuration: z.coerce.number().int().min(200),
  stalledInterval: z.coerce.number().int().min(100),
});

export const workerCommand = (io: CliIo) =>
  new Command("worker")
    .description("run queued jobs (Level I cells, PC bootstrap replicates, CRL runs, LLM calls) from producers started with --queue; stops on Ctrl-C / SIGTERM after its active jobs")
    .requiredOption("--redis <url>", "the Redis the producers use, e.g. redis://10.0.0.5:6379")
    .option("--concurrency <n>", "CPU jobs at once, one thread each (default: the number of cores)")
    .option("--llm-concurrency <n>", "LLM calls at once per model (the producer's rate limit is shared by all workers)", "8")
    .option("--lock-duration <ms>", "a worker silent this long is taken for dead and its jobs go to others", "30000")
    .option("--stalled-interval <ms>", "how often to look for jobs of dead workers", "15000")
    .action(async (raw) => {
      const opts = parseOptions(Options, raw, "worker");
      const stop = new AbortController();
      const onSignal = () => { io.err("personax worker: stopping after the active jobs"); stop.abort(); };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        const stats = await runQueueWorker({
          redisUrl: opts.redis, concurrency: opts.concurrency, llmConcurrency: opts.llmConcurrency,
          lockDurationMs: opts.lockDuration, stalledIntervalMs: opts.stalledInterval, signal: stop.signal, onEvent: (m) => io.err(m),
        });
        io.out(`${stats.completed} jobs done, ${stats.failed} failed, ${stats.refused} refused (other version)`);
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
