import { createHash } from "node:crypto";

/**
 * What travels through the queue. Every job is one independent unit of work (a Level I cell, a PC
 * bootstrap replicate, one LLM call, a CRL run); its id is the unit's canonical key, so enqueueing the
 * same unit twice is a no-op and a rerun finds the results of the first run.
 */
export const jobKinds = ["level1-cell", "pc-replicate", "llm-call", "crl-run"] as const;
export type JobKind = (typeof jobKinds)[number];

export interface JobEnvelope<P = unknown> {
  kind: JobKind;
  /** The producer's package version; a worker of another version refuses the job. */
  version: string;
  payload: P;
}

/** CPU-bound jobs share one queue; each LLM (provider + model + base URL) gets its own, for its rate limit. */
export const CPU_QUEUE = "personax-cpu";
export const LLM_QUEUE_PREFIX = "personax-llm-";
/** Redis set of the LLM queues producers have used; workers watch it and serve every queue in it. */
export const LLM_QUEUES_KEY = "personax-llm-queues";
/** Redis hash: worker version → last time a worker of that version refused a job (producers report it). */
export const REFUSALS_KEY = "personax-refusals";

export function llmQueueName(provider: string, model: string, baseUrl: string | undefined): string {
  return LLM_QUEUE_PREFIX + createHash("sha256").update(JSON.stringify([provider, model, baseUrl ?? ""])).digest("hex").slice(0, 16);
}

/** A job id from the parts of a unit's canonical key (BullMQ ids may not contain ":"). */
export function jobId(kind: JobKind, ...parts: unknown[]): string {
  return `${kind}-${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32)}`;
}
