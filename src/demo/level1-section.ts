/**
 * Demo section "level1": the Level I analysis on the synthetic CelebPersona- and AthlePersona-like tables
 * (from the dataset section when it ran, otherwise generated here with the same generator), with every
 * test, heatmaps per test (per-LLM column groups) and a comparison with the known ground truth: per test,
 * the power on dependent pairs and the false-positive rate on independent pairs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { escapeHtml, htmlTable, svgFigure } from "../report/html.ts";
import type { DemoSection } from "./types.ts";
import { readTable } from "../dataset/read-table.ts";
import { synthPersonaTable, type PersonaTruth } from "../synth/persona-table.ts";
import { numericTableFrom, type NumericTable } from "../citest/table.ts";
import { runLevel1, type Level1Result, type Level1TestResult } from "../citest/level1.ts";
import { level1Heatmap, writeLevel1Outputs } from "../citest/level1-output.ts";

const KERNEL_AND_LINEAR = ["kci", "rcit", "hsic", "fisherz"];
/** Contingency tests run on the discrete features only, as the reference notebooks do. */
const CONTINGENCY = ["chisq", "gsq"];

interface Loaded { table: NumericTable; truth: PersonaTruth; source: string }

async function loadDataset(flavour: "celeb" | "athle", ctx: Parameters<DemoSection["run"]>[0]): Promise<Loaded> {
  const artifacts = ctx.artifacts.get("dataset") as { celebCsv?: string; athleCsv?: string; celebTruth?: string; athleTruth?: string } | undefined;
  const csv = flavour === "celeb" ? artifacts?.celebCsv : artifacts?.athleCsv;
  const truthFile = flavour === "celeb" ? artifacts?.celebTruth : artifacts?.athleTruth;
  if (csv && truthFile) {
    const truth = JSON.parse(readFileSync(truthFile, "utf8")) as PersonaTruth;
    const raw = await readTable(csv);
    return { table: numericTableFrom(raw, csv, [...truth.rows, ...truth.cols]), truth, source: csv };
  }
  const n = ctx.quick ? (flavour === "celeb" ? 600 : 400) : 2000;
  const synth = synthPersonaTable({ flavour, n, seed: ctx.seed + (flavour === "celeb" ? 0 : 1), scale: "llm" });
  return { table: numericTableFrom(synth, `synthetic ${flavour}`, [...synth.truth.rows, ...synth.truth.cols]), truth: synth.truth, source: `synthPersonaTable(${flavour}, n = ${n})` };
}

/** Power on dependent pairs and false-positive rate on independent pairs (final_* rows only). */
export function scoreAgainstTruth(result: Level1TestResult, truth: PersonaTruth) {
  const decided = new Map(result.cells.filter((c) => c.group === "final").map((c) => [`${c.row}\u0000${c.col}`, c.reject]));
  const rate = (pairs: Array<[string, string]>) => {
    const known = pairs.map(([r, c]) => decided.get(`${r}\u0000${c}`)).filter((v): v is boolean => typeof v === "boolean");
    return { tested: known.length, rejected: known.filter(Boolean).length, rate: known.length ? known.filter(Boolean).length / known.length : Number.NaN };
  };
  return { direct: rate(truth.direct_pairs), dependent: rate(truth.dependent_pairs), independent: rate(truth.independent_pairs) };
}

function merge(a: Level1Result, b: Level1Result): Level1Result {
  return { tests: [...a.tests, ...b.tests], summary: { significant: [...a.summary.significant, ...b.summary.significant], agreement: [...a.summary.agreement, ...b.summary.agreement] } };
}

export const level1Section: DemoSection = {
  id: "level1",
  title: "Level I: independence tests of traits against features",
  async run(ctx) {
    const parts: string[] = [];
    parts.push(`<p>Each trait score is tested against each feature with KCI, RCIT, HSIC and Fisher-z (all features) and
chi-square / G-square (discrete features, as the reference notebooks do); rows with a missing value in either column
are dropped per pair; q-values by Benjamini–Hochberg per test, α = 0.05. The heatmaps show −log10 p with a dot where the
null is rejected, with one column group per score source (the median <code>final_*</code> and each LLM's own scores).
The synthetic data's ground truth says which (trait, feature) pairs are dependent, so each test's power and
false-positive rate can be read off directly (final_* rows).</p>`);
    const scoreRows: Array<Array<string | number>> = [];
    const timing: Array<Array<string | number>> = [];
    for (const flavour of ["celeb", "athle"] as const) {
      const { table, truth, source } = await loadDataset(flavour, ctx);
      const discrete = truth.discrete_cols.filter((c) => truth.cols.includes(c));
      const common = { data: table, rows: truth.rows, perLlm: true, alpha: 0.05, correct: "bh" as const, seed: ctx.seed };
      const started = performance.now();
      const result = merge(
        await runLevel1({ ...common, cols: truth.cols, tests: KERNEL_AND_LINEAR }),
        await runLevel1({ ...common, cols: discrete, tests: CONTINGENCY }),
      );
      const seconds = (performance.now() - started) / 1000;
      const outDir = join(ctx.dir, "level1", flavour);
      await writeLevel1Outputs(result, outDir);
      timing.push([flavour, source, table.rows, result.tests.reduce((s, t) => s + t.cells.length, 0), +seconds.toFixed(2)]);
      for (const t of result.tests) {
        const s = scoreAgainstTruth(t, truth);
        scoreRows.push([flavour, t.test, `${s.direct.rejected}/${s.direct.tested}`, `${s.dependent.rejected}/${s.dependent.tested}`,
          +s.dependent.rate.toFixed(3), `${s.independent.rejected}/${s.independent.tested}`, +s.independent.rate.toFixed(3)]);
      }
      parts.push(`<h3>${flavour === "celeb" ? "CelebPersona-like" : "AthlePersona-like"} table</h3>`);
      parts.push(`<p class="note">Known direct links: ${escapeHtml(truth.direct_pairs.map(([r, c]) => `${r} ← ${c}`).join(", "))}. All files in <code>${escapeHtml(join("level1", flavour))}/</code>.</p>`);
      parts.push(`<div class="grid">${result.tests.map((t) => svgFigure(level1Heatmap(t), `${t.test} on the ${flavour} table (${t.cells.length} cells)`)).join("")}</div>`);
      ctx.artifacts.set(`level1-${flavour}`, { summary: result.summary, dir: outDir });
    }
    parts.push(`<h3>Found pattern versus ground truth (final_* rows)</h3>`);
    parts.push(htmlTable(["table", "test", "direct links found", "dependent pairs rejected", "power", "independent pairs rejected", "false-positive rate"], scoreRows));
    parts.push(`<p class="note">Several dependent pairs are indirect and weak by construction (see the truth files), so power
below 1 on them is expected; the direct links are the strong ones. The false-positive rate should stay near or below α.</p>`);
    parts.push(htmlTable(["table", "data", "rows", "cells tested", "seconds"], timing));
    return { id: "level1", title: this.title, html: parts.join("\n") };
  },
};
