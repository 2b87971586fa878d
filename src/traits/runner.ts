import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { CallCache, type StoredCall } from "./call-cache.ts";
import { costOf, type LlmConfig, type ModelConfig } from "./config.ts";
import { buildPrompt, getProtocol, parseReply, replyJsonSchema, type Assessment, type PersonPrompt, type Protocol, type ProtocolId } from "./protocols.ts";
import { createProvider, ProviderError, type ChatRequest, type LlmProvider } from "./providers/index.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { ComputeError, UsageError } from "../errors.ts";
import { Rng } from "../util/rng.ts";
import type { ProgressCallback } from "../util/progress.ts";

/**
 * The trait-inference runner (`personax traits infer`). One task = one person × model × protocol ×
 * repeat (0-based, as the store's trait_assessments). Tasks are keyed by (provider, model, protocol version, parameters hash, person, repeat); the
 * key's calls live in the store's `llm_calls` table, so the run is resumable and idempotent: a rerun
 * makes zero new calls for completed tasks, and a reply received before a crash is parsed from the
 * store instead of being bought again.
 *
 * Failure policy:
 * - 429, 5xx, 408, timeouts and dropped connections: exponential backoff with jitter (or exactly the
 *   server's Retry-After), up to the model's `maxRetries`; then the task fails (no reply was paid for,
 *   so it is not cached, and a rerun tries again).
 * - a reply that is not valid JSON or not the schema: stored, then retried with the validation error
 *   appended to the conversation, up to `maxValidationRetries`; then final "invalid".
 * - a refusal (API-reported or in the text): stored, asked once more, then final "refused".
 */
