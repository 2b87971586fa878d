import type { LlmConfig } from "../traits/config.ts";
import type { LlmProvider } from "../traits/providers/index.ts";
import { selectModels } from "../traits/runner.ts";
import { QueuedLlmProvider } from "./llm-jobs.ts";
import type { JobQueue } from "./producer.ts";

/** Requests the producer keeps queued per model; the workers and the queue's limits decide how many run. */
const IN_FLIGHT_PER_MODEL = 256;

/**
 * What `traits infer --queue` hands to inferTraits: one queued provider per model, and a config whose
 * limits have moved to the queue. Each model's `requestsPerMinute` and `concurrency` become its queue's
 * global rate limit and global concurrency, shared by every worker; `tokensPerMinute` stays with the
 * producer's own limiter (every request passes through it, so it is global too).
 */
export async function queuedInference(queue: JobQueue, config: LlmConfig, names: string[] | undefined, configFile?: string) {
  const models = selectModels(config, names, configFile);
  const providers = new Map<string, LlmProvider>();
  const queued: QueuedLlmProvider[] = [];
  for (const model of models) {
    const provider = new QueuedLlmProvider(queue, model);
    await queue.registerLlmQueue(provider.queueName, { requestsPerMinute: model.requestsPerMinute, concurrency: model.concurrency });
    providers.set(model.name, provider);
    queued.push(provider);
  }
  const producerConfig: LlmConfig = {
    models: config.models.map((m) => ({ ...m, concurrency: IN_FLIGHT_PER_MODEL, requestsPerMinute: undefined })),
  };
  return {
    config: producerConfig,
    providers,
    /** Removes the finished jobs; call after the run has stored the replies. */
    close: async () => { for (const p of queued) await p.close(); },
  };
}
