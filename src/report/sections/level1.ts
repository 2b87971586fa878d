/**
 * Report section for a `personax level1` folder: per test a summary row (and, with the ground truth in
 * truth.json, power on dependent pairs and the false-positive rate on independent ones), one heatmap per
 * score source (final_* and each LLM: narrow enough to read at 1,280 px) with true links outlined, a p-value
 * histogram against uniform, and every cell in a sortable table.
 */
import { basename } from "node:path";
import { escapeHtml, htmlTable, svgFigure } from "../html.ts";
import { pValueHeatmap, type HeatmapCell } from "../heatmap.ts";
import { pValueHistogramSvg } from "../pvalue-histogram.ts";
import type { RunContext, RunSection } from "./types.ts";

interface CellJson { row: string; col: string; trait: string; group: string; n: number; statistic: number | null; p: number | null; q: number | null; reject: boolean | null; error?: string }
interface TestJson { test: string; alpha: number; correct: string; cells: CellJson[] }
/** The parts of a synthetic table's *.truth.json the report uses; pairs are [trait row, feature column]. */
export interface Level1Truth { direct_pairs?: Array<[string, string]>; dependent_pairs?: Array<[string, string]>; independent_pairs?: Array<[string, string]> }

type TruthLabel = NonNullable<HeatmapCell["truth"]>;

/** Truth per (trait, feature), so per-LLM rows (gpt_o) inherit the truth of final_o. */
function truthLookup(cells: CellJson[], truth: Level1Truth | undefined): (cell: CellJson) => TruthLabel | undefined {
  if (!truth) return () => undefined;
  const traitOfRow = new Map(cells.map((c) => [c.row, c.trait]));
  const map = new Map<string, TruthLabel>();
  const add = (pairs: Array<[string, string]> | undefined, label: TruthLabel) => {
    for (const [row, col] of pairs ?? []) {
      const key = `${traitOfRow.get(row) ?? row}\u0000${col}`;
      if (!map.has(key)) map.set(key, label);
    }
  };
  add(truth.direct_pairs, "direct");
  add(truth.dependent_pairs, "dependent");
  add(truth.independent_pairs, "independent");
  return (c) => map.get(`${c.trait}\u0000${c.col}`);
}

/** Decisions on the final_* rows against the truth. */
export function scoreLevel1AgainstTruth(cells: CellJson[], truth: Level1Truth) {
  const decided = new Map(cells.filter((c) => c.group === "final").map((c) => [`${c.row}\u0000${c.col}`, c.reject]));
  const rate = (pairs: Array<[string, string]> | undefined) => {
    const known = (pairs ?? []).map(([r, c]) => decided.get(`${r}\u0000${c}`)).filter((v): v is boolean => typeof v === "boolean");
    const rejected = known.filter(Boolean).length;
    return { tested: known.length, rejected, rate: known.length ? rejected / known.length : Number.NaN };
  };
  return { direct: rate(truth.direct_pairs), dependent: rate(truth.dependent_pairs), independent: rate(truth.independent_pairs) };
}

function groupHeatmap(t: TestJson, group: string, truthOf: (c: CellJson) => TruthLabel | undefined): string {
  const mine = t.cells.filter((c) => c.group === group);
  const rows = [...new Set(mine.map((c) => c.row))];
  const cols = [...new Set(mine.map((c) => c.col))];
  const byKey = new Map(mine.map((c) => [`${c.row}\u0000${c.col}`, c]));
  return pValueHeatmap({
    title: `${t.test} · ${group === "final" ? "final (median of LLMs)" : group}`,
    subtitle: `dot = rejected at α = ${t.alpha}${t.correct === "bh" ? " (BH)" : ""}`,
    rows,
    groups: [{ label: "", columns: cols }],
    cell: (row, _group, col) => {
      const c = byKey.get(`${row}\u0000${col}`);
      return c ? { p: c.p, reject: c.reject, note: c.error, truth: truthOf(c) } : undefined;
    },
  });
}

