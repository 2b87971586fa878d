import { Command } from "commander";
import type { z as Zod } from "zod";
import type { CliIo } from "../io.ts";
import { ciTestNames } from "../../citest/names.ts";
import { DataError } from "../../errors.ts";

/** The options schema; built on first use, so `personax level1 --help` loads neither zod nor the tests. */
const level1Options = (z: typeof Zod, seedOption: Zod.ZodType<number, unknown>) => z.object({
  data: z.string().min(1),
  rows: z.string().min(1),
  cols: z.string().min(1),
  tests: z.string().min(1),
  perLlm: z.boolean(),
  alpha: z.coerce.number().gt(0).lt(1),
  correct: z.enum(["bh", "none"]),
  seed: seedOption,
  workers: z.coerce.number().int().min(0).max(64).optional(),
  out: z.string().min(1),
  json: z.boolean(),
  flavour: z.enum(["celeb", "athle"]).optional(),
  queue: z.string().min(1).optional(),
  truth: z.string().optional(),
});

export const level1Command = (io: CliIo) =>
  new Command("level1")
    .description("Level I: test every trait against every feature with several independence tests; write matrices, JSON, heatmaps and a summary")
    .requiredOption("--data <path>", "PersonaX store (.duckdb), CSV or Parquet table")
    .option("--flavour <name>", "for a store holding both datasets: celeb or athle")
    .requiredOption("--rows <names>", "comma-separated trait columns, e.g. final_o,final_c,final_e,final_a,final_n")
    .requiredOption("--cols <names>", "comma-separated feature columns")
    .option("--tests <names>", `comma-separated tests: ${ciTestNames.join(", ")}`, "kci,rcit,hsic,chisq,gsq,fisherz")
    .option("--per-llm", "also test each LLM's own scores (<llm>_<trait>), grouped per LLM in the heatmaps", false)
    .option("--alpha <level>", "significance level", "0.05")
    .option("--correct <method>", "multiple-testing correction per test: bh or none", "bh")
    .option("--seed <n>", "seed of RCIT's random features", "0")
    .option("--workers <n>", "worker threads for the kernel tests (0 = none; default: 2 when the work is large enough)")
    .option("--queue <url>", "run the cells on queue workers ('personax worker') through this Redis, e.g. redis://127.0.0.1:6379")
    .requiredOption("--out <dir>", "output folder")
    .option("--truth <file>", "known dependencies (the *.truth.json of 'personax synth table'); the report marks them")
    .option("--json", "print the summary as JSON", false)
    .action(async (raw) => {
      // zod and the library load here rather than at start-up, so `personax level1 --help` stays fast.
      const [{ z }, { parseOptions, seedOption, splitList }, { getCiTest }] = await Promise.all([
        import("zod"), import("../options.ts"), import("../../citest/registry.ts"),
      ]);
      const opts = parseOptions(level1Options(z, seedOption), raw, "level1");
      const started = new Date();
      const rows = splitList(opts.rows), cols = splitList(opts.cols), tests = splitList(opts.tests);
      for (const test of tests) getCiTest(test); // before reading the data: an unknown name is a usage error
      const [{ readTable }, { runLevel1 }, { writeLevel1Outputs }, { readJsonFile }] = await Promise.all([
        import("../../dataset/read-table.ts"), import("../../citest/level1.ts"), import("../../citest/level1-output.ts"), import("../../dataset/json-file.ts"),
      ]);
      const data = await readTable(opts.data, opts.flavour ? { flavour: opts.flavour } : {});
      const total = tests.length * rows.length * cols.length;
      const bar = io.progress({ label: "level1", total });
      const queue = opts.queue
        ? await (await import("../../scale/producer.ts")).JobQueue.open({ redisUrl: opts.queue, onEvent: (m) => io.err(m) })
        : undefined;
      const { level1OnQueue } = queue ? await import("../../scale/level1-queue.ts") : { level1OnQueue: undefined };
      let result;
      try {
        result = await runLevel1({
          data, source: opts.data, rows, cols, tests, perLlm: opts.perLlm, alpha: opts.alpha, correct: opts.correct, seed: opts.seed,
          workers: opts.workers, onProgress: (done, all) => bar.update(done, all), runCells: queue && level1OnQueue!(queue),
        });
      } finally {
        await queue?.close();
      }
      bar.finish();
      // A matrix of errors only is no result: say why instead of writing it and exiting 0.
      const cells = result.tests.flatMap((t) => t.cells);
      if (cells.length > 0 && cells.every((c) => c.error)) {
        throw new DataError(opts.data, 0, undefined, `every one of the ${cells.length} Level I cells failed; the first: ${cells[0]!.error}`,
          "check the columns named in the message (constant, too few complete rows, not numeric), or choose other --rows/--cols");
      }
      const truth = opts.truth ? await readJsonFile(opts.truth, "pass the *.truth.json written by 'personax synth table'") : undefined;
      const params = { data: opts.data, flavour: opts.flavour ?? null, rows, cols, tests, perLlm: opts.perLlm, alpha: opts.alpha, correct: opts.correct, truth: opts.truth ?? null };
      const files = await writeLevel1Outputs(result, opts.out, { params, seed: opts.seed, started, truth });
      if (opts.json) io.out(JSON.stringify(result.summary, null, 2));
      else {
        for (const s of result.summary.significant) {
          io.out(`${s.test}: ${s.rejected}/${s.tested} pairs rejected${s.errors ? `, ${s.errors} errors` : ""}`);
        }
        io.out(`wrote ${files.length} files to ${opts.out}`);
      }
    });
