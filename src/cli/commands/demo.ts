import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { parseOptions, seedOption, splitList } from "../options.ts";
import { runDemo } from "../../demo/run-demo.ts";
import { PersonaxError } from "../../errors.ts";

const Options = z.object({
  dir: z.string().min(1),
  seed: seedOption,
  quick: z.boolean(),
  only: z.string().optional(),
  json: z.boolean(),
});

export const demoCommand = (io: CliIo) =>
  new Command("demo")
    .description("generate synthetic PersonaX data, run every capability end to end and write an HTML report")
    .option("--dir <path>", "output folder", "personax-demo")
    .option("--seed <n>", "random seed", "20260")
    .option("--quick", "smaller sizes (seconds instead of minutes)", false)
    .option("--only <ids>", "comma-separated section ids to run")
    .option("--json", "print the result as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(Options, raw, "demo");
      const result = await runDemo({ dir: opts.dir, seed: opts.seed, quick: opts.quick, only: splitList(opts.only) }, io);
      if (opts.json) io.out(JSON.stringify(result, null, 2));
      else io.out(`Report: ${result.reportPath}`);
      const failed = result.sections.filter((s) => !s.ok);
      if (failed.length) throw new PersonaxError("E_DEMO", `${failed.length} demo section(s) failed: ${failed.map((s) => s.id).join(", ")}`);
    });
