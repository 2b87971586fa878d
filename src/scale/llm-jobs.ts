import { createHash } from "node:crypto";
import type { ModelConfig } from "../traits/config.ts";
import { createProvider, ProviderError, type ChatReply, type ChatRequest, type LlmProvider, type ProviderErrorKind } from "../traits/providers/index.ts";
import { jobId, llmQueueName } from "./jobs.ts";
import type { JobQueue } from "./producer.ts";

/**
 * One LLM request as a job. The job carries the model's config (which names the environment variable of
 * the key, never the key: each worker reads its own) and the exact request. The worker makes one attempt
 * and returns the reply or the error; the reply is the job's return value, which BullMQ writes to Redis
 * in the same step that acknowledges the job, and the producer stores it. So a worker killed after that
 * step costs nothing, and one killed while its request is in flight costs that one request (the job is
 * handed to another worker after its lock expires). Retries, backoff, validation and the store stay with
 * the producer's runner, exactly as in a local run.
 */
export interface LlmCallPayload {
  model: ModelConfig;
  request: ChatRequest;
}

export type LlmCallResult =
  | { ok: true; reply: ChatReply }
  | { ok: false; error: { kind: ProviderErrorKind; message: string; status?: number; retryAfterSeconds?: number } };

/** Worker side: providers built once per model from this worker's environment. */
export class LlmCallHandler {
  private readonly providers = new Map<string, LlmProvider>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async run(payload: unknown): Promise<LlmCallResult> {
    const { model, request } = payload as LlmCallPayload;
    try {
      return { ok: true, reply: await this.provider(model).complete(request) };
    } catch (error) {
      if (error instanceof ProviderError) {
        return { ok: false, error: { kind: error.kind, message: error.message, status: error.status, retryAfterSeconds: error.retryAfterSeconds } };
      }
      // No key in this worker's environment, a bad config: the same on every retry.
      return { ok: false, error: { kind: "client", message: `worker cannot call ${model.name}: ${(error as Error).message}` } };
    }
  }

  private provider(model: ModelConfig): LlmProvider {
    const id = JSON.stringify(model);
    let provider = this.providers.get(id);
    if (!provider) {
      provider = createProvider(model, this.env, "the job's model config");
      this.providers.set(id, provider);
    }
    return provider;
  }
}

/**
 * Producer side: an LlmProvider whose requests are made by queue workers. Pass one per model to
 * inferTraits (`providers`); the runner's retry policy, write-ahead records and store writes are unchanged.
 * A request's job id is its idempotency key (task key + attempt) when the runner gives one, otherwise a
 * hash of the model and the request, so the same request is never queued twice; finished jobs are removed
 * by `close()` once the run has stored their replies.
 */
export class QueuedLlmProvider implements LlmProvider {
  readonly name: string;
  readonly queueName: string;
  private readonly finished: string[] = [];

  constructor(private readonly queue: JobQueue, private readonly model: ModelConfig) {
    this.name = model.name;
    this.queueName = llmQueueName(model.provider, model.model, model.baseUrl);
  }

  async complete(request: ChatRequest & { idempotencyKey?: string }): Promise<ChatReply> {
    const { idempotencyKey, ...exact } = request;
    const key = idempotencyKey ?? createHash("sha256").update(JSON.stringify(exact)).digest("hex");
    const id = jobId("llm-call", this.model.provider, this.model.baseUrl ?? "", this.model.model, key);
    let result: LlmCallResult;
    try {
      result = await this.queue.submit<LlmCallResult>({ id, kind: "llm-call", payload: { model: this.model, request: exact } satisfies LlmCallPayload }, this.queueName);
    } catch (error) {
      // The job itself failed (its workers kept dying): like a dropped connection, the request may have been
      // billed; the runner's retry policy decides (a retry re-runs the same job).
      throw new ProviderError("network", `queue: ${(error as Error).message}`);
    }
    if (result.ok) {
      this.finished.push(id);
      return result.reply;
    }
    // An error is not kept: the runner may retry the same request under the same id.
    await this.queue.remove(this.queueName, [id]);
    const e = result.error;
    throw new ProviderError(e.kind, e.message, e.status, e.retryAfterSeconds);
  }

  /** Removes the jobs of replies the runner has stored. */
  async close(): Promise<void> {
    await this.queue.remove(this.queueName, this.finished.splice(0));
  }
}
