import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { ModelConfig } from "../config.ts";
import { redactSecrets } from "../redact.ts";
import { kindForStatus, parseRetryAfter, ProviderError, type ChatReply, type ChatRequest, type LlmProvider } from "./types.ts";

/**
 * Any OpenAI-compatible chat API through the `openai` SDK: OpenAI itself, DeepSeek, or a model behind
 * vLLM, Ollama or OpenRouter (`baseUrl`). `structuredOutput: "json-schema"` sends the schema as
 * `response_format: json_schema` (strict); "json-mode" sends `json_object` and relies on the schema in the
 * prompt, as DeepSeek requires.
 */
export class OpenAiCompatibleProvider implements LlmProvider {
  private readonly client: OpenAI;

  constructor(private readonly config: ModelConfig, private readonly apiKey: string) {
    this.client = new OpenAI({
      apiKey,
      baseURL: config.baseUrl,
      maxRetries: 0, // the runner retries, so every request is counted and accounted once
      timeout: config.timeoutSeconds * 1000,
    });
  }

  get name(): string {
    return this.config.name;
  }

  async complete(request: ChatRequest): Promise<ChatReply> {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: "system", content: request.system },
      { role: "user", content: request.user },
      ...(request.followUp ?? []).map((m) => ({ role: m.role, content: m.text }) as OpenAI.Chat.ChatCompletionMessageParam),
    ];
    const responseFormat: OpenAI.Chat.ChatCompletionCreateParams["response_format"] = this.config.structuredOutput === "json-schema"
      ? { type: "json_schema", json_schema: { name: request.schemaName, schema: request.jsonSchema, strict: true } }
      : { type: "json_object" };
    try {
      const completion = await this.client.chat.completions.create({
        model: this.config.model,
        messages,
        temperature: this.config.temperature,
        max_tokens: this.config.maxTokens,
        response_format: responseFormat,
      }, request.idempotencyKey ? { headers: { "Idempotency-Key": request.idempotencyKey } } : undefined);
      if (!completion || typeof completion !== "object" || !Array.isArray((completion as { choices?: unknown }).choices)) {
        throw notACompletion(this.config, completion);
      }
      const choice = completion.choices[0];
      const message = choice?.message;
      return {
        text: message?.content ?? "",
        inputTokens: completion.usage?.prompt_tokens ?? 0,
        outputTokens: completion.usage?.completion_tokens ?? 0,
        finishReason: choice?.finish_reason ?? undefined,
        refusal: message?.refusal ?? undefined,
      };
    } catch (error) {
      throw toProviderError(error, this.config.name, this.apiKey);
    }
  }

  async embed(texts: string[]): Promise<{ vectors: number[][]; inputTokens: number }> {
    if (!this.config.embeddingModel) throw new ProviderError("client", `model "${this.config.name}" has no embeddingModel in the config`);
    try {
      const response = await this.client.embeddings.create({ model: this.config.embeddingModel, input: texts });
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      return { vectors, inputTokens: response.usage?.prompt_tokens ?? 0 };
    } catch (error) {
      throw toProviderError(error, this.config.name, this.apiKey);
    }
  }
}

/** A 200 reply whose body is not a chat completion (an HTML page from a wrong baseUrl, a proxy's login page…). */
function notACompletion(config: ModelConfig, body: unknown): ProviderError {
  const text = typeof body === "string" ? body : JSON.stringify(body) ?? String(body);
  const html = /^\s*<(!doctype|html|head|body|\?xml)/i.test(text);
  const title = /<title>([^<]{0,80})/i.exec(text)?.[1]?.trim();
  const what = html ? `an HTML page${title ? ` ("${title}")` : ""}` : `${typeof body === "string" ? "text" : "JSON"} that is not a chat completion: ${text.slice(0, 120)}`;
  return new ProviderError("client", `${config.name}: the server at ${config.baseUrl ?? "api.openai.com"} answered HTTP 200 with ${what}; ` +
    `check the model's baseUrl: it must be the API root of an OpenAI-compatible server (e.g. https://api.openai.com/v1)`, 200);
}

function toProviderError(error: unknown, name: string, apiKey: string): ProviderError {
  const e = toProviderErrorUnredacted(error, name);
  const message = redactSecrets(e.message, [apiKey]);
  return message === e.message ? e : new ProviderError(e.kind, message, e.status, e.retryAfterSeconds);
}

function toProviderErrorUnredacted(error: unknown, name: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) return new ProviderError("timeout", `${name}: request timed out`);
  if (error instanceof APIUserAbortError) return new ProviderError("timeout", `${name}: request aborted`);
  if (error instanceof APIConnectionError) return new ProviderError("network", `${name}: connection failed (${error.message})`);
  if (error instanceof APIError && typeof error.status === "number") {
    const retryAfter = parseRetryAfter(error.headers?.get("retry-after"));
    return new ProviderError(kindForStatus(error.status), `${name}: HTTP ${error.status}: ${error.message}`, error.status, retryAfter);
  }
  // A reply body the SDK could not read (cut-off connection, broken JSON envelope) is worth a retry.
  return new ProviderError("network", `${name}: the connection failed or was cut off mid-reply (${(error as Error)?.message ?? String(error)})`);
}
