import { Command } from "commander";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { readFile } from "node:fs/promises";
import { parseOptions, seedOption, splitList } from "../options.ts";
import { UsageError } from "../../errors.ts";
import { interpretCrlRun, scoreInterpretation } from "../../crl/interpret.ts";
import { CrlMode } from "../../crl/config.ts";
import { loadCrlRunConfig, runCrlFromConfig } from "../../crl/run-config.ts";
import { syntheticTrainDefaults } from "../../crl/synthetic-run.ts";
import { parseSeedList, runCaseSweepLocally, runCaseSweepOnQueue, sweepStats, type CaseRunSpec, type CaseRunSummary, type SweepStats } from "../../scale/crl-sweep.ts";
import { evaluateCrlRun } from "../../crl/evaluate.ts";
import { saveCurves } from "../../crl/curves.ts";
import { crlCaseIds } from "../../synth/crl-cases.ts";
import { MNIST_BUDGET, MNIST_METHOD_NAMES, runMnistMethod, saveMnistRun } from "../../crl/baselines/index.ts";

const InterpretOptions = z.object({
  run: z.string().min(1), store: z.string().min(1), tests: z.string(), alpha: z.coerce.number().gt(0).lt(1), columns: z.string().optional(),
  split: z.enum(["all", "eval"]), links: z.string().optional(), truth: z.string().optional(), json: z.boolean(),
});
const TrainOptions = z.object({ config: z.string().min(1), json: z.boolean() });
const EvalOptions = z.object({ run: z.string().min(1), truth: z.string().optional(), method: z.enum(["pearson", "spearman"]), out: z.string().optional(), json: z.boolean() });
const BenchCaseOptions = z.object({
  seed: seedOption,
  seeds: z.string().optional(),
  mode: CrlMode,
  epochs: z.coerce.number().int().min(1).optional(),
  lr: z.coerce.number().gt(0).optional(),
  batchSize: z.coerce.number().int().min(0).optional(),
  n: z.coerce.number().int().min(50).optional(),
  queue: z.string().min(1).optional(),
  out: z.string().optional(),
  json: z.boolean(),
});

const BenchMnistOptions = z.object({
  method: z.enum(MNIST_METHOD_NAMES as [string, ...string[]]),
  seed: seedOption,
  n: z.coerce.number().int().min(50).optional(),
  epochs: z.coerce.number().int().min(1).optional(),
  out: z.string().optional(),
  json: z.boolean(),
});

const fmt = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : v.toFixed(3));

