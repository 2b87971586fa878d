/**
 * The contract every LLM provider implements. A provider makes exactly one HTTP request per call (the
 * SDKs' own retries are switched off) so that retries, rate limits and accounting happen in one place,
 * the runner, and a fake server can count every request.
 */
export interface ChatRequest {
  system: string;
  user: string;
  /** JSON schema of the reply; sent as structured output or, in JSON mode, already part of `user`. */
  jsonSchema: Record<string, unknown>;
  schemaName: string;
  /** Earlier turns of a retry after an invalid reply: the model's reply and our correction. */
  followUp?: Array<{ role: "assistant" | "user"; text: string }>;
  /** Sent as the Idempotency-Key header where the API takes headers (the same key when a lost request is re-asked). */
  idempotencyKey?: string;
}

export interface ChatReply {
  text: string;
  inputTokens: number;
  outputTokens: number;
  finishReason?: string;
  /** Set when the API itself reports a refusal (OpenAI's `refusal`, Gemini's SAFETY finish/block). */
  refusal?: string;
}

export type ProviderErrorKind = "rate-limit" | "server" | "timeout" | "network" | "client";

/** A failed request, classified for the retry policy. Messages never contain the API key. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    /** From the Retry-After header (seconds or HTTP date), when the server sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }

  get retryable(): boolean {
    return this.kind !== "client";
  }
}

export interface LlmProvider {
  /** The config's model name. */
  readonly name: string;
  complete(request: ChatRequest): Promise<ChatReply>;
  /** Text embeddings, when the provider has an embedding model configured. */
  embed?(texts: string[]): Promise<{ vectors: number[][]; inputTokens: number }>;
}

/** Parses a Retry-After header value: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, (date - now) / 1000);
  return undefined;
}

/** Maps an HTTP status to a retry class: 408/429/5xx retryable, other 4xx not. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return "rate-limit";
  if (status === 408) return "timeout";
  if (status >= 500) return "server";
  return "client";
}
