import { UnrecoverableError } from "bullmq";
import type { ModelConfig } from "../traits/config.ts";
import { createProvider, ProviderError, type ChatReply, type ChatRequest, type LlmProvider } from "../traits/providers/index.ts";
import { withRetries } from "../traits/runner.ts";
import { Rng } from "../util/rng.ts";

/**
 * One paid LLM call as a job. The job carries the model's config (which names the environment variable
 * of the key, never the key: each worker reads its own) and the exact request; the reply is the job's
 * return value, which BullMQ stores in Redis in the same step that acknowledges the job, and the producer
 * writes it to the store. A worker killed before that step means the call is made again (the closing
 * note of a run counts those); a worker killed after it changes nothing.
 */
export interface LlmCallPayload {
  model: ModelConfig;
  request: ChatRequest;
  /** The task's cache key and 1-based attempt (the job id is built from both). */
  taskKey: string;
  attempt: number;
}

export class LlmCallHandler {
  private readonly providers = new Map<string, LlmProvider>();
  private readonly rng = new Rng(Date.now() % 2 ** 31); // retry jitter only: never affects a result

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async run(payload: unknown): Promise<ChatReply> {
    const { model, request } = payload as LlmCallPayload;
    const provider = this.provider(model);
    try {
      // Transient errors (429 with Retry-After, 5xx, timeouts) are retried here with the runner's policy;
      // none of them returned a paid reply.
      return await withRetries(() => provider.complete(request), model.maxRetries, 1000, 60_000, this.rng,
        (ms) => new Promise((r) => setTimeout(r, ms)), () => undefined);
    } catch (error) {
      // A failed call is final for this job (BullMQ must not retry what the retry policy gave up on).
      const message = error instanceof ProviderError ? `${error.message} (gave up after ${model.maxRetries} retries)` : (error as Error).message;
      throw new UnrecoverableError(message);
    }
  }

  private provider(model: ModelConfig): LlmProvider {
    const id = JSON.stringify(model);
    let provider = this.providers.get(id);
    if (!provider) {
      try {
        provider = createProvider(model, this.env, "the job's model config");
      } catch (error) {
        throw new UnrecoverableError(`this worker cannot call ${model.name}: ${(error as Error).message}`);
      }
      this.providers.set(id, provider);
    }
    return provider;
  }
}
