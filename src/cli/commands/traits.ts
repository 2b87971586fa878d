import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { parseOptions, seedOption, splitList } from "../options.ts";
import { openStore } from "../../dataset/store.ts";
import { ConfigError, PersonaxError, UsageError } from "../../errors.ts";
import { JobQueue } from "../../scale/producer.ts";
import { queuedInference } from "../../scale/traits-queue.ts";
import { apiKeyFor, exampleLlmConfig, loadLlmConfig } from "../../traits/config.ts";
import { secretRedactor } from "../../traits/redact.ts";
import { createSyntheticIdentities, importIdentities, readPersonPrompts } from "../../traits/identities.ts";
import { inferTraits, planInference, type InferSummary } from "../../traits/runner.ts";
import { aggregateFinals, syncAssessments } from "../../traits/aggregate.ts";
import { agreementFromStore, formatAgreement, writeAgreement } from "../../traits/agreement.ts";
import { DEFAULT_PROTOCOL, getProtocol, protocolIds, type ProtocolId } from "../../traits/protocols.ts";

const protocolList = z.string().transform((s, ctx) => {
  const ids = splitList(s);
  for (const id of ids) {
    if (!(protocolIds as readonly string[]).includes(id)) ctx.addIssue({ code: "custom", message: `unknown protocol "${id}"; valid: ${protocolIds.join(", ")}` });
  }
  return ids as ProtocolId[];
});

const InferOptions = z.object({
  store: z.string().min(1),
  config: z.string().min(1),
  models: z.string().optional(),
  protocols: protocolList,
  repeats: z.coerce.number().int().min(1).max(100),
  identities: z.string().optional(),
  syntheticNames: z.boolean(),
  dryRun: z.boolean(),
  retryFailed: z.boolean(),
  seed: seedOption,
  json: z.boolean(),
  queue: z.string().min(1).optional(),
});

