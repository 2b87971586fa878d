/**
 * Writes a Level I result to a folder: per test `<test>.csv` (the notebooks' p-value matrix),
 * `<test>.json` (the stable contract), `<test>.svg` / `<test>.png` heatmaps, and `summary.json` /
 * `summary.md` (significant pairs per test, agreement between tests), the ground truth when known (`truth.json`)
 * and the run manifest (src/report/manifest.ts) that `personax report` reads.
 */
import { openOutputFolder } from "../util/output-folder.ts";
import { writeManifest } from "../report/manifest.ts";
import { pValueHeatmap } from "../report/heatmap.ts";
import { svgToPng } from "../report/png.ts";
import { matrixCsv, matrixJson, type Level1Result, type Level1TestResult } from "./level1.ts";
import { getCiTest } from "./registry.ts";

/** The heatmap of one test: rows = traits, columns = features, one column group per score source. */
export function level1Heatmap(result: Level1TestResult): string {
  const groups = [...new Set(result.cells.map((c) => c.group))];
  const traits = [...new Set(result.cells.map((c) => c.trait))];
  const rowLabel = (trait: string) => result.cells.find((c) => c.trait === trait && c.group === "final")?.row ?? trait;
  const byKey = new Map(result.cells.map((c) => [`${c.trait}\u0000${c.group}\u0000${c.col}`, c]));
  const labelToTrait = new Map(traits.map((t) => [rowLabel(t), t]));
  const title = getCiTest(result.test).title;
  return pValueHeatmap({
    title: `${result.test}: ${title}`,
    subtitle: `dot = rejected at α = ${result.alpha}${result.correct === "bh" ? " after Benjamini–Hochberg" : ""}; colour = −log10 p`,
    rows: traits.map(rowLabel),
    groups: groups.map((g) => ({ label: groups.length > 1 ? g : "", columns: result.cols })),
    cell: (row, group, col) => {
      const c = byKey.get(`${labelToTrait.get(row)}\u0000${group || "final"}\u0000${col}`);
      return c ? { p: c.p, reject: c.reject, note: c.error } : undefined;
    },
  });
}

export function summaryMarkdown(result: Level1Result): string {
  const lines = ["# Level I summary", "", "| test | rejected | tested | errors |", "|---|---|---|---|"];
  for (const s of result.summary.significant) lines.push(`| ${s.test} | ${s.rejected} | ${s.tested} | ${s.errors} |`);
  lines.push("", "## Significant pairs", "");
  for (const s of result.summary.significant) lines.push(`- **${s.test}**: ${s.pairs.length ? s.pairs.join(", ") : "none"}`);
  if (result.summary.agreement.length) {
    lines.push("", "## Agreement between tests (same decision on cells both ran)", "", "| a | b | cells | agree | fraction |", "|---|---|---|---|---|");
    for (const a of result.summary.agreement) lines.push(`| ${a.a} | ${a.b} | ${a.cells} | ${a.agree} | ${a.fraction.toFixed(3)} |`);
  }
  return lines.join("\n") + "\n";
}

/** How the result was made, for the run manifest. */
export interface Level1RunInfo {
  command?: string;
  params: Record<string, unknown>;
  seed?: number;
  started: Date;
  /** Known dependencies (a synthetic table's *.truth.json: rows, cols, direct_pairs, dependent_pairs, independent_pairs); the report marks them. */
  truth?: unknown;
}

export async function writeLevel1Outputs(result: Level1Result, dir: string, run?: Level1RunInfo): Promise<string[]> {
  const folder = await openOutputFolder(dir);
  const put = folder.put;
  for (const t of result.tests) {
    await put(`${t.test}.csv`, matrixCsv(t));
    await put(`${t.test}.json`, JSON.stringify(matrixJson(t), null, 2) + "\n");
    const svg = level1Heatmap(t);
    await put(`${t.test}.svg`, svg);
    await put(`${t.test}.png`, svgToPng(svg, { width: 1200 }));
  }
  await put("summary.json", JSON.stringify(result.summary, null, 2) + "\n");
  await put("summary.md", summaryMarkdown(result));
  if (run?.truth) await put("truth.json", JSON.stringify(run.truth, null, 2) + "\n");
  if (run) {
    const timings = Object.fromEntries(result.tests.map((t) => [t.test, t.seconds]));
    folder.written.push(await writeManifest(dir, { kind: "level1", command: run.command ?? "personax level1", params: run.params, seed: run.seed, started: run.started, timings, files: folder.written }));
  }
  return folder.written;
}
