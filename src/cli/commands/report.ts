import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { parseOptions } from "../options.ts";
import { buildReport } from "../../report/build.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

/** `personax report`: a thin wrapper over buildReport (src/report/build.ts). */
export const reportCommand = (io: CliIo) =>
  new Command("report")
    .description("one self-contained HTML report from output folders of level1, discover pc, crl train/eval, traits agreement, embed")
    .requiredOption("--from <dir>", "an output folder with a personax-run.json (repeatable; shown in this order)", collect, [])
    .requiredOption("--out <file>", "the HTML file to write")
    .option("--title <text>", "the report's title", "PersonaX report")
    .action(async (raw) => {
      const opts = parseOptions(z.object({ from: z.array(z.string().min(1)), out: z.string().min(1), title: z.string() }), raw, "report");
      const built = await buildReport({ from: opts.from, out: opts.out, title: opts.title });
      io.out(`wrote ${built.path}: ${built.sections.map((s) => s.title).join("; ")}`);
    });
