import os from "node:os";
import { escapeHtml, htmlTable } from "../report/html.ts";
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
      ["Output folder", ctx.dir],
    ];
    return {
      id: "overview",
      title: "Overview",
      html: `<p>This report was produced by <code>personax demo</code> on synthetic PersonaX-like data with known ground truth.
Every number below can be regenerated with the same seed.</p>` + htmlTable(["", ""], rows.map(([k, v]) => [k, escapeHtml(v)])),
    };
  },
};
