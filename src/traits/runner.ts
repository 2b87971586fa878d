import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { CallCache, type StoredCall } from "./call-cache.ts";
import { apiKeyFor, costOf, type LlmConfig, type ModelConfig } from "./config.ts";
import { buildPrompt, getProtocol, parseReply, replyJsonSchema, type Assessment, type PersonPrompt, type Protocol, type ProtocolId } from "./protocols.ts";
import { createProvider, ProviderError, type ChatReply, type ChatRequest, type LlmProvider } from "./providers/index.ts";
import { secretRedactor } from "./redact.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { ComputeError, ConfigError, UsageError } from "../errors.ts";
import { Rng } from "../util/rng.ts";
import type { ProgressCallback } from "../util/progress.ts";

/**
 * The trait-inference runner (`personax traits infer`). One task = one person × model × protocol ×
 * repeat (0-based, as the store's trait_assessments). Tasks are keyed by (provider, model, protocol version, parameters hash, person, repeat); the
 * key's calls live in the store's `llm_calls` table, so the run is resumable and idempotent: a rerun
 * makes zero new calls for completed tasks, and a reply received before a crash is parsed from the
 * store instead of being bought again.
 *
 * What is paid for twice: nothing that reached the store. Each request is recorded before it is sent (write-
 * ahead, see call-cache.ts), so a crash or kill can only lose the replies of the requests in flight at that
 * moment, at most `concurrency` per model; the next run counts them exactly (`lostInFlight`) and asks again.
 * Each request carries an `Idempotency-Key` (task key + attempt, the same when re-asked) for the gateways that
 * honour one; the OpenAI and Gemini chat APIs do not document it, so the bound above is the promise.
 *
 * Identity: an assessment is identified by (provider, base URL, model id, parameters, protocol version, person,
 * repeat); the config's `name` is only its label. Renaming a model keeps its assessments and relabels them
 * (`relabelled`); two names for the same model in one config, or a model or protocol listed twice, are refused
 * or merged so that no task is bought twice.
 *
 * Failure policy:
 * - 429, 5xx, 408, timeouts and dropped connections: exponential backoff with jitter (or exactly the
 *   server's Retry-After), up to the model's `maxRetries`; then the task fails (no reply was paid for,
 *   so it is not cached, and a rerun tries again).
 * - any other 4xx (401 bad key, 403, 400 bad request, 404 unknown model) and a 200 reply that is not a chat
 *   completion (an HTML page) would fail the same way for every task: not retried, and the run stops
 *   (`stopped`) after the tasks already under way.
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

export interface TaskFailure { llm: string; protocol: string; personId: string; repeat: number; status: "failed" | "invalid" | "refused" | "not run"; message: string }

export interface InferSummary {
  tasks: number;
  /** Tasks already complete in the store before this run. */
  cached: number;
  /** Tasks completed with a valid assessment (this run or before). */
  ok: number;
  /** Replies recovered from the store (received before a crash, parsed now). */
  recovered: number;
  /** Requests sent by this run. */
  newCalls: number;
  /** Replies received by this run (stored before parsing). */
  received: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  failures: TaskFailure[];
  /** Requests an earlier run had sent when it stopped (crash, kill): their replies were lost and were asked again. */
  lostInFlight: number;
  /** Stored tasks whose model now has another name in the config (relabelled to it). */
  relabelled: number;
  /** Set when a non-retryable error stopped the run (tasks not started are "not run"). */
  stopped?: { llm: string; status?: number; message: string };
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

/**
 * The models to run (each once, however often it is named). Two config names for the same model (same
 * provider, base URL, model id and parameters) are refused: their assessments would be the same replies.
 */
export function selectModels(config: LlmConfig, names: string[] | undefined, configFile = "LLM config"): ModelConfig[] {
  const chosen = !names?.length ? config.models : [...new Set(names)].map((name) => {
    const model = config.models.find((m) => m.name === name);
    if (!model) throw new UsageError(`no model "${name}" in ${configFile}`, `choose from: ${config.models.map((m) => m.name).join(", ")}`);
    return model;
  });
  const byIdentity = new Map<string, ModelConfig>();
  for (const model of chosen) {
    const identity = modelIdentity(model);
    const twin = byIdentity.get(identity);
    if (twin) {
      throw new ConfigError(configFile, `models "${twin.name}" and "${model.name}" are the same model (${describeModel(model)}, same parameters): every task would be bought twice`,
        `keep one of the two entries (an assessment belongs to the provider's model id; the name is only its label)`);
    }
    byIdentity.set(identity, model);
  }
  return chosen;
}

function modelIdentity(model: ModelConfig): string {
  return JSON.stringify([model.provider, model.baseUrl ?? "", model.model, paramsHash(model)]);
}

function describeModel(model: ModelConfig): string {
  return `${model.provider} "${model.model}"${model.baseUrl ? ` at ${model.baseUrl}` : ""}`;
}

