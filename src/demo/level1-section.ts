/**
 * Demo section "level1": the Level I analysis on the synthetic CelebPersona- and AthlePersona-like tables
 * (from the dataset section when it ran, otherwise generated here with the same generator), with every
 * test. Each table's results go to an output folder with its run manifest and truth.json; the report draws
 * them as for `personax level1 --truth` (heatmaps per score source, true links outlined, power and
 * false-positive rate per test, p-value histograms).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { htmlTable } from "../report/html.ts";
import type { DemoSection } from "./types.ts";
import { readTable } from "../dataset/read-table.ts";
import { synthPersonaTable, type PersonaTruth } from "../synth/persona-table.ts";
import { basename } from "node:path";
import { numericTableFrom, type NumericTable } from "../citest/table.ts";
import { runLevel1, type Level1Result } from "../citest/level1.ts";
import { writeLevel1Outputs } from "../citest/level1-output.ts";

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
false-positive rate can be read off directly (final_* rows). Several dependent pairs are indirect and weak by
construction, so power below 1 on them is expected; the direct links are the strong ones.</p>`);
    const timing: Array<Array<string | number>> = [];
    const runs: string[] = [];
    for (const flavour of ["celeb", "athle"] as const) {
      const { table, truth, source } = await loadDataset(flavour, ctx);
      const discrete = truth.discrete_cols.filter((c) => truth.cols.includes(c));
      const common = { data: table, rows: truth.rows, perLlm: true, alpha: 0.05, correct: "bh" as const, seed: ctx.seed };
      const startedAt = new Date();
      const started = performance.now();
      const result = merge(
        await runLevel1({ ...common, cols: truth.cols, tests: KERNEL_AND_LINEAR }),
        await runLevel1({ ...common, cols: discrete, tests: CONTINGENCY }),
      );
      const seconds = (performance.now() - started) / 1000;
      const outDir = join(ctx.dir, "level1", flavour);
      await writeLevel1Outputs(result, outDir, {
        command: "personax demo (level1)", seed: ctx.seed, started: startedAt, truth,
        params: { data: source, rows: truth.rows, cols: truth.cols, discreteCols: discrete, tests: result.tests.map((t) => t.test), perLlm: true, alpha: 0.05, correct: "bh" },
      });
      timing.push([flavour, basename(source), table.rows, result.tests.reduce((s, t) => s + t.cells.length, 0), +seconds.toFixed(2)]);
      ctx.artifacts.set(`level1-${flavour}`, { summary: result.summary, dir: outDir });
      runs.push(outDir);
    }
    parts.push(htmlTable(["table", "data", "rows", "cells tested", "seconds"], timing));
    return { id: "level1", title: this.title, html: parts.join("\n"), runs };
  },
};
