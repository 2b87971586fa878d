import { ApiError, FinishReason, GoogleGenAI } from "@google/genai";
import type { ModelConfig } from "../config.ts";
import { redactSecrets } from "../redact.ts";
import { kindForStatus, parseRetryAfter, ProviderError, type ChatReply, type ChatRequest, type LlmProvider } from "./types.ts";

/**
 * Gemini through `@google/genai`. The SDK's own retries are off (attempts: 1). Its ApiError carries no
 * headers, so a small fetch wrapper reads Retry-After from the response of each request.
 */
export class GeminiProvider implements LlmProvider {
  constructor(private readonly config: ModelConfig, private readonly apiKey: string) {}

  get name(): string {
    return this.config.name;
  }

  /** One client per request, so the Retry-After seen by the fetch wrapper belongs to this request. */
  private client(): { ai: GoogleGenAI; retryAfter: () => number | undefined } {
    let retryAfter: number | undefined;
    const fetchWithHeaders: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!response.ok) retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      return response;
    };
    const ai = new GoogleGenAI({
      apiKey: this.apiKey,
      httpOptions: {
        ...(this.config.baseUrl ? { baseUrl: this.config.baseUrl } : {}),
        timeout: this.config.timeoutSeconds * 1000,
        retryOptions: { attempts: 1 },
        fetch: fetchWithHeaders,
      },
    });
    return { ai, retryAfter: () => retryAfter };
  }

  async complete(request: ChatRequest): Promise<ChatReply> {
    const { ai, retryAfter } = this.client();
    const contents = [
      { role: "user", parts: [{ text: request.user }] },
      ...(request.followUp ?? []).map((m) => ({ role: m.role === "assistant" ? "model" : "user", parts: [{ text: m.text }] })),
    ];
    try {
      const response = await ai.models.generateContent({
        model: this.config.model,
        contents,
        config: {
          systemInstruction: request.system,
          temperature: this.config.temperature,
          maxOutputTokens: this.config.maxTokens,
          responseMimeType: "application/json",
          ...(this.config.structuredOutput === "json-schema" ? { responseJsonSchema: request.jsonSchema } : {}),
        },
      });
      const candidate = response.candidates?.[0];
      const blocked = response.promptFeedback?.blockReason;
      const finish = candidate?.finishReason;
      const refused = blocked !== undefined || finish === FinishReason.SAFETY || finish === FinishReason.PROHIBITED_CONTENT;
      return {
        text: response.text ?? "",
        inputTokens: response.usageMetadata?.promptTokenCount ?? 0,
        outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0,
        finishReason: finish,
        refusal: refused ? `Gemini blocked the reply (${blocked ?? finish})` : undefined,
      };
    } catch (error) {
      throw toProviderError(error, this.config.name, retryAfter(), this.apiKey);
    }
  }

  async embed(texts: string[]): Promise<{ vectors: number[][]; inputTokens: number }> {
    if (!this.config.embeddingModel) throw new ProviderError("client", `model "${this.config.name}" has no embeddingModel in the config`);
    const { ai, retryAfter } = this.client();
    try {
      const response = await ai.models.embedContent({ model: this.config.embeddingModel, contents: texts });
      return { vectors: (response.embeddings ?? []).map((e) => e.values ?? []), inputTokens: 0 };
    } catch (error) {
      throw toProviderError(error, this.config.name, retryAfter(), this.apiKey);
    }
  }
}

function toProviderError(error: unknown, name: string, retryAfter: number | undefined, apiKey: string): ProviderError {
  const e = toProviderErrorUnredacted(error, name, retryAfter);
  const message = redactSecrets(e.message, [apiKey]);
  return message === e.message ? e : new ProviderError(e.kind, message, e.status, e.retryAfterSeconds);
}

function toProviderErrorUnredacted(error: unknown, name: string, retryAfter: number | undefined): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof ApiError) {
    return new ProviderError(kindForStatus(error.status), `${name}: HTTP ${error.status}: ${error.message.slice(0, 300)}`, error.status, retryAfter);
  }
  const message = (error as Error)?.message ?? String(error);
  if ((error as Error)?.name === "AbortError" || /abort|timed? ?out/i.test(message)) return new ProviderError("timeout", `${name}: request timed out`);
  return new ProviderError("network", `${name}: the connection failed or was cut off mid-reply (${message})`);
}