export interface InferOptions {
  config: LlmConfig;
  configFile?: string;
  /** Model names to run (default: every model in the config). */
  models?: string[];
  protocols?: ProtocolId[];
  repeats?: number;
  persons: PersonPrompt[];
  /** The store's connection; the cache table `llm_calls` is created in it. */
  connection: DuckDBConnection;
  seed?: number;
  env?: NodeJS.ProcessEnv;
  /** Pre-built providers by model name (e.g. to share one client); built from the config otherwise. */
  providers?: Map<string, LlmProvider>;
  maxValidationRetries?: number;
  maxRefusalRetries?: number;
  /** Re-attempt tasks that ended "invalid" or "refused" in an earlier run. */
  retryFailed?: boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onProgress?: ProgressCallback;
  /** Retries, refusals and failures as they happen (one line each). */
  onEvent?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface TaskFailure { llm: string; protocol: string; personId: string; repeat: number; status: "failed" | "invalid" | "refused"; message: string }

export interface InferSummary {
  tasks: number;
  /** Tasks already complete in the store before this run. */
  cached: number;
  /** Tasks completed with a valid assessment (this run or before). */
  ok: number;
  /** Replies recovered from the store (received before a crash, parsed now). */
  recovered: number;
  newCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  failures: TaskFailure[];
  seconds: number;
}

interface Task {
  key: string;
  model: ModelConfig;
  protocol: Protocol;
  person: PersonPrompt;
  repeat: number;
}

/** Hash of the parameters that change a reply; part of the cache key. */
export function paramsHash(model: ModelConfig): string {
  return sha256(JSON.stringify({ temperature: model.temperature, maxTokens: model.maxTokens, structuredOutput: model.structuredOutput })).slice(0, 16);
}

export function callKey(model: ModelConfig, protocol: Protocol, personId: string, repeat: number): string {
  return sha256(JSON.stringify([model.provider, model.baseUrl ?? "", model.model, protocol.id, protocol.version, paramsHash(model), personId, repeat])).slice(0, 32);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A rough token count for budgeting (≈ 4 characters per token for English text). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function selectModels(config: LlmConfig, names: string[] | undefined, configFile = "LLM config"): ModelConfig[] {
  if (!names?.length) return config.models;
  return names.map((name) => {
    const model = config.models.find((m) => m.name === name);
    if (!model) throw new UsageError(`no model "${name}" in ${configFile}`, `choose from: ${config.models.map((m) => m.name).join(", ")}`);
    return model;
  });
}

function makeTasks(models: ModelConfig[], protocols: Protocol[], allPersons: PersonPrompt[], repeats: number): Task[] {
  // A person listed twice would let two workers buy the same answer at once.
  const persons = [...new Map(allPersons.map((p) => [p.id, p])).values()];
  const tasks: Task[] = [];
  for (const model of models) {
    for (const protocol of protocols) {
      for (const person of persons) {
        for (let repeat = 0; repeat < repeats; repeat++) tasks.push({ key: callKey(model, protocol, person.id, repeat), model, protocol, person, repeat });
      }
    }
  }
  return tasks;
}

export async function inferTraits(options: InferOptions): Promise<InferSummary> {
  const started = performance.now();
  const protocols = (options.protocols?.length ? options.protocols : ["Number-L3-Inc" as ProtocolId]).map(getProtocol);
  const repeats = options.repeats ?? 1;
  const models = selectModels(options.config, options.models, options.configFile);
  const tasks = makeTasks(models, protocols, options.persons, repeats);
  const cache = await CallCache.open(options.connection);
  const existing = await cache.byKey();
  const rng = new Rng(options.seed ?? 0);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const event = options.onEvent ?? (() => undefined);
  const maxValidationRetries = options.maxValidationRetries ?? 2;
  const maxRefusalRetries = options.maxRefusalRetries ?? 1;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;

  const summary: InferSummary = { tasks: tasks.length, cached: 0, ok: 0, recovered: 0, newCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, failures: [], seconds: 0 };
  let done = 0;
  const progress = () => options.onProgress?.(done, tasks.length, `$${summary.costUsd.toFixed(4)} spent, ${summary.newCalls} calls`);

  // Tasks with a final outcome are skipped; replies received but never parsed are parsed now.
  const pending: Task[] = [];
  for (const task of tasks) {
    const calls = existing.get(task.key) ?? [];
    for (const call of calls.filter((c) => c.status === "received")) {
      const outcome = await settleReply(cache, call, task.protocol, calls, maxValidationRetries, maxRefusalRetries);
      summary.recovered++;
      event(`${task.model.name} ${task.person.id} r${task.repeat}: recovered a stored reply (${outcome})`);
    }
    const state = taskState(calls, options.retryFailed ?? false);
    if (state.complete) {
      summary.cached++;
      done++;
      if (state.ok) summary.ok++;
      else summary.failures.push({ llm: task.model.name, protocol: task.protocol.id, personId: task.person.id, repeat: task.repeat, status: state.status as "invalid" | "refused", message: state.message });
    } else pending.push(task);
  }
  progress();
  if (!pending.length) {
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  }

  const providers = options.providers ?? new Map<string, LlmProvider>();
  const byModel = new Map<string, Task[]>();
  for (const task of pending) {
    if (!providers.has(task.model.name)) providers.set(task.model.name, createProvider(task.model, options.env, options.configFile));
    byModel.set(task.model.name, [...(byModel.get(task.model.name) ?? []), task]);
  }

  const runTask = async (task: Task, provider: LlmProvider, limiter: RateLimiter, taskRng: Rng): Promise<void> => {
    const calls = [...(existing.get(task.key) ?? [])];
    // With retryFailed, a task that ended invalid/refused in an earlier run starts a fresh retry budget: only the
    // attempts after its last final one count against maxValidationRetries / maxRefusalRetries.
    const roundStart = calls.findLastIndex((c) => c.final) + 1;
    const prompt = buildPrompt(task.person, task.protocol, task.model.structuredOutput === "json-mode");
    const base: ChatRequest = { system: prompt.system, user: prompt.user, jsonSchema: replyJsonSchema(task.protocol), schemaName: "big_five" };
    const label = `${task.model.name} ${task.protocol.id} ${task.person.id} r${task.repeat}`;
    for (;;) {
      const round = calls.slice(roundStart);
      const invalid = round.filter((c) => c.status === "invalid");
      const refused = round.filter((c) => c.status === "refused");
      const last = calls[calls.length - 1];
      const request: ChatRequest = last?.status === "invalid"
        ? { ...base, followUp: [{ role: "assistant", text: last.rawReply }, { role: "user", text: `Your previous reply was not accepted: ${last.error}. Reply again with JSON that follows the schema exactly.` }] }
        : base;
      const estimate = estimateTokens(request.system + request.user + (request.followUp ?? []).map((m) => m.text).join("")) + task.model.maxTokens;
      let reply;
      try {
        reply = await withRetries(() => limiter.acquire(estimate).then(() => { summary.newCalls++; return provider.complete(request); }),
          task.model.maxRetries, baseDelayMs, maxDelayMs, taskRng, sleep, (error, wait, attempt) => event(`${label}: ${error.message}; retry ${attempt}/${task.model.maxRetries} in ${(wait / 1000).toFixed(1)}s`));
      } catch (error) {
        const message = error instanceof ProviderError
          ? `${error.message} (gave up after ${task.model.maxRetries} retries)`
          : `unexpected error: ${(error as Error).message}`;
        event(`${label}: FAILED: ${message}`);
        summary.failures.push({ llm: task.model.name, protocol: task.protocol.id, personId: task.person.id, repeat: task.repeat, status: "failed", message });
        return;
      }
      const cost = costOf(task.model, reply.inputTokens, reply.outputTokens);
      summary.inputTokens += reply.inputTokens;
      summary.outputTokens += reply.outputTokens;
      summary.costUsd += cost;
      // Paid output is stored before anything else looks at it.
      const raw = reply.refusal !== undefined && !reply.text ? JSON.stringify({ refusal: reply.refusal }) : reply.text;
      const id = await cache.recordReply({
        callKey: task.key, llm: task.model.name, provider: task.model.provider, model: task.model.model, protocol: task.protocol.id,
        protocolVersion: task.protocol.version, paramsHash: paramsHash(task.model), personId: task.person.id, repeat: task.repeat,
        attempt: calls.length + 1, rawReply: raw, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, costUsd: cost,
      });
      const stored: StoredCall = { id, callKey: task.key, llm: task.model.name, provider: task.model.provider, model: task.model.model, protocol: task.protocol.id,
        protocolVersion: task.protocol.version, paramsHash: paramsHash(task.model), personId: task.person.id, repeat: task.repeat, attempt: calls.length + 1,
        rawReply: raw, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, costUsd: cost, status: "received", error: null, final: false };
      calls.push(stored);
      let outcome: "ok" | "invalid" | "refused";
      if (reply.refusal !== undefined) {
        const final = refused.length + 1 > maxRefusalRetries;
        await cache.setOutcome(id, "refused", reply.refusal, final);
        Object.assign(stored, { status: "refused", error: reply.refusal, final });
        outcome = "refused";
      } else {
        const cutOff = reply.finishReason === "length" || reply.finishReason === "MAX_TOKENS";
        outcome = await settleReply(cache, stored, task.protocol, calls.slice(roundStart), maxValidationRetries, maxRefusalRetries, cutOff);
      }
      if (outcome === "ok") { summary.ok++; return; }
      if (stored.final) {
        const message = `${outcome === "refused" ? "the model refused" : "no valid reply"} after ${outcome === "refused" ? refused.length + 1 : invalid.length + 1} attempt(s): ${stored.error}`;
        event(`${label}: ${outcome.toUpperCase()}: ${message}`);
        summary.failures.push({ llm: task.model.name, protocol: task.protocol.id, personId: task.person.id, repeat: task.repeat, status: outcome, message });
        return;
      }
      event(`${label}: ${outcome} reply (${stored.error}); asking again`);
    }
  };

  await Promise.all([...byModel.entries()].map(async ([name, queue], modelIndex) => {
    const model = queue[0]!.model;
    const provider = providers.get(name)!;
    const limiter = new RateLimiter(model.requestsPerMinute, model.tokensPerMinute);
    let next = 0;
    const workers = Array.from({ length: Math.min(model.concurrency, queue.length) }, async (_, w) => {
      const workerRng = rng.fork(modelIndex * 1000 + w);
      while (next < queue.length) {
        const task = queue[next++]!;
        await runTask(task, provider, limiter, workerRng);
        done++;
        progress();
      }
    });
    await Promise.all(workers);
  }));
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** Parses a stored reply and records its outcome; returns the outcome. */
async function settleReply(cache: CallCache, call: StoredCall, protocol: Protocol, taskCalls: StoredCall[],
  maxValidationRetries: number, maxRefusalRetries: number, cutOff = false): Promise<"ok" | "invalid" | "refused"> {
  const parsed = parseReply(call.rawReply, protocol);
  const before = taskCalls.filter((c) => c !== call && c.id < call.id);
  if (parsed.ok) {
    await cache.setOutcome(call.id, "ok", null, true);
    Object.assign(call, { status: "ok", error: null, final: true });
    return "ok";
  }
  const status = parsed.kind === "refusal" ? "refused" : "invalid";
  const prior = before.filter((c) => c.status === status).length;
  const final = prior + 1 > (status === "refused" ? maxRefusalRetries : maxValidationRetries);
  const message = cutOff && status === "invalid" ? `the reply was cut off at the token limit (${parsed.message})` : parsed.message;
  await cache.setOutcome(call.id, status, message, final);
  Object.assign(call, { status, error: message, final });
  return status;
}

function taskState(calls: StoredCall[], retryFailed: boolean): { complete: boolean; ok: boolean; status?: string; message: string } {
  if (calls.some((c) => c.status === "ok")) return { complete: true, ok: true, message: "" };
  const final = calls.find((c) => c.final);
  if (final && !retryFailed) return { complete: true, ok: false, status: final.status, message: `${final.status} in an earlier run: ${final.error}` };
  return { complete: false, ok: false, message: "" };
}

/** Runs `call`, retrying retryable provider errors with exponential backoff and jitter, or Retry-After. */
export async function withRetries<T>(call: () => Promise<T>, maxRetries: number, baseDelayMs: number, maxDelayMs: number, rng: Rng,
  sleep: (ms: number) => Promise<void>, onRetry: (error: ProviderError, waitMs: number, attempt: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable || attempt >= maxRetries) throw error;
      const wait = retryDelayMs(error, attempt, baseDelayMs, maxDelayMs, rng);
      onRetry(error, wait, attempt + 1);
      await sleep(wait);
    }
  }
}

/**
 * Delay before retry `attempt` (0-based): the server's Retry-After when given (it knows its quota), else
 * "equal jitter" backoff: half of min(max, base·2^attempt) plus a uniform random half, so many workers
 * hit by the same 429 do not retry in lockstep.
 */
export function retryDelayMs(error: ProviderError, attempt: number, baseDelayMs: number, maxDelayMs: number, rng: Rng): number {
  // Retry-After is honoured even beyond maxDelayMs (up to 15 minutes): retrying earlier only earns another 429.
  if (error.retryAfterSeconds !== undefined) return Math.min(900_000, error.retryAfterSeconds * 1000) + rng.uniform() * 100;
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return ceiling / 2 + rng.uniform() * (ceiling / 2);
}

/** The valid assessments in the cache, for writing trait_assessments. */
export interface InferredAssessment {
  personId: string; llm: string; protocol: string; repeat: number; assessment: Assessment; rawReply: string;
  /** When the reply was received (provenance: the dataset card's dates). */
  createdAt: Date | null;
}

/**
 * One assessment per (person, LLM name, protocol, repeat), the store's key. The cache key also holds the
 * model id, base URL, parameters and protocol version, so a config change (a new model behind the name
 * "gpt", another temperature) makes new tasks for the same store key: the most recent valid reply wins,
 * the older ones stay in llm_calls.
 */
export async function storedAssessments(connection: DuckDBConnection): Promise<InferredAssessment[]> {
  const cache = await CallCache.open(connection);
  const latest = new Map<string, InferredAssessment>();
  for (const call of await cache.calls()) { // oldest first
    if (call.status !== "ok") continue;
    const parsed = parseReply(call.rawReply, getProtocol(call.protocol));
    if (!parsed.ok) {
      throw new ComputeError(`llm_calls row ${call.id} (${call.llm} ${call.protocol} person ${call.personId} repeat ${call.repeat}) is marked ok but no longer parses: ${parsed.message}`,
        "the protocol's reply format changed without a version bump: bump its version in src/traits/protocols.ts and rerun 'personax traits infer'");
    }
    latest.set(JSON.stringify([call.personId, call.llm, call.protocol, call.repeat]), {
      personId: call.personId, llm: call.llm, protocol: call.protocol, repeat: call.repeat, assessment: parsed.assessment, rawReply: call.rawReply,
      createdAt: call.createdAt ?? null,
    });
  }
  return [...latest.values()];
}

export interface DryRunPlan {
  tasks: number;
  cached: number;
  toRun: number;
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
  estimatedCostUsd: number;
  /** One example prompt per model × protocol. */
  examples: Array<{ llm: string; protocol: string; system: string; user: string }>;
}

/** What a run would do, without calling anything: prompts, counts and a cost estimate. */
export async function planInference(options: Pick<InferOptions, "config" | "configFile" | "models" | "protocols" | "repeats" | "persons" | "connection">): Promise<DryRunPlan> {
  const protocols = (options.protocols?.length ? options.protocols : ["Number-L3-Inc" as ProtocolId]).map(getProtocol);
  const models = selectModels(options.config, options.models, options.configFile);
  const tasks = makeTasks(models, protocols, options.persons, options.repeats ?? 1);
  const existing = await (await CallCache.open(options.connection)).byKey();
  const plan: DryRunPlan = { tasks: tasks.length, cached: 0, toRun: 0, estimatedInputTokens: 0, estimatedOutputTokens: 0, estimatedCostUsd: 0, examples: [] };
  const seen = new Set<string>();
  for (const task of tasks) {
    const prompt = buildPrompt(task.person, task.protocol, task.model.structuredOutput === "json-mode");
    if (!seen.has(task.model.name + task.protocol.id)) {
      seen.add(task.model.name + task.protocol.id);
      plan.examples.push({ llm: task.model.name, protocol: task.protocol.id, ...prompt });
    }
    if (taskState(existing.get(task.key) ?? [], false).complete) { plan.cached++; continue; }
    plan.toRun++;
    const input = estimateTokens(prompt.system + prompt.user + JSON.stringify(replyJsonSchema(task.protocol)));
    // About 60 tokens per trait description and score; capped by maxTokens.
    const output = Math.min(task.model.maxTokens, 350);
    plan.estimatedInputTokens += input;
    plan.estimatedOutputTokens += output;
    plan.estimatedCostUsd += costOf(task.model, input, output);
  }
  return plan;
}
