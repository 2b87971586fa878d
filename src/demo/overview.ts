import os from "node:os";
import { keyValueTable } from "../report/html.ts";
import type { DemoSection } from "./types.ts";
import { VERSION } from "../version.ts";

/** The first section: what ran, where, with which seed. */
export const overviewSection: DemoSection = {
  id: "overview",
  title: "Overview",
  async run(ctx) {
    const rows: Array<[string, string]> = [
      ["PersonaX version", VERSION],
      ["Node.js", process.version],
      ["Machine", `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.arch()}`],
      ["Seed", String(ctx.seed)],
      ["Output folder", "the folder of this report"],
    ];
    return {
      id: "overview",
      title: "Overview",
      html: `<p>This report was produced by <code>personax demo</code> on synthetic PersonaX-like data with known ground truth.
Every number below can be regenerated with the same seed. Sections that start with a run table (command, folder,
parameters) were drawn from output folders exactly as <code>personax report --from DIR</code> draws a user's own runs.</p>` + keyValueTable(rows),
    };
  },
};
