/**
 * Import stages 2 and 3, pure functions of the staged header: map the file's column names (user mapping,
 * aliases, layout recognition), then plan every store table's SELECT over the staging table and the value
 * checks that run before anything is written. No store access, so each can be tested on a header alone.
 */
import { basename } from "node:path";
import { DataError } from "../errors.ts";
import { FINAL_NAMES, LAYOUTS, lit, llmScoreName, parseLlmScoreName, type LayoutColumn } from "./layout.ts";
import { VALUE_RULES, type ValueRule } from "./value-rules.ts";
import { PERSON_COLUMNS, TRAITS, type CategoryRow, type Flavour } from "./schema.ts";
import type { StagedSource } from "./import-source.ts";

export const IMPORT_FORMATS = ["auto", "celeb", "athle", "persons"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export type LayoutFormat = Exclude<ImportFormat, "auto">;

/** Source column → target name (a layout name such as "Height(cm)"), or null to ignore the column. */
export type ColumnMapping = Record<string, string | null>;

/** Metadata that exportHf writes into its Parquet files (key "personax") and importFile reads back. */
export interface HfMetadata {
  flavour: Flavour;
  protocol: string | null;
  embeddings: Array<{ column: string; kind: "face" | "text"; measurement: number; model: string }>;
  categories: CategoryRow[];
}

export interface MappedColumns {
  /** Target names, in file order (ignored columns left out). */
  names: string[];
  /** Target name → the file's column. */
  source: Map<string, string>;
  /** File columns the mapping ignores on purpose (`null`). */
  ignored: string[];
}

/** Applies a user mapping to the file's header; a mapping naming an absent column, or two columns onto one name, is an error. */
export function mapColumns(header: string[], mapping: ColumnMapping, where: { file: string; mappingFile?: string; headerRow: number }): MappedColumns {
  for (const from of Object.keys(mapping)) {
    if (!header.includes(from)) {
      throw new DataError(where.mappingFile ?? "column mapping", 0, from,
        `the mapping renames column "${from}", but ${basename(where.file)} has no such column`,
        `use one of the file's columns: ${header.join(", ")}`);
    }
  }
  const source = new Map<string, string>();
  for (const column of header) {
    const target = column in mapping ? mapping[column] : column;
    if (target === null || target === undefined) continue;
    if (source.has(target)) {
      throw new DataError(where.file, where.headerRow, column, `two columns map to "${target}" ("${source.get(target)}" and "${column}")`,
        `keep one of them; ignore the other with {"${column}": null} in the mapping`);
    }
    source.set(target, column);
  }
  return { names: [...source.keys()], source, ignored: Object.keys(mapping).filter((k) => mapping[k] === null) };
}

/** The layout named by `format`, or recognised from the header / the HF metadata for "auto". */
export function resolveFormat(format: ImportFormat, header: string[], metadata: HfMetadata | undefined, file: string, row: number): LayoutFormat {
  if (format !== "auto") return format;
  if (metadata) return metadata.flavour;
  const lower = new Set(header.map((h) => h.toLowerCase()));
  if (lower.has("flavour")) return "persons";
  if (lower.has("type") || lower.has("league") || lower.has("birthyear")) return "athle";
  if (lower.has("gender_idx") || lower.has("gender") || lower.has("occupation_idx") || lower.has("big_nose")) return "celeb";
  throw new DataError(file, row, undefined, `cannot tell the layout from the header (${header.length} columns; none is Type/League, Gender/Occupation or flavour)`,
    "pass --format celeb|athle|persons, and a --mapping if the column names differ");
}

/** A value check: a SQL condition, over the staging table, that is true on a bad row. */
export interface ValueCheck {
  /** The file's column reported in the error. */
  column: string;
  bad: string;
  /** SQL of the value shown in the message (default: the column as text). */
  shown?: string;
  problem: (value: string) => string;
  fix: string;
}

export interface ImportPlan {
  format: LayoutFormat;
  /** The file's id column, when it has one (else ids are numbered from the row). */
  idSource?: string;
  idExpr: string;
  checks: ValueCheck[];
  /** File columns that must not be entirely missing. */
  requiredValues: string[];
  personExpr: Map<string, string>;
  faceExpr: Map<string, string>;
  /** final_o … final_n → expression, when the file has them. */
  finalExpr: Map<string, string>;
  /** llm → trait → expression of its score. */
  llmScores: Map<string, Map<string, string>>;
  embeddingColumns: Array<{ source: string; kind: "face" | "text"; measurement: number; model: string }>;
  /** The file's `assessments` column (an HF export's nested assessment records). */
  nestedAssessments?: string;
}

/**
 * Plans the import of a staged file into the store tables. `categories` are the dictionaries known for the
 * import (from --categories, the HF metadata and the store): a coded column must use their codes.
 */
export function planImport(staged: Pick<StagedSource, "value" | "nRows" | "rowNumber" | "source" | "header">, columns: MappedColumns,
  format: LayoutFormat, metadata: HfMetadata | undefined, categories: readonly CategoryRow[] = []): ImportPlan {
  const { file, headerRow } = staged.source;
  const src = columns.source;
  const v = (target: string) => staged.value(src.get(target)!);
  const checks: ValueCheck[] = [];
  const requiredValues: string[] = [];
  const known = new Set<string>(["id"]);
  const personExpr = new Map<string, string>(), faceExpr = new Map<string, string>();

  /** The checks of one numeric column under its rule; returns the typed expression. */
  const numeric = (target: string, rule: ValueRule) => {
    const column = src.get(target)!;
    const value = v(target);
    const x = `TRY_CAST(${value} AS DOUBLE)`;
    checks.push({ column, bad: `${value} IS NOT NULL AND ${x} IS NULL`, problem: (s) => `"${s}" is not a number`,
      fix: `write a number (or leave the field empty for a missing value) in column "${column}"` });
    checks.push({ column, bad: `isinf(${x}) OR isnan(${x})`, problem: (s) => `"${s}" is not a finite number`,
      fix: "write a finite number, or leave the field empty if the value is unknown" });
    if (rule.type !== "DOUBLE") {
      checks.push({ column, bad: `NOT isinf(${x}) AND ${x} <> round(${x})`, problem: (s) => `"${s}" is not a whole number`,
        fix: `column "${column}" holds integer codes; round or recode the value` });
    }
    if (rule.range) {
      const [lo, hi] = rule.range;
      checks.push({ column, bad: `NOT isinf(${x}) AND ${x} NOT BETWEEN ${lo} AND ${hi}`, problem: (s) => `${s} is outside ${lo}..${hi} (${rule.meaning})`,
        fix: "correct the value, or leave the field empty if it is unknown (the ranges are in docs/SCHEMA.md)" });
    }
    const codes = rule.categorical ? categories.filter((c) => c.variable === rule.categorical).map((c) => c.code) : [];
    const allowed = codes.length ? codes : rule.codes;
    if (allowed) {
      const listed = codes.length ? `the "${rule.categorical}" dictionary` : rule.meaning;
      checks.push({ column, bad: `${x} NOT IN (${allowed.join(", ")})`, problem: (s) => `${s} is not a code of ${listed} (${summarise(allowed)})`,
        fix: codes.length ? `use a listed code, or add the code to the categories file` : rule.fix ?? "recode the value" });
    }
    return `CAST(${x} AS ${rule.type})`;
  };

  const idSource = src.get("id");
  let idExpr: string;
  if (idSource) {
    idExpr = staged.value(idSource);
    checks.push({ column: idSource, bad: `${idExpr} IS NULL`, problem: () => "the id is empty", fix: "give every row an id, or drop the id column to number the rows" });
  } else {
    const width = Math.max(6, String(staged.nRows).length);
    idExpr = `${lit(format === "persons" ? "person" : format)} || '-' || lpad(CAST(${staged.rowNumber} + 1 AS VARCHAR), ${width}, '0')`;
  }

  if (format === "persons") {
    for (const column of PERSON_COLUMNS) {
      if (column === "id") continue;
      known.add(column);
      if (!src.has(column)) {
        if (column === "flavour") throw missingColumn(file, headerRow, column, "persons");
        continue;
      }
      if (column === "flavour") {
        const value = v(column);
        checks.push({ column: src.get(column)!, bad: `${value} IS NULL OR ${value} NOT IN ('celeb', 'athle')`, problem: (x) => `flavour "${x}" is not celeb or athle`, fix: "write celeb or athle" });
        personExpr.set(column, value);
      } else personExpr.set(column, numeric(column, VALUE_RULES[column]!));
    }
    addDateCheck(checks, (c) => (src.has(c) ? v(c) : undefined), src.get("birth_day"));
  } else {
    const layout = LAYOUTS[format];
    for (const c of layout) {
      const found = findColumn(c, columns.names);
      known.add(c.name);
      if (!found && columns.ignored.some((i) => [c.name, ...c.aliases].some((a) => a.toLowerCase() === i.toLowerCase()))) {
        // Mapped away on purpose ({"Latitude": null}): the column is imported as missing for every person.
        (c.table === "persons" ? personExpr : faceExpr).set(c.column, "NULL");
        continue;
      }
      if (!found) throw missingColumn(file, headerRow, c.name, format);
      known.add(found);
      if (found !== c.name) src.set(c.name, src.get(found)!);
      const expr = numeric(c.name, VALUE_RULES[c.column]!);
      (c.table === "persons" ? personExpr : faceExpr).set(c.column, expr);
      requiredValues.push(src.get(c.name)!);
    }
    personExpr.set("flavour", lit(format));
    const byColumn = (column: string) => {
      const c = layout.find((l) => l.column === column);
      return c && personExpr.get(column) !== "NULL" ? v(c.name) : undefined;
    };
    const day = layout.find((l) => l.column === "birth_day");
    addDateCheck(checks, byColumn, day && personExpr.get("birth_day") !== "NULL" ? src.get(day.name) : undefined);
  }

  // Finals, per-LLM scores, embeddings, nested assessments.
  const finalsPresent = FINAL_NAMES.filter((f) => src.has(f));
  if (finalsPresent.length && finalsPresent.length < 5) {
    const missing = FINAL_NAMES.find((f) => !src.has(f))!;
    throw missingColumn(file, headerRow, missing, format, `the file has ${finalsPresent.join(", ")} but not ${missing}`);
  }
  const finalExpr = new Map<string, string>();
  for (const f of finalsPresent) { known.add(f); finalExpr.set(f, numeric(f, VALUE_RULES.final!)); requiredValues.push(src.get(f)!); }

  const llmColumns = new Map<string, Map<string, string>>(); // llm → trait → target name
  const embeddingMeta = new Map((metadata?.embeddings ?? []).map((e) => [e.column, e]));
  const embeddingColumns: ImportPlan["embeddingColumns"] = [];
  const nestedAssessments = src.get("assessments");
  if (nestedAssessments) known.add("assessments");
  for (const target of columns.names) {
    if (known.has(target)) continue;
    const emb = /^(face|text)_embedding_(\d+)(?:__(.+))?$/.exec(target);
    if (emb) {
      const meta = embeddingMeta.get(target);
      embeddingColumns.push({ source: src.get(target)!, kind: emb[1] as "face" | "text", measurement: Number(emb[2]), model: meta?.model ?? emb[3] ?? "unknown" });
      known.add(target);
      continue;
    }
    const llm = parseLlmScoreName(target);
    if (llm) {
      if (!llmColumns.has(llm.llm)) llmColumns.set(llm.llm, new Map());
      llmColumns.get(llm.llm)!.set(llm.trait, target);
      known.add(target);
    }
  }
  for (const [llm, traits] of llmColumns) {
    const missing = TRAITS.find((t) => !traits.has(t));
    if (missing) throw missingColumn(file, headerRow, llmScoreName(llm, missing), format, `the file has other ${llm}_* score columns`);
  }
  const unknown = columns.names.filter((h) => !known.has(h));
  if (unknown.length) {
    const column = src.get(unknown[0]!)!;
    throw new DataError(file, headerRow, column, `unknown column for the ${format} layout`,
      `rename it with a mapping file (--mapping map.json with {"${column}": "<layout name>"}) or ignore it with {"${column}": null}; ` +
      `expected columns: ${expectedColumns(format).join(", ")}`);
  }
  const llmScores = new Map<string, Map<string, string>>();
  for (const [llm, traits] of llmColumns) {
    // With an `assessments` column (an HF export) the per-LLM columns are derived from it and not imported.
    llmScores.set(llm, new Map(TRAITS.map((t) => {
      const target = traits.get(t)!;
      if (!nestedAssessments) requiredValues.push(src.get(target)!);
      return [t, numeric(target, VALUE_RULES.llmScore!)];
    })));
  }
  return { format, idSource, idExpr, checks, requiredValues, personExpr, faceExpr, finalExpr, llmScores, embeddingColumns, nestedAssessments };
}

/** 31 February and 31 April are refused (29 February only in a leap year, or when the year is unknown). */
function addDateCheck(checks: ValueCheck[], valueOf: (column: "birth_year" | "birth_month" | "birth_day") => string | undefined, dayColumn: string | undefined): void {
  const [y, m, d] = (["birth_year", "birth_month", "birth_day"] as const).map(valueOf);
  if (!m || !d || !dayColumn) return;
  const int = (e: string) => `TRY_CAST(TRY_CAST(${e} AS DOUBLE) AS INTEGER)`;
  const leap = y ? `(${int(y)} IS NULL OR (${int(y)} % 4 = 0 AND (${int(y)} % 100 <> 0 OR ${int(y)} % 400 = 0)))` : "true";
  const last = `CASE WHEN ${int(m)} = 2 THEN (CASE WHEN ${leap} THEN 29 ELSE 28 END) WHEN ${int(m)} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  checks.push({
    column: dayColumn,
    bad: `${int(m)} BETWEEN 1 AND 12 AND ${int(d)} BETWEEN 1 AND 31 AND ${int(d)} > ${last}`,
    shown: `concat_ws('-', ${y ? `coalesce(${y}, '?')` : "'?'"}, ${m}, ${d})`,
    problem: (date) => `the birth date ${date} (year-month-day) does not exist`,
    fix: "correct the day or the month, or leave the day empty if it is unknown",
  });
}

function summarise(codes: readonly number[]): string {
  const sorted = [...codes].sort((a, b) => a - b);
  const contiguous = sorted.every((c, i) => i === 0 || c === sorted[i - 1]! + 1);
  return contiguous && sorted.length > 3 ? `${sorted[0]}..${sorted[sorted.length - 1]}` : sorted.join(", ");
}

function findColumn(c: LayoutColumn, header: string[]): string | undefined {
  if (header.includes(c.name)) return c.name;
  const names = [c.name, ...c.aliases].map((n) => n.toLowerCase());
  return header.find((h) => names.includes(h.toLowerCase()));
}

function expectedColumns(format: LayoutFormat): string[] {
  if (format === "persons") return [...PERSON_COLUMNS, ...FINAL_NAMES];
  return ["id", ...LAYOUTS[format].map((c) => c.name), ...FINAL_NAMES, "<llm>_o … <llm>_n", "face_embedding_<m>", "text_embedding_<m>"];
}

function missingColumn(file: string, row: number, column: string, format: string, why?: string): DataError {
  return new DataError(file, row, column, `missing required column of the ${format} layout${why ? ` (${why})` : ""}`,
    `add the column, or if the file names it differently, map it: --mapping map.json with {"<your name>": "${column}"}`);
}
