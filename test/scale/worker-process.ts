/**
 * A queue worker process for tests and the bench: `runQueueWorker` (what `personax worker` runs) without
 * loading the whole CLI, which takes minutes to start on a busy shared machine. Arguments:
 * <redis-url> <options as JSON>. Events go to stderr, the closing tally to stdout, as in the command.
 */
import { runQueueWorker, type QueueWorkerOptions } from "../../src/scale/worker.ts";

const [redisUrl, json] = process.argv.slice(2);
const options = JSON.parse(json ?? "{}") as Omit<QueueWorkerOptions, "redisUrl" | "signal" | "onEvent">;
const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());
process.once("SIGINT", () => stop.abort());
const stats = await runQueueWorker({ ...options, redisUrl: redisUrl!, signal: stop.signal, onEvent: (m) => process.stderr.write(m + "\n") });
process.stdout.write(`${stats.completed} jobs done, ${stats.failed} failed, ${stats.refused} refused (other version)\n`);
