import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { parseOptions, seedOption, splitList } from "../options.ts";
import { openStore } from "../../dataset/store.ts";
import { PersonaxError, UsageError } from "../../errors.ts";
import { JobQueue } from "../../scale/producer.ts";
import { queuedInference } from "../../scale/traits-queue.ts";
import { exampleLlmConfig, loadLlmConfig } from "../../traits/config.ts";
import { createSyntheticIdentities, importIdentities, readPersonPrompts } from "../../traits/identities.ts";
import { inferTraits, planInference } from "../../traits/runner.ts";
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
        const queue = opts.queue ? await JobQueue.open({ redisUrl: opts.queue, onEvent: (m) => io.err(m) }) : undefined;
        let summary;
        try {
          const queued = queue && await queuedInference(queue, config, common.models, opts.config);
          summary = await inferTraits({ ...common, ...(queued ? { config: queued.config, providers: queued.providers } : {}),
            seed: opts.seed, retryFailed: opts.retryFailed, onProgress: progress.callback, onEvent: (m) => io.err(m) });
          await queued?.close();
        } finally {
          await queue?.close();
        }
        progress.finish(`$${summary.costUsd.toFixed(4)} spent`);
        const assessments = await syncAssessments(store);
        const finals = await aggregateFinals(store);
        await store.recordRun({ what: "traits infer", startedAt: started, finishedAt: new Date(), seed: opts.seed,
          params: { models: common.models.length ? common.models : config.models.map((m) => m.name), protocols: opts.protocols, repeats: opts.repeats,
            modelIds: Object.fromEntries(config.models.filter((m) => !common.models.length || common.models.includes(m.name)).map((m) => [m.name, m.model])), protocolVersions: Object.fromEntries(opts.protocols.map((p) => [p, getProtocol(p).version])),
            newCalls: summary.newCalls, costUsd: summary.costUsd } });
        if (opts.json) io.out(JSON.stringify({ ...summary, assessments, finals }, null, 2));
        else {
          io.out(`${summary.tasks} tasks: ${summary.ok} ok (${summary.cached} from the store, ${summary.recovered} replies recovered), ${summary.failures.length} not ok; ` +
            `${summary.newCalls} new calls, ${summary.inputTokens} + ${summary.outputTokens} tokens, $${summary.costUsd.toFixed(4)}; ${finals} persons aggregated`);
          for (const f of summary.failures) io.out(`  ${f.status}: ${f.llm} ${f.protocol} ${f.personId} repeat ${f.repeat}: ${f.message}`);
        }
        const failed = summary.failures.filter((f) => f.status === "failed").length;
        if (failed) throw new PersonaxError("E_LLM", `${failed} task(s) failed after retries`, "rerun the same command later: completed tasks are not asked again");
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
