import { z } from "zod";
import { ConfigError, formatZodIssues } from "../errors.ts";
import { readJsonFile } from "../dataset/json-file.ts";

/**
 * The LLM configuration file (JSON). Each model names its provider kind, base URL and the environment
 * variable that holds its key; the key itself never appears in the file, the store or any log.
 */
export const ModelConfig = z.object({
  /** Short id used in the store's `llm` column and on the command line (e.g. "gpt"). */
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, '_', '.', '-' only"),
  provider: z.enum(["openai", "gemini"]).describe("openai = any OpenAI-compatible API (OpenAI, DeepSeek, vLLM, Ollama, OpenRouter)"),
  /** The provider's model id, e.g. "gpt-4o-2024-08-06" or "gemini-2.5-pro". */
  model: z.string().min(1),
  baseUrl: z.string().url().optional(),
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name such as OPENAI_API_KEY"),
  concurrency: z.number().int().min(1).max(256).default(4),
  requestsPerMinute: z.number().positive().optional(),
  tokensPerMinute: z.number().positive().optional(),
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.number().int().min(16).default(1024),
  /** USD per million tokens. */
  pricePerMillionInput: z.number().min(0).default(0),
  pricePerMillionOutput: z.number().min(0).default(0),
  /** "json-schema": the API enforces the schema; "json-mode": JSON only, schema in the prompt (DeepSeek). */
  structuredOutput: z.enum(["json-schema", "json-mode"]).default("json-schema"),
  /** Seconds before a request counts as timed out (then retried). */
  timeoutSeconds: z.number().positive().default(120),
  maxRetries: z.number().int().min(0).max(20).default(6),
  /** Embedding model for `personax embed --text provider`, if this provider offers one. */
  embeddingModel: z.string().optional(),
}).strict();
export type ModelConfig = z.infer<typeof ModelConfig>;

export const LlmConfig = z.object({
  models: z.array(ModelConfig).min(1),
}).strict().superRefine((config, ctx) => {
  const seen = new Set<string>();
  config.models.forEach((m, i) => {
    if (seen.has(m.name)) ctx.addIssue({ code: "custom", path: ["models", i, "name"], message: `duplicate model name "${m.name}"` });
    seen.add(m.name);
  });
});
export type LlmConfig = z.infer<typeof LlmConfig>;

/** Parses a config object; errors name the file and the field (e.g. `models[1].apiKeyEnv`). */
export function parseLlmConfig(value: unknown, file: string): LlmConfig {
  const result = LlmConfig.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(file, formatZodIssues(result.error.issues, { schema: LlmConfig }), "see docs/ARCHITECTURE.md (traits) for the fields of an LLM config file");
}

export async function loadLlmConfig(file: string): Promise<LlmConfig> {
  return parseLlmConfig(await readJsonFile(file, "pass --config with an LLM config JSON file (see 'personax traits example-config')"), file);
}

/** The key of a model from its environment variable, or undefined when unset/empty. */
export function apiKeyFor(model: ModelConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env[model.apiKeyEnv];
  return key && key.length > 0 ? key : undefined;
}

/** USD cost of a call. */
export function costOf(model: ModelConfig, inputTokens: number, outputTokens: number): number {
  return (inputTokens * model.pricePerMillionInput + outputTokens * model.pricePerMillionOutput) / 1e6;
}

/** An example config with the release's three models (keys read from the environment). */
export const exampleLlmConfig: LlmConfig = LlmConfig.parse({
  models: [
    { name: "gpt", provider: "openai", model: "chatgpt-4o-latest", apiKeyEnv: "OPENAI_API_KEY", pricePerMillionInput: 5, pricePerMillionOutput: 15 },
    { name: "gemini", provider: "gemini", model: "gemini-2.5-pro", apiKeyEnv: "GEMINI_API_KEY", pricePerMillionInput: 1.25, pricePerMillionOutput: 10 },
    { name: "llama", provider: "openai", model: "meta-llama/llama-4-maverick", baseUrl: "https://openrouter.ai/api/v1", apiKeyEnv: "OPENROUTER_API_KEY", pricePerMillionInput: 0.15, pricePerMillionOutput: 0.6 },
    { name: "deepseek", provider: "openai", model: "deepseek-chat", baseUrl: "https://api.deepseek.com", apiKeyEnv: "DEEPSEEK_API_KEY", structuredOutput: "json-mode", pricePerMillionInput: 0.27, pricePerMillionOutput: 1.1 },
  ],
});