async function readTests(run: RunContext): Promise<TestJson[]> {
  let names = run.manifest.params["tests"] as string[] | undefined;
  if (!Array.isArray(names)) {
    const summary = await run.readJson<{ significant: Array<{ test: string }> }>("summary.json");
    names = summary?.significant.map((s) => s.test) ?? [];
  }
  const tests: TestJson[] = [];
  for (const name of names) {
    const t = await run.readJson<TestJson>(`${name}.json`);
    if (t) tests.push(t);
  }
  return tests;
}

export const level1RunSection: RunSection = {
  kind: "level1",
  title: (run) => `Level I independence tests: ${basename(String(run.manifest.params["data"] ?? run.dir))}`,
  async render(run) {
    const tests = await readTests(run);
    if (!tests.length) return `<p class="bad">No test results (&lt;test&gt;.json) in this folder.</p>`;
    const truth = await run.readJson<Level1Truth>("truth.json");
    const parts: string[] = [];
    const header = ["test", "cells", "rejected", "errors", "seconds"];
    if (truth) header.push("direct links found", "dependent pairs rejected", "power", "independent pairs rejected", "false-positive rate");
    parts.push(htmlTable(header, tests.map((t) => {
      const tested = t.cells.filter((c) => c.p !== null);
      const row: Array<string | number> = [t.test, tested.length, tested.filter((c) => c.reject).length, t.cells.length - tested.length, run.manifest.timings[t.test] ?? NaN];
      if (truth) {
        const s = scoreLevel1AgainstTruth(t.cells, truth);
        row.push(`${s.direct.rejected}/${s.direct.tested}`, `${s.dependent.rejected}/${s.dependent.tested}`, s.dependent.rate, `${s.independent.rejected}/${s.independent.tested}`, s.independent.rate);
      }
      return row;
    }), 3));
    if (truth) {
      parts.push(`<p class="note">Ground truth from <code>truth.json</code>: outlined cells are true dependencies (solid = direct link, dashed = indirect).
Power and false-positive rate count the final_* rows; the false-positive rate should stay near α.</p>`);
    }
    for (const t of tests) {
      const truthOf = truthLookup(t.cells, truth);
      const groups = [...new Set(t.cells.map((c) => c.group))];
      const ps = t.cells.map((c) => c.p).filter((p): p is number => p !== null);
      const nullPs = t.cells.filter((c) => c.p !== null && truthOf(c) === "independent").map((c) => c.p!);
      const histogram = pValueHistogramSvg({
        title: `${t.test}: p-values`,
        series: [{ name: "all cells", values: ps }, ...(nullPs.length ? [{ name: "true nulls", values: nullPs }] : [])],
      });
      parts.push(`<h3>${escapeHtml(t.test)}</h3><div class="grid">` +
        groups.map((g) => svgFigure(groupHeatmap(t, g, truthOf), `${t.test}, ${g === "final" ? "final_* scores" : `${g}'s own scores`}: −log10 p per trait × feature`)).join("") +
        svgFigure(histogram, nullPs.length
          ? "p-value density; on the pairs the truth says are independent it should be flat at the dashed line (uniform)"
          : "p-value density against uniform (dashed): a spike at 0 means many dependencies") + `</div>`);
    }
    const all = tests.flatMap((t) => t.cells.map((c) => {
      const label = truthLookup(t.cells, truth)(c);
      return [t.test, c.group, c.row, c.col, c.n, c.statistic, c.p, c.q, c.reject === null ? "" : c.reject ? "yes" : "no", ...(truth ? [label ?? ""] : []), c.error ?? ""];
    }));
    parts.push(`<details><summary>Every cell (${all.length}; click a header to sort)</summary><div class="table-scroll">` +
      htmlTable(["test", "scores", "row", "column", "n", "statistic", "p", "q", "rejected", ...(truth ? ["truth"] : []), "note"], all, 3) + `</div></details>`);
    return parts.join("\n");
  },
};
