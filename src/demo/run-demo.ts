import { mkdir } from "node:fs/promises";
import { resolve, join } from "node:path";
import { escapeHtml } from "../report/html.ts";
import { assembleReport, type ReportItem } from "../report/build.ts";
import { demoSections } from "./sections.ts";
import type { CliIo } from "../cli/io.ts";
import type { DemoContext } from "./types.ts";
import { formatSeconds } from "../util/progress.ts";

export interface DemoOptions {
  dir: string;
  seed: number;
  quick?: boolean;
  /** Run only these section ids (all when empty). */
  only?: string[];
}

export interface DemoResult {
  reportPath: string;
  sections: Array<{ id: string; title: string; seconds: number; ok: boolean; error?: string }>;
}

/**
 * Runs every demo section end to end and writes a self-contained HTML report through the same builder as
 * `personax report`: each section's own text, then the output folders it made, drawn by their run manifests.
 * A failing section is reported in the page (and in the result) instead of hiding the others' results.
 */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<DemoResult> {
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const ctx: DemoContext = { dir, seed: options.seed, io, quick: options.quick ?? false, artifacts: new Map() };
  const rendered: ReportItem[] = [];
  const summary: DemoResult["sections"] = [];
  const chosen = demoSections.filter((s) => !options.only?.length || options.only.includes(s.id));
  for (const [index, section] of chosen.entries()) {
    io.err(`[${index + 1}/${chosen.length}] ${section.title} …`);
    const started = performance.now();
    try {
      const { runs, ...own } = await section.run(ctx);
      if (own.html.trim()) rendered.push(own);
      for (const run of runs ?? []) rendered.push({ run });
      const seconds = (performance.now() - started) / 1000;
      summary.push({ id: section.id, title: section.title, seconds, ok: true });
      io.err(`[${index + 1}/${chosen.length}] ${section.title} done in ${formatSeconds(seconds)}`);
    } catch (error) {
      const seconds = (performance.now() - started) / 1000;
      const message = error instanceof Error ? error.message : String(error);
      summary.push({ id: section.id, title: section.title, seconds, ok: false, error: message });
      rendered.push({ id: section.id, title: section.title, html: `<p class="bad">This section failed: ${escapeHtml(message)}</p>` });
      io.err(`[${index + 1}/${chosen.length}] ${section.title} FAILED: ${message}`);
    }
  }
  const built = await assembleReport(rendered, {
    out: join(dir, "report.html"),
    title: "PersonaX demo report",
    subtitle: "Synthetic PersonaX-like data with known ground truth",
  });
  return { reportPath: built.path, sections: summary };
}