function makeTasks(models: ModelConfig[], allProtocols: Protocol[], allPersons: PersonPrompt[], repeats: number): Task[] {
  // A person or protocol listed twice would let two workers buy the same answer at once.
  const persons = [...new Map(allPersons.map((p) => [p.id, p])).values()];
  const protocols = [...new Map(allProtocols.map((p) => [p.id, p])).values()];
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
  // Keys never reach a message or the store, even when a provider echoes them.
  const secrets = models.map((m) => apiKeyFor(m, options.env));
  const redact = secretRedactor(secrets);
  const redactStored = secretRedactor(secrets, true);
  const event = (message: string) => options.onEvent?.(redact(message));
  let stop: { error: ProviderError; llm: string; status?: number; message: string } | undefined;
  const maxValidationRetries = options.maxValidationRetries ?? 2;
  const maxRefusalRetries = options.maxRefusalRetries ?? 1;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;

  const summary: InferSummary = { tasks: tasks.length, cached: 0, ok: 0, recovered: 0, newCalls: 0, received: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, failures: [],
    lostInFlight: 0, relabelled: 0, seconds: 0 };
  const lost = await cache.markLostRequests();
  summary.lostInFlight = lost.length;
  if (lost.length) {
    event(`${lost.length} request(s) were in flight when an earlier run stopped; their replies never reached the store, so they are asked again ` +
      `(the provider may have billed them: at most 'concurrency' per model per interruption)`);
  }
  await relabelRenamedModels(cache, options.connection, tasks, existing, event, summary);
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

  const fail = (task: Task, status: TaskFailure["status"], message: string) =>
    summary.failures.push({ llm: task.model.name, protocol: task.protocol.id, personId: task.person.id, repeat: task.repeat, status, message: redact(message) });

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
      const attempt = calls.length + 1;
      const requestRow = { callKey: task.key, llm: task.model.name, provider: task.model.provider, model: task.model.model, protocol: task.protocol.id,
        protocolVersion: task.protocol.version, paramsHash: paramsHash(task.model), personId: task.person.id, repeat: task.repeat, attempt };
      let reply: ChatReply;
      let sends = 0;
      let id = 0;
      try {
        reply = await withRetries(async () => {
          await limiter.acquire(estimate);
          if (stop) throw stop.error; // another task hit a non-retryable error while this one waited
          // Write-ahead: the request is in the store before it leaves, so a kill now is counted by the next run.
          id = await cache.recordRequest(requestRow);
          summary.newCalls++;
          sends++;
          try {
            return await provider.complete({ ...request, idempotencyKey: `${task.key}-${attempt}` });
          } catch (error) {
            // A server that answered with an error status billed nothing: the write-ahead row goes. A timeout or a cut
            // connection may have been billed: the row stays, as "error".
            if (error instanceof ProviderError && error.status !== undefined) await cache.forgetRequest(id);
            else await cache.recordFailure(id, redact(error instanceof Error ? error.message : String(error)));
            throw error;
          }
        }, task.model.maxRetries, baseDelayMs, maxDelayMs, taskRng, sleep,
        (error, wait, retry) => event(`${label}: ${error.message}; retry ${retry}/${task.model.maxRetries} in ${(wait / 1000).toFixed(1)}s`));
      } catch (error) {
        if (error instanceof ProviderError && !error.retryable) {
          const message = `${error.message} (${error.status && error.status !== 200 ? `HTTP ${error.status} is not temporary` : "not temporary"}: not retried)`;
          if (!stop) {
            stop = { error, llm: task.model.name, status: error.status, message };
            event(`${label}: STOPPING the run: ${message}`);
          }
          if (sends > 0) fail(task, "failed", message);
          else fail(task, "not run", `not run: the run stopped (${stop.message})`);
          return;
        }
        const message = error instanceof ProviderError
          ? `${error.message} (${sends} request(s) made, gave up after ${Math.max(0, sends - 1)} retries)`
          : `unexpected error: ${(error as Error).message}`;
        event(`${label}: FAILED: ${message}`);
        fail(task, "failed", message);
        return;
      }
      const cost = costOf(task.model, reply.inputTokens, reply.outputTokens);
      summary.received++;
      summary.inputTokens += reply.inputTokens;
      summary.outputTokens += reply.outputTokens;
      summary.costUsd += cost;
      // Paid output is stored before anything else looks at it.
      const raw = redactStored(reply.refusal !== undefined && !reply.text ? JSON.stringify({ refusal: reply.refusal }) : reply.text);
      await cache.recordReply(id, { rawReply: raw, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, costUsd: cost });
      const stored: StoredCall = { id, ...requestRow, rawReply: raw, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, costUsd: cost, status: "received", error: null, final: false };
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
        fail(task, outcome, message);
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
        if (stop) { fail(task, "not run", `not run: the run stopped (${stop.message})`); done++; continue; }
        await runTask(task, provider, limiter, workerRng);
        done++;
        progress();
      }
    });
    await Promise.all(workers);
  }));
  if (stop) summary.stopped = { llm: stop.llm, status: stop.status, message: redact(stop.message) };
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/**
 * Tasks whose stored calls carry another model name than the config's (the model was renamed): the calls
 * and the trait_assessments rows written from them take the new name, and the event says so.
 */
async function relabelRenamedModels(cache: CallCache, connection: DuckDBConnection, tasks: Task[], existing: Map<string, StoredCall[]>,
  event: (message: string) => void, summary: InferSummary): Promise<void> {
  const renamed = new Map<string, number>(); // "old → new" → tasks
  const hasAssessments = Number((await connection.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'trait_assessments'`)).getRows()[0]![0]) > 0;
  for (const task of tasks) {
    const calls = existing.get(task.key) ?? [];
    const old = calls.find((c) => c.llm !== task.model.name)?.llm;
    if (old === undefined) continue;
    await cache.relabel(task.key, task.model.name);
    for (const c of calls) c.llm = task.model.name;
    if (hasAssessments) {
      await connection.run(`DELETE FROM trait_assessments WHERE llm = $1 AND person_id = $2 AND protocol = $3 AND "repeat" = $4`,
        [old, task.person.id, task.protocol.id, task.repeat]);
    }
    const what = `"${old}" → "${task.model.name}"`;
    renamed.set(what, (renamed.get(what) ?? 0) + 1);
    summary.relabelled++;
  }
  for (const [what, n] of renamed) {
    event(`model renamed ${what}: ${n} stored task(s) of the same model (provider, model id and parameters unchanged) now appear under the new name`);
  }
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
