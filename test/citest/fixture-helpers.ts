/** Shared loading of the reference fixtures (test/fixtures/README.md) for the citest tests. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readCsvTable, completeRows, type NumericTable } from "../../src/citest/table.ts";
import type { Matrix } from "../../src/linalg/matrix.ts";

export const fixtureDir = join(import.meta.dirname, "..", "fixtures");

export interface FixtureCell {
  row?: string; col?: string; case?: number; x?: number; y?: number; S?: number[];
  n: number; statistic: number | null; p: number | null; error?: string; skipped?: string;
  [key: string]: unknown;
}
export interface FixtureFile { file: string; dataset: string; test: string; csv: string; cells: FixtureCell[]; kind: "cit" | "cond" }

/** Every fixture JSON of cit/ and cond/ (RCIT files are large; load them only when asked). */
export function listFixtures(kind: "cit" | "cond"): string[] {
  return readdirSync(join(fixtureDir, kind)).filter((f) => f.endsWith(".json")).map((f) => join(kind, f));
}

export function loadFixture(file: string): FixtureFile {
  const d = JSON.parse(readFileSync(join(fixtureDir, file), "utf8"));
  const kind = file.startsWith("cit") ? "cit" : "cond";
  return { file, dataset: d.dataset, test: d.test, csv: d.csv, cells: d.cells ?? d.cases, kind };
}

const tables = new Map<string, NumericTable>();
export function fixtureTable(csv: string): NumericTable {
  let t = tables.get(csv);
  if (!t) { t = readCsvTable(join(fixtureDir, csv)); tables.set(csv, t); }
  return t;
}

/** The data block the reference used for a cell: [row, col] pairwise-complete, or all columns for cond/. */
export function cellData(f: FixtureFile, cell: FixtureCell): { data: Matrix; x: number; y: number; z: number[]; names: string[] } {
  const table = fixtureTable(f.csv);
  if (f.kind === "cit") {
    const names = [cell.row!, cell.col!];
    return { data: completeRows(table, names), x: 0, y: 1, z: [], names };
  }
  const names = table.names;
  return { data: completeRows(table, names), x: cell.x!, y: cell.y!, z: cell.S ?? [], names };
}

/** Fixture test name → registry name. */
export const registryName: Record<string, string> = {
  fisherz: "fisherz", chisq: "chisq", gsq: "gsq", chisq_scipy: "chisq-scipy", kci: "kci", hsic: "hsic", rcit: "rcit",
};

/** Relative difference, or absolute when the reference value is tiny. */
export function closeEnough(ours: number, ref: number, relTol: number, absTol: number): boolean {
  if (ours === ref) return true;
  const diff = Math.abs(ours - ref);
  return diff <= absTol || diff <= relTol * Math.abs(ref);
}
