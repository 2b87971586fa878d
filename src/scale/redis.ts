import { Redis } from "ioredis";
import { UsageError } from "../errors.ts";

/**
 * A Redis connection for queues and data blobs. `maxRetriesPerRequest: null` (BullMQ's requirement for
 * workers) makes commands wait through a Redis restart instead of failing, and the retry strategy
 * reconnects every ≤ 1 s for as long as it takes: a restarted Redis is picked up without a restart of ours.
 */
export function connectRedis(url: string, name: string): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`not a Redis URL: "${url}"`, "pass redis://host:port (e.g. redis://127.0.0.1:6379)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new UsageError(`not a Redis URL: "${url}"`, "pass redis://host:port or rediss://host:port");
  }
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(1000, 50 * times),
    // A Redis that comes back empty-handed (restarted without persistence) is reported by the callers.
    enableOfflineQueue: true,
  });
  // Connection errors are retried by the strategy above; commands wait meanwhile. Without a listener
  // ioredis would print every failed reconnection attempt.
  redis.on("error", () => undefined);
  return redis;
}