export const crlCommand = (io: CliIo) => {
  const crl = new Command("crl").description("Level II: causal representation learning (train, evaluate, synthetic benchmark cases)");

  crl.command("train")
    .description("train the CRL model from a crl.json config (store embeddings or a synthetic case), write latents back, run PC on them")
    .requiredOption("--config <path>", "crl.json (see src/crl/run-config.ts for the fields)")
    .option("--json", "print the run summary as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(TrainOptions, raw, "crl train");
      const { config, baseDir } = await loadCrlRunConfig(opts.config);
      const epochs = config.train.epochs;
      const bar = io.progress({ label: "crl train", total: epochs, unit: "epochs" });
      const summary = await runCrlFromConfig(config, { baseDir, callbacks: { onProgress: bar.callback }, log: (line) => io.err(line) });
      bar.finish();
      if (opts.json) io.out(JSON.stringify(summary, null, 2));
      else {
        io.out([
          `CRL run: ${summary.source}`,
          `${summary.rows} rows, latents ${summary.latentNames.join(", ")}`,
          `${summary.epochs} epochs, ${summary.secondsPerEpoch.toFixed(3)} s/epoch; final validation loss ${summary.final.valLoss.toPrecision(4)}`,
          ...(summary.final.mcc !== undefined ? [`MCC ${fmt(summary.final.mcc)}, R² ${fmt(summary.final.r2)} (in-sample), ${fmt(summary.final.r2HeldOut)} (held-out)`] : []),
          ...(summary.storeRunId !== undefined ? [`latents written to the store as CRL run ${summary.storeRunId}`] : []),
          ...(summary.pc ? [`PC (${summary.pc.test}, α = ${summary.pc.alpha}) on ${summary.pc.rows} evaluation rows: ${summary.pc.edges.join("; ") || "no edges"}`] : []),
          `outputs in ${summary.outDir}`,
        ].join("\n"));
      }
    });

  crl.command("eval")
    .description("score a CRL run's latents against the true latents (MCC, R² in-sample and held-out, SHD)")
    .requiredOption("--run <dir>", "output folder of 'personax crl train'")
    .option("--truth <path>", "true latents: CSV with an id column and one column per latent (default: the run's synthetic truth)")
    .option("--method <name>", "correlation for MCC: pearson or spearman", "pearson")
    .option("--out <dir>", "also write evaluation.json and a run manifest here (for 'personax report')")
    .option("--json", "print JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(EvalOptions, raw, "crl eval");
      const result = await evaluateCrlRun(opts.run, { truthPath: opts.truth, method: opts.method, out: opts.out });
      if (opts.json) io.out(JSON.stringify(result, null, 2));
      else {
        io.out([
          `evaluation split: ${result.rows} rows; true latents ${result.trueNames.join(", ")}; learned ${result.learnedNames.join(", ")}`,
          `MCC (${opts.method}) ${fmt(result.mcc)}: ${result.pairs.map((p) => `${p.truth}~${p.learned} ${p.absR.toFixed(3)}`).join(", ")}`,
          `R² ${fmt(result.r2InSample)} in-sample, ${fmt(result.r2HeldOut)} held-out (kernel ridge, ${result.r2Rows} rows)`,
          ...(result.shd !== undefined ? [`SHD of the learned latent graph vs the truth: ${result.shd}`] : []),
        ].join("\n"));
      }
    });

  crl.command("bench-case")
    .description(`train on seeded replicates of a synthetic benchmark case (${crlCaseIds.join(", ")}) and report MCC/R² (mean, spread and worst over --seeds)`)
    .argument("<case>", `case id: ${crlCaseIds.join(", ")}`)
    .option("--seed <n>", "random seed (data and training)", "1")
    .option("--seeds <list>", "a sweep over seeds instead, e.g. 1-10 or 1,4,9: one run per seed")
    .option("--mode <mode>", "default or faithful (the public code's behaviour)", "default")
    .option("--epochs <n>", "training epochs (default: the benchmark's)")
    .option("--lr <rate>", "learning rate")
    .option("--batch-size <n>", "mini-batch size (0 = full batch)")
    .option("--n <rows>", "rows to generate (default 10,000)")
    .option("--queue <url>", "run each seed as a job on queue workers ('personax worker') through this Redis")
    .option("--out <dir>", "save curves (JSON, SVG, PNG) here (one sub-folder per seed in a sweep)")
    .option("--json", "print JSON", false)
    .action(async (caseId: string, raw) => {
      const opts = parseOptions(BenchCaseOptions, raw, "crl bench-case");
      if (!(crlCaseIds as readonly string[]).includes(caseId)) throw new UsageError(`personax crl bench-case: unknown case "${caseId}"`, `use one of ${crlCaseIds.join(", ")}`);
      const sweep = opts.seeds !== undefined;
      if (sweep && raw.seed !== "1") throw new UsageError("personax crl bench-case: --seed and --seeds go separately", "pass --seeds for a sweep, --seed for one run");
      const seeds = sweep ? parseSeedList(opts.seeds!) : [opts.seed];
      const epochs = opts.epochs ?? syntheticTrainDefaults(opts.mode).epochs;
      const specs: CaseRunSpec[] = seeds.map((seed) => ({
        caseId, seed, mode: opts.mode, nSamples: opts.n,
        train: { epochs, ...(opts.lr !== undefined ? { learningRate: opts.lr } : {}), ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}) },
      }));
      const line = (r: CaseRunSummary) => `case ${caseId}, seed ${r.seed}, ${opts.mode} mode, ${r.epochs} epochs (${r.secondsPerEpoch.toFixed(2)} s/epoch): ` +
        `MCC ${fmt(r.mcc)} (best ${fmt(r.bestMcc)} at epoch ${r.bestEpoch}), R² ${fmt(r.r2)} in-sample / ${fmt(r.r2HeldOut)} held-out` + (r.shd !== undefined ? `, SHD ${r.shd}` : "");
      let runs: CaseRunSummary[];
      if (opts.queue) {
        const bar = io.progress({ label: `crl case ${caseId} (${opts.mode}) on the queue`, total: specs.length, unit: "runs" });
        const { JobQueue } = await import("../../scale/producer.ts"); // BullMQ loads only for --queue
        const queue = await JobQueue.open({ redisUrl: opts.queue, onEvent: (m) => io.err(m) });
        runs = await runCaseSweepOnQueue(queue, specs, (_, done) => bar.update(done, specs.length)).finally(() => queue.close());
        bar.finish();
      } else {
        const bar = io.progress({ label: `crl case ${caseId} (${opts.mode})`, total: epochs * specs.length, unit: "epochs" });
        runs = await runCaseSweepLocally(specs, bar.callback);
        bar.finish();
      }
      const files: string[] = [];
      for (const r of runs) if (opts.out) files.push(...await saveCurves(resolve(opts.out, sweep ? `seed-${r.seed}` : "."), r.curves));
      const brief = (r: CaseRunSummary) => ({ ...r, curves: undefined });
      if (!sweep) {
        const r = runs[0]!;
        if (opts.json) io.out(JSON.stringify({ ...brief(r), files }, null, 2));
        else io.out(line(r) + (files.length ? `\ncurves: ${join(resolve(opts.out!), "curves.json")}` : ""));
        return;
      }
      const stats = { mcc: sweepStats(runs, "mcc"), r2: sweepStats(runs, "r2"), r2HeldOut: sweepStats(runs, "r2HeldOut") };
      if (opts.json) io.out(JSON.stringify({ case: caseId, mode: opts.mode, seeds, stats, runs: runs.map(brief), files }, null, 2));
      else {
        const stat = (name: string, s: SweepStats | undefined) => s ? `${name} ${fmt(s.mean)} ± ${fmt(s.sd)} (min ${fmt(s.min)} at seed ${s.worstSeed}, max ${fmt(s.max)})` : `${name} n/a`;
        io.out([...runs.map(line),
          `${runs.length} seeds: ${stat("MCC", stats.mcc)}; ${stat("R² in-sample", stats.r2)}; ${stat("R² held-out", stats.r2HeldOut)}`,
          ...(files.length ? [`curves under ${resolve(opts.out!)}/seed-*/`] : [])].join("\n"));
      }
    });

  crl.command("interpret")
    .description("name each learned latent by the columns it depends on (Level I tests + BH over latents × columns, effect sizes) and draw the named latent graph")
    .requiredOption("--run <dir>", "output folder of 'personax crl train'")
    .requiredOption("--store <path>", "the store the run was trained on (or a CSV/Parquet/hf:// table with the same ids)")
    .option("--tests <names>", "Level I tests, comma-separated; the first decides significance", "rcit")
    .option("--alpha <level>", "significance level after BH", "0.05")
    .option("--columns <names>", "columns to test, comma-separated (default: every numeric column)")
    .option("--split <rows>", "all or eval (the run's evaluation split)", "all")
    .option("--links <truth.json>", "synthetic truth with latent_links (personax synth linked): score the names; needs --truth")
    .option("--truth <csv>", "true latents by id (the .latents.csv of personax synth linked)")
    .option("--json", "print JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(InterpretOptions, raw, "crl interpret");
      if (Boolean(opts.links) !== Boolean(opts.truth)) throw new UsageError("personax crl interpret: --links and --truth go together", "pass both to score the names, or neither");
      const bar = io.progress({ label: "interpret", total: 1, unit: "tests" });
      const result = await interpretCrlRun({
        runDir: opts.run, store: opts.store, tests: splitList(opts.tests), alpha: opts.alpha, split: opts.split,
        columns: opts.columns ? splitList(opts.columns) : undefined, onProgress: bar.callback,
      });
      bar.finish();
      for (const w of result.warnings) io.err(`personax crl interpret: warning: ${w}`);
      const score = opts.links && opts.truth ? await scoreRunInterpretation(result, opts.truth, opts.links) : undefined;
      if (opts.json) io.out(JSON.stringify({ ...result, pairs: undefined, score }, null, 2));
      else {
        io.out([
          `${result.latents.length} latents × ${result.columns.length} columns on ${result.rows} persons (${result.tests.join(", ")}, BH, α = ${result.alpha}):`,
          ...result.latents.map((l) => `  ${l.label}`),
          ...(score ? [`named the linked column for ${score.correct} of ${score.linked} linked latents (${(100 * score.fraction).toFixed(0)} %): ` +
            score.details.map((d) => `${d.truth}→${d.column} as ${d.learned || "?"} ${d.correct ? "✓" : `✗ (${d.named.join(", ") || "nothing"})`}`).join("; ")] : []),
          `written: ${result.files.join(", ")}`,
        ].join("\n"));
      }
    });

  crl.command("bench-mnist")
    .description("one replicate of the variant-MNIST benchmark (the paper's synthetic table): generate the seed's data, train one method, report MCC/R²")
    .requiredOption("--method <name>", MNIST_METHOD_NAMES.join(" | "))
    .option("--seed <n>", "random seed (data and training)", "1")
    .option("--n <rows>", "rows to generate (default 20,000)")
    .option("--epochs <n>", `training epochs (default ${MNIST_BUDGET.epochs}, the same for every method)`)
    .option("--out <dir>", "save the truth (latents, DAG, split), sample images, learned latents and scores here")
    .option("--json", "print JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(BenchMnistOptions, raw, "crl bench-mnist");
      const method = opts.method as (typeof MNIST_METHOD_NAMES)[number];
      const epochs = opts.epochs ?? MNIST_BUDGET.epochs;
      const bar = io.progress({ label: `crl bench-mnist ${method}`, total: epochs, unit: "epochs" });
      const result = await runMnistMethod({ method, seed: opts.seed, n: opts.n, budget: { epochs }, onProgress: bar.callback });
      bar.finish();
      const files = opts.out ? await saveMnistRun(resolve(opts.out), result) : [];
      const summary = { method, seed: opts.seed, mcc: result.mcc, r2: result.r2, r2HeldOut: result.r2HeldOut, secondsPerEpoch: result.secondsPerEpoch, n: result.n, epochs: result.epochs };
      if (opts.json) io.out(JSON.stringify(summary, null, 2));
      else {
        io.out(`variant MNIST, ${method}, seed ${opts.seed}, n = ${result.n}, ${result.epochs} epochs (${result.secondsPerEpoch.toFixed(2)} s/epoch): ` +
          `MCC ${fmt(result.mcc)}, R² ${fmt(result.r2)} in-sample / ${fmt(result.r2HeldOut)} held-out` + (files.length ? `\noutputs in ${resolve(opts.out!)}` : ""));
      }
    });

  return crl;
};

/** Scores the names against the links of a linked synthetic store (truth JSON) via the MCC matching of the true latents. */
async function scoreRunInterpretation(result: Awaited<ReturnType<typeof interpretCrlRun>>, truthCsv: string, linksJson: string) {
  const truth = JSON.parse(await readFile(linksJson, "utf8")) as { latent_links?: Array<{ latent: string; column: string }> };
  if (!truth.latent_links) throw new UsageError(`${linksJson} has no latent_links`, "pass the .truth.json written by 'personax synth linked'");
  const evaluation = await evaluateCrlRun(result.runDir, { truthPath: truthCsv });
  return scoreInterpretation(result, evaluation.pairs, truth.latent_links);
}