export const traitsCommand = (io: CliIo) => {
  const traits = new Command("traits").description("LLM-inferred Big Five traits: inference, aggregation, agreement");

  traits.command("infer")
    .description("ask each configured LLM for every person's Big Five (resumable; cached in the store)")
    .requiredOption("--store <path>", "PersonaX store (.duckdb)")
    .requiredOption("--config <file>", "LLM config JSON (see 'personax traits example-config')")
    .option("--models <names>", "comma-separated model names from the config (default: all)")
    .option("--protocols <ids>", `comma-separated prompt protocols: ${protocolIds.join(", ")}`, DEFAULT_PROTOCOL)
    .option("--repeats <r>", "ask each question R times (consistency study)", "1")
    .option("--identities <csv>", "CSV with id,name,context (league or short description) to use in prompts")
    .option("--synthetic-names", "invent names for persons without an identity (synthetic data only)", false)
    .option("--dry-run", "print the prompts and a cost estimate; call nothing", false)
    .option("--retry-failed", "ask again for tasks that ended invalid or refused in an earlier run", false)
    .option("--seed <n>", "seed of the retry jitter", "0")
    .option("--queue <url>", "make the requests on queue workers ('personax worker', which read the API keys from their own environment) through this Redis")
    .option("--json", "print the summary as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(InferOptions, raw, "traits infer");
      const config = await loadLlmConfig(opts.config);
      // Belt and braces: whatever is printed passes the key filter (the runner already redacts its messages).
      const redact = secretRedactor(config.models.map((m) => apiKeyFor(m)));
      const out = (text: string) => io.out(redact(text));
      const err = (text: string) => io.err(redact(text));
      const store = await openStore(opts.store, { create: false });
      try {
        if (opts.identities) await importIdentities(store, opts.identities);
        if (opts.syntheticNames) await createSyntheticIdentities(store, opts.seed);
        const persons = await readPersonPrompts(store);
        if (!persons.length) {
          throw new UsageError(`no person in ${opts.store} has a name for the prompts`,
            "pass --identities names.csv (columns id,name,context), or --synthetic-names for synthetic data");
        }
        const common = { config, configFile: opts.config, models: splitList(opts.models), protocols: opts.protocols, repeats: opts.repeats, persons, connection: store.connection };
        if (opts.dryRun) {
          const plan = await planInference(common);
          if (opts.json) { io.out(JSON.stringify(plan, null, 2)); return; }
          for (const example of plan.examples) io.out(`--- ${example.llm} / ${example.protocol} ---\n[system] ${example.system}\n[user] ${example.user}\n`);
          io.out(`${plan.tasks} tasks: ${plan.cached} already in the store, ${plan.toRun} to run; estimated ${plan.estimatedInputTokens} input + ` +
            `${plan.estimatedOutputTokens} output tokens ≈ $${plan.estimatedCostUsd.toFixed(4)}`);
          return;
        }
        const progress = io.progress({ label: "traits infer", total: 0, unit: "tasks" });
        const started = new Date();
        const queue = opts.queue ? await JobQueue.open({ redisUrl: opts.queue, onEvent: err }) : undefined;
        let summary;
        try {
          const queued = queue && await queuedInference(queue, config, common.models, opts.config);
          summary = await inferTraits({ ...common, ...(queued ? { config: queued.config, providers: queued.providers } : {}),
            seed: opts.seed, retryFailed: opts.retryFailed, onProgress: progress.callback, onEvent: err });
          await queued?.close();
        } finally {
          await queue?.close();
        }
        progress.finish(`$${summary.costUsd.toFixed(4)} spent`);
        const assessments = await syncAssessments(store);
        const finals = await aggregateFinals(store);
        // A run that received nothing (e.g. stopped by a bad key at its first request) leaves the store as it was.
        if (summary.received > 0 || summary.recovered > 0 || summary.relabelled > 0) await store.recordRun({ what: "traits infer", startedAt: started, finishedAt: new Date(), seed: opts.seed,
          params: { models: common.models.length ? common.models : config.models.map((m) => m.name), protocols: opts.protocols, repeats: opts.repeats,
            modelIds: Object.fromEntries(config.models.filter((m) => !common.models.length || common.models.includes(m.name)).map((m) => [m.name, m.model])), protocolVersions: Object.fromEntries(opts.protocols.map((p) => [p, getProtocol(p).version])),
            newCalls: summary.newCalls, costUsd: summary.costUsd } });
        if (opts.json) out(JSON.stringify({ ...summary, assessments, finals }, null, 2));
        else {
          out(`${summary.tasks} tasks: ${summary.ok} ok (${summary.cached} from the store, ${summary.recovered} replies recovered), ${summary.failures.length} not ok; ` +
            `${summary.newCalls} new calls, ${summary.inputTokens} + ${summary.outputTokens} tokens, $${summary.costUsd.toFixed(4)}; ${finals} persons aggregated`);
          if (summary.lostInFlight) {
            out(`  ${summary.lostInFlight} request(s) were in flight when an earlier run stopped: their replies were lost and they were asked again (the provider may have billed them twice)`);
          }
          if (summary.relabelled) out(`  ${summary.relabelled} stored task(s) of a renamed model now appear under its new name`);
          for (const f of summary.failures) out(`  ${f.status}: ${f.llm} ${f.protocol} ${f.personId} repeat ${f.repeat}: ${f.message}`);
        }
        throwIfRunFailed(summary, opts.config);
      } finally {
        store.close();
      }
    });

  traits.command("aggregate")
    .description("write final_* = median of the non-zero LLM scores (per-LLM scores are kept)")
    .requiredOption("--store <path>", "PersonaX store (.duckdb)")
    .option("--protocol <id>", "protocol whose scores are aggregated", DEFAULT_PROTOCOL)
    .option("--json", "print the counts as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(z.object({ store: z.string(), protocol: z.enum(protocolIds), json: z.boolean() }), raw, "traits aggregate");
      const store = await openStore(opts.store, { create: false });
      try {
        const assessments = await syncAssessments(store);
        const persons = await aggregateFinals(store, { protocol: opts.protocol });
        io.out(opts.json ? JSON.stringify({ protocol: opts.protocol, assessments, persons }, null, 2) : `${persons} persons aggregated (${assessments} assessments, protocol ${opts.protocol})`);
      } finally { store.close(); }
    });

  traits.command("agreement")
    .description("ICC, Krippendorff's alpha, Spearman between LLMs, SD over repeats, between-protocol disagreement")
    .requiredOption("--store <path>", "PersonaX store (.duckdb)")
    .option("--protocol <id>", "protocol compared across LLMs", DEFAULT_PROTOCOL)
    .option("--out <dir>", "also write agreement.json, .txt and .svg here")
    .option("--json", "print the report as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(z.object({ store: z.string(), protocol: z.string(), out: z.string().optional(), json: z.boolean() }), raw, "traits agreement");
      const started = new Date();
      const store = await openStore(opts.store, { readOnly: true });
      let report;
      try { report = await agreementFromStore(store, { protocol: opts.protocol }); } finally { store.close(); }
      if (!report.llms.length) throw new UsageError(`no assessments under protocol ${opts.protocol} in ${opts.store}`, "run 'personax traits infer' first");
      if (opts.out) io.err(`wrote ${(await writeAgreement(report, opts.out, { params: { store: opts.store, protocol: opts.protocol }, started })).join(", ")}`);
      io.out(opts.json ? JSON.stringify(report, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) : formatAgreement(report));
    });

  traits.command("example-config")
    .description("print an example LLM config (keys are read from the environment variables it names)")
    .action(() => io.out(JSON.stringify(exampleLlmConfig, null, 2)));

  return traits;
};

/**
 * The exit status of a finished run: a non-retryable provider error (bad key, bad request, wrong baseUrl)
 * is bad configuration (exit 2); a run where no task produced a valid assessment, or where tasks failed after
 * their retries, is a failure (exit 1). What was received is in the store either way.
 */
function throwIfRunFailed(summary: InferSummary, configFile: string): void {
  if (summary.stopped) {
    const { status, llm, message } = summary.stopped;
    const fix = status === 401 || status === 403
      ? `check the key in the environment variable that model "${llm}" names (apiKeyEnv in ${configFile}); completed tasks are kept`
      : `check model "${llm}" in ${configFile} (model id, baseUrl, structuredOutput); completed tasks are kept`;
    throw new ConfigError(configFile, `the run stopped: ${message}`, fix);
  }
  const notOk = summary.failures.length;
  if (summary.tasks > 0 && summary.ok === 0 && notOk > 0) {
    const statuses = [...new Set(summary.failures.map((f) => f.status))].join("/");
    throw new PersonaxError("E_LLM", `none of the ${summary.tasks} task(s) produced a valid assessment (all ${statuses})`,
      "see the messages above; if the replies are invalid, check the model's structuredOutput setting, or rerun with --retry-failed");
  }
  const failed = summary.failures.filter((f) => f.status === "failed").length;
  if (failed) throw new PersonaxError("E_LLM", `${failed} task(s) failed after retries`, "rerun the same command later: completed tasks are not asked again");
}
