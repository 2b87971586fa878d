import { apiKeyFor, type ModelConfig } from "../config.ts";
import { ConfigError } from "../../errors.ts";
import { GeminiProvider } from "./gemini.ts";
import { OpenAiCompatibleProvider } from "./openai-compatible.ts";
import type { LlmProvider } from "./types.ts";

export * from "./types.ts";

/** Builds the provider of one configured model; its key comes from the environment variable it names. */
export function createProvider(model: ModelConfig, env: NodeJS.ProcessEnv = process.env, configFile = "LLM config"): LlmProvider {
  const key = apiKeyFor(model, env);
  if (!key) {
    throw new ConfigError(configFile, `model "${model.name}": environment variable ${model.apiKeyEnv} is not set`,
      `export ${model.apiKeyEnv}=<your key> (keys are read from the environment only, never from files)`);
  }
  return model.provider === "gemini" ? new GeminiProvider(model, key) : new OpenAiCompatibleProvider(model, key);
}
