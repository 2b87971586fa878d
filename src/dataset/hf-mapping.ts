/**
 * The schema of a downloaded dataset and the column mapping an import will use, made visible before
 * anything is written: every source column with its type, the store column it goes to (or why not), and
 * the columns nobody recognises. The exact schema of the public release is not fixed here, so the plan is
 * derived from the files themselves and a user `--mapping` overrides any line of it.
 *
 * Rules, in order: the user mapping; `id`; the layout's biography/face columns (names and aliases,
 * case-insensitive); final_*; per-LLM score columns (<llm>_o … <llm>_n); `assessments`; embeddings by name
 * (face_embedding_<m>, text_embedding_<m>); then any other column holding a list of numbers is an embedding
 * too, numbered per kind (face when its name says face/image/img/photo, else text). Whatever is left is
 * unknown: refused with the list (default) or ignored on request.
 */
import { DataError } from "../errors.ts";
import type { ColumnMapping, HfMetadata, ImportFormat } from "./import.ts";
import { resolveFormat } from "./import.ts";
import { FINAL_NAMES, LAYOUTS, parseLlmScoreName } from "./layout.ts";
import { PERSON_COLUMNS } from "./schema.ts";

export interface SchemaColumn { name: string; type: string }

export type ColumnRole = "id" | "biography/face" | "final score" | "LLM score" | "embedding" | "assessments" | "ignored" | "unknown";

export interface PlannedColumn {
  source: string;
  type: string;
  /** The name the import reads it as (null: not imported). */
  target: string | null;
  role: ColumnRole;
  /** Where the line comes from. */
  by: "mapping" | "name" | "type" | "metadata" | "unknown policy";
}

export type UnknownColumnPolicy = "refuse" | "ignore";

export interface MappingPlan {
  format: Exclude<ImportFormat, "auto">;
  columns: PlannedColumn[];
  /** The ColumnMapping handed to importFile (only the lines that rename or ignore). */
  mapping: ColumnMapping;
  unknown: PlannedColumn[];
}

const NUMERIC_LIST = /^(FLOAT|DOUBLE|REAL|DECIMAL.*|(U?(TINY|SMALL|BIG)?INT(EGER)?))\[\d*\]$/i;
const FACE_NAME = /face|image|img|photo|portrait/i;

/** Plans how `schema` (the files' columns) maps to the store. `file` names the source in errors. */
export function planMapping(schema: SchemaColumn[], file: string,
  options: { format?: ImportFormat; mapping?: ColumnMapping; metadata?: HfMetadata; unknown?: UnknownColumnPolicy } = {}): MappingPlan {
  const user = options.mapping ?? {};
  for (const source of Object.keys(user)) {
    if (!schema.some((c) => c.name === source)) {
      throw new DataError("column mapping", 0, source, `the mapping names column "${source}", but the dataset has no such column`,
        `use one of its columns: ${schema.map((c) => c.name).join(", ")}`);
    }
  }
  const afterUser = schema.map((c) => (c.name in user ? user[c.name] : c.name));
  const format = resolveFormat(options.format ?? "auto", afterUser.filter((n): n is string => Boolean(n)), options.metadata, file, 0);
  const layoutNames = (format === "persons" ? [...PERSON_COLUMNS] : LAYOUTS[format].flatMap((c) => [c.name, ...c.aliases])).map((n) => n.toLowerCase());
  const finals = new Set(FINAL_NAMES);
  const metaEmbeddings = new Set((options.metadata?.embeddings ?? []).map((e) => e.column));
  const used = new Set<string>(afterUser.filter((n): n is string => Boolean(n)));
  // A list column found by its type takes the lowest measurement number its kind does not use yet.
  const nextMeasurement = (kind: "face" | "text") => {
    let m = 0;
    while (used.has(`${kind}_embedding_${m}`)) m++;
    used.add(`${kind}_embedding_${m}`);
    return m;
  };

  const columns: PlannedColumn[] = schema.map((c) => {
    if (c.name in user) {
      const target = user[c.name] ?? null;
      return { source: c.name, type: c.type, target, role: target === null ? "ignored" : roleOf(target, c.type), by: "mapping" };
    }
    const name = c.name;
    const lower = name.toLowerCase();
    const line = (target: string | null, role: ColumnRole, by: PlannedColumn["by"] = "name"): PlannedColumn => ({ source: name, type: c.type, target, role, by });
    if (lower === "id" || lower === "person_id") return line(used.has("id") && name !== "id" ? null : "id", "id");
    if (layoutNames.includes(lower)) return line(name, "biography/face");
    if (finals.has(lower)) return line(lower, "final score");
    if (/^(face|text)_embedding_\d+/.test(name)) return line(name, "embedding", metaEmbeddings.has(name) ? "metadata" : "name");
    if (lower === "assessments") return line(name, "assessments");
    if (parseLlmScoreName(name)) return line(name, "LLM score");
    if (NUMERIC_LIST.test(c.type)) {
      const kind = FACE_NAME.test(name) ? "face" : "text";
      const target = `${kind}_embedding_${nextMeasurement(kind)}`;
      return line(target, "embedding", "type");
    }
    return options.unknown === "ignore" ? line(null, "ignored", "unknown policy") : line(null, "unknown", "name");
  });
  const mapping: ColumnMapping = {};
  for (const c of columns) if (c.target !== c.source && c.role !== "unknown") mapping[c.source] = c.target;
  return { format, columns, mapping, unknown: columns.filter((c) => c.role === "unknown") };
}

function roleOf(target: string, type: string): ColumnRole {
  if (target === "id") return "id";
  if (FINAL_NAMES.includes(target)) return "final score";
  if (/^(face|text)_embedding_\d+/.test(target) || NUMERIC_LIST.test(type)) return "embedding";
  if (target === "assessments") return "assessments";
  if (parseLlmScoreName(target)) return "LLM score";
  return "biography/face";
}

/** The error for unknown columns: all of them, with their types, and both ways out. */
export function unknownColumnsError(plan: MappingPlan, file: string): DataError {
  const list = plan.unknown.map((c) => `${c.source} (${c.type})`).join(", ");
  const first = plan.unknown[0]!.source;
  return new DataError(file, 0, first, `${plan.unknown.length} column(s) not recognised for the ${plan.format} layout: ${list}`,
    `map each to a layout name or drop it with --mapping map.json (e.g. {"${first}": null} or {"${first}": "<layout name>"}), ` +
    `or pass --unknown ignore to import without them (they stay readable in the cached Parquet via readTable("hf://…"))`);
}

/** The plan as aligned text lines: source, type, → target, role. */
export function formatMappingPlan(plan: MappingPlan): string {
  const width = (f: (c: PlannedColumn) => string) => Math.min(40, Math.max(...plan.columns.map((c) => f(c).length)));
  const ws = width((c) => c.source), wt = width((c) => c.type), wg = width((c) => c.target ?? "-");
  const lines = [`schema found (${plan.columns.length} columns) and mapping used (${plan.format} layout):`];
  for (const c of plan.columns) {
    lines.push(`  ${c.source.padEnd(ws)}  ${c.type.padEnd(wt)}  → ${(c.target ?? "-").padEnd(wg)}  ${c.role}${c.by === "name" ? "" : ` (by ${c.by})`}`);
  }
  return lines.join("\n");
}
