/**
 * Exports a store: the released wide layout as CSV (exportCsv), any PersonaX table as CSV/JSON/Parquet
 * (exportTable), and the Hugging Face dataset layout (exportHf): `data/train-0000i-of-0000N.parquet` plus a
 * `README.md` dataset card whose YAML front matter lists every column's dtype, with provenance and the
 * usage restrictions of the PersonaX release. All writing is done by DuckDB's COPY.
 *
 * exportHf is generic over the store's contents: every per-LLM score, embedding block and assessment
 * record present is exported, and the Parquet metadata lets importFile restore the store exactly.
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import type { Store } from "./store.ts";
import { chooseFlavour, planWide, type WidePlan } from "./wide.ts";
import { lit } from "./layout.ts";
import { PERSONAX_TABLES, TRAITS, type Flavour, type PersonaxTable } from "./schema.ts";
import type { HfMetadata } from "./import.ts";
import type { ProgressCallback } from "../util/progress.ts";

export interface CsvExportResult { file: string; flavour: Flavour; rows: number; columns: string[] }

/** Writes one flavour in the released wide layout as CSV (missing = empty field). Embeddings are left out. */
export async function exportCsv(store: Store, file: string, options: { flavour?: Flavour } = {}): Promise<CsvExportResult> {
  const flavour = await chooseFlavour(store, options.flavour);
  const plan = await planWide(store, flavour);
  const out = resolve(file);
  await mkdir(resolve(out, ".."), { recursive: true });
  const result = await store.connection.run(`COPY (${plan.sql}) TO ${lit(out)} (FORMAT csv, HEADER true)`);
  const columns = (await store.query<{ column_name: string }>(`DESCRIBE (${plan.sql})`)).map((r) => r.column_name);
  return { file: out, flavour, rows: Number(result.rowsChanged), columns };
}

/** Writes one PersonaX table as CSV, JSON (array) or Parquet, chosen by the file extension. */
export async function exportTable(store: Store, table: PersonaxTable, file: string): Promise<{ file: string; rows: number }> {
  if (!PERSONAX_TABLES.includes(table)) throw new UsageError(`unknown table "${table}"`, `use one of: ${PERSONAX_TABLES.join(", ")}`);
  const ext = extname(file).toLowerCase();
  const format = ext === ".parquet" ? "parquet" : ext === ".json" ? "json, ARRAY true" : ext === ".csv" ? "csv, HEADER true" : undefined;
  if (!format) throw new UsageError(`cannot export to ${file}: unknown extension "${ext}"`, "use .csv, .json or .parquet");
  const out = resolve(file);
  await mkdir(resolve(out, ".."), { recursive: true });
  const order = table === "persons" ? "id" : table === "categories" ? "variable, code" : table === "runs" ? "id" : "person_id";
  const result = await store.connection.run(`COPY (SELECT * FROM ${table} ORDER BY ${order}) TO ${lit(out)} (FORMAT ${format})`);
  return { file: out, rows: Number(result.rowsChanged) };
}

/**
 * Writes one flavour in the wide layout (embeddings and assessment records included) as a single Parquet
 * file, with the same `personax` metadata as the HF shards, so importFile restores it exactly.
 */
export async function exportParquet(store: Store, file: string, options: { flavour?: Flavour } = {}): Promise<{ file: string; flavour: Flavour; rows: number }> {
  const flavour = await chooseFlavour(store, options.flavour);
  const plan = await planWide(store, flavour, { embeddings: true, assessments: true });
  const out = resolve(file);
  await mkdir(resolve(out, ".."), { recursive: true });
  const result = await store.connection.run(`COPY (${plan.sql}) TO ${lit(out)} (FORMAT parquet, COMPRESSION zstd, ${await kvMetadata(store, plan)})`);
  return { file: out, flavour, rows: Number(result.rowsChanged) };
}

async function kvMetadata(store: Store, plan: WidePlan): Promise<string> {
  const metadata: HfMetadata = {
    flavour: plan.flavour, protocol: plan.protocol,
    embeddings: plan.embeddingColumns.map((e) => ({ column: e.name, kind: e.kind, measurement: e.measurement, model: e.model })),
    categories: await store.readCategories(),
  };
  return `KV_METADATA {personax: ${lit(JSON.stringify(metadata))}}`;
}

export interface HfExportOptions {
  flavour?: Flavour;
  /** Rows per Parquet shard (default 100,000). */
  rowsPerShard?: number;
  /** Dataset name shown in the card (default Persona-X/celebpersona or …/athlepersona). */
  name?: string;
  onProgress?: ProgressCallback;
}

export interface HfExportResult {
  dir: string;
  flavour: Flavour;
  files: string[];
  card: string;
  rows: number;
  features: Array<{ name: string; dtype: string }>;
  /** What the card's Privacy section says (the CLI warns when the export is not release-ready). */
  privacy: PrivacyFacts;
}

/**
 * Facts about the exported rows that decide whether they may be published (DESIGN §1.1 release form). The
 * HF export writes what the store holds, so that import restores it exactly; `personax embed release`
 * makes the publishable copy. The card states these facts instead of promising them.
 */
export interface PrivacyFacts {
  /** Embeddings are present. */
  embeddings: boolean;
  /** The store records an "embed release" run: its embeddings went through the secret orthogonal transform. */
  embeddingsTransformed: boolean;
  /** Some exported assessment carries free text (a description or a raw LLM reply). */
  freeText: boolean;
}

async function privacyFacts(store: Store, plan: WidePlan): Promise<PrivacyFacts> {
  const [row] = await store.query<{ text: number; release: number }>(
    `SELECT (SELECT count(*) FROM trait_assessments a JOIN persons p ON p.id = a.person_id WHERE p.flavour = $1
               AND (a.raw_reply IS NOT NULL OR ${TRAITS.map((t) => `a.description_${t} IS NOT NULL`).join(" OR ")})) AS text,
            (SELECT count(*) FROM runs WHERE what = 'embed release') AS release`, [plan.flavour]);
  return { embeddings: plan.embeddingColumns.length > 0, embeddingsTransformed: (row?.release ?? 0) > 0, freeText: (row?.text ?? 0) > 0 };
}

/** Writes the Hugging Face layout of one flavour into `dir` (its data/ folder is replaced). */
export async function exportHf(store: Store, dir: string, options: HfExportOptions = {}): Promise<HfExportResult> {
  const flavour = await chooseFlavour(store, options.flavour);
  const plan = await planWide(store, flavour, { embeddings: true, assessments: true });
  const root = resolve(dir);
  const dataDir = join(root, "data");
  if (existsSync(dataDir)) {
    for (const f of await readdir(dataDir)) if (/^train-\d+-of-\d+\.parquet$/.test(f)) await rm(join(dataDir, f));
  }
  await mkdir(dataDir, { recursive: true });
  const [{ n: rows } = { n: 0 }] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM persons WHERE flavour = $1`, [flavour]);
  const perShard = Math.max(1, options.rowsPerShard ?? 100_000);
  const shards = Math.max(1, Math.ceil(rows / perShard));
  const kv = await kvMetadata(store, plan);
  const files: string[] = [];
  for (let i = 0; i < shards; i++) {
    const name = `train-${String(i).padStart(5, "0")}-of-${String(shards).padStart(5, "0")}.parquet`;
    const file = join(dataDir, name);
    await store.connection.run(`COPY (${plan.sql} LIMIT ${perShard} OFFSET ${i * perShard}) TO ${lit(file)} (FORMAT parquet, COMPRESSION zstd, ${kv})`);
    files.push(file);
    options.onProgress?.(i + 1, shards, name);
  }
  const described = await store.query<{ column_name: string; column_type: string }>(`DESCRIBE (${plan.sql})`);
  const features = described.map((d) => ({ name: d.column_name, dtype: d.column_type }));
  const card = join(root, "README.md");
  const privacy = await privacyFacts(store, plan);
  await writeFile(card, await datasetCard(store, plan, { name: options.name ?? `Persona-X/${flavour}persona`, rows, shards, features, privacy }));
  return { dir: root, flavour, files, card, rows, features: features.map((f) => ({ name: f.name, dtype: hfDtype(f.dtype).summary })), privacy };
}

/** A DuckDB type as Hugging Face `features` YAML lines (indented by the caller). */
function hfDtype(type: string): { yaml: string[]; summary: string } {
  const scalar: Record<string, string> = {
    VARCHAR: "string", INTEGER: "int32", TINYINT: "int8", SMALLINT: "int16", BIGINT: "int64", DOUBLE: "float64", FLOAT: "float32",
    BOOLEAN: "bool", TIMESTAMP: "timestamp[us]", DATE: "date32",
  };
  if (scalar[type]) return { yaml: [`dtype: ${scalar[type]}`], summary: scalar[type]! };
  const list = /^(.*)\[\]$/.exec(type);
  if (list && scalar[list[1]!]) return { yaml: ["sequence: " + scalar[list[1]!]], summary: `sequence<${scalar[list[1]!]}>` };
  const structList = /^STRUCT\((.*)\)\[\]$/.exec(type);
  if (structList) {
    const fields = splitStructFields(structList[1]!);
    const yaml = ["list:"];
    for (const [name, t] of fields) yaml.push(`- name: ${yamlString(name)}`, `  dtype: ${scalar[t] ?? "string"}`);
    return { yaml, summary: `list<struct<${fields.map(([n]) => n).join(",")}>>` };
  }
  return { yaml: ["dtype: string"], summary: "string" };
}

function splitStructFields(inner: string): Array<[string, string]> {
  return inner.split(/,\s*/).map((part) => {
    const m = /^"?([^"\s]+)"?\s+(.+)$/.exec(part.trim());
    return [m?.[1] ?? part, m?.[2] ?? "VARCHAR"] as [string, string];
  });
}

function yamlString(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) ? value : JSON.stringify(value);
}

/** The usage restrictions of the PersonaX release (DESIGN §1.1), repeated in every card. */
export const USAGE_RESTRICTIONS = `This dataset may be used for non-commercial research only. Do not use it for profiling, surveillance,
high-stakes decisions about people (employment, credit, insurance, housing, law enforcement, admissions) or any
attempt to re-identify the persons. Trait scores are LLM inferences from public information, not psychometric
measurements of the persons.`;

async function datasetCard(store: Store, plan: WidePlan,
  info: { name: string; rows: number; shards: number; features: Array<{ name: string; dtype: string }>; privacy: PrivacyFacts }): Promise<string> {
  const lines: string[] = ["---", "license: other", "license_name: personax-research-only",
    `pretty_name: ${info.name.split("/").pop()}`, "configs:", "- config_name: default", "  data_files:", "  - split: train", "    path: data/train-*",
    "dataset_info:", "  features:"];
  for (const f of info.features) {
    lines.push(`  - name: ${yamlString(f.name)}`);
    for (const l of hfDtype(f.dtype).yaml) lines.push(`    ${l}`);
  }
  lines.push("  splits:", "  - name: train", `    num_examples: ${info.rows}`, "---", "");
  const runs = await store.readRuns();
  const llms = await store.query<{ llm: string; protocol: string; n: number; first: Date | null; last: Date | null }>(
    `SELECT llm, protocol, count(*) AS n, min(created_at) AS first, max(created_at) AS last FROM trait_assessments a JOIN persons p ON p.id = a.person_id
     WHERE p.flavour = $1 GROUP BY llm, protocol ORDER BY llm, protocol`, [plan.flavour]);
  const embeddings = await store.query<{ kind: string; measurement: number; model: string; n: number; dim: number }>(
    `SELECT kind, measurement, model, count(*) AS n, max(len(vector)) AS dim FROM embeddings e JOIN persons p ON p.id = e.person_id
     WHERE p.flavour = $1 GROUP BY kind, measurement, model ORDER BY kind, measurement, model`, [plan.flavour]);
  const title = plan.flavour === "celeb" ? "CelebPersona" : "AthlePersona";
  lines.push(`# ${title} (PersonaX layout)`, "",
    `One row per person: ${info.rows} rows in ${info.shards} Parquet shard(s) under \`data/\`, written by personax on ${new Date().toISOString().slice(0, 10)}.`,
    `Columns follow the released ${title} layout (see docs/SCHEMA.md of personax): biography, ${plan.flavour === "celeb" ? "10 CelebA facial attributes (-1/1), " : ""}` +
    `per-LLM Big Five scores \`<llm>_o\` … \`<llm>_n\` (0 = insufficient information) and \`final_o\` … \`final_n\` ` +
    "(median of the non-zero LLM scores: 2 valid → mean, 1 → that value, none → missing).", "",
    "## Provenance", "",
    `* Prompt protocol of the per-LLM columns: ${plan.protocol ?? "none (no LLM scores)"}`,
    `* LLMs: ${llms.length ? llms.map((l) => `${l.llm} (${l.protocol}, ${l.n} assessments${l.first ? `, ${isoDate(l.first)}…${isoDate(l.last!)}` : ""})`).join("; ") : "none"}`,
    `* Embeddings: ${embeddings.length ? embeddings.map((e) => `${e.kind} #${e.measurement} by ${e.model} (${e.dim}-d float32, ${e.n} persons)`).join("; ") : "none"}`,
    `* Full assessment records (descriptions, raw replies, all protocols and repeats): ${plan.assessmentsBeyondScores ? "in the `assessments` column" : "none beyond the per-LLM scores"}`,
    "", "### Runs", "");
  if (runs.length) {
    lines.push("| id | what | started (UTC) | seed | parameters |", "|---|---|---|---|---|");
    for (const r of runs) lines.push(`| ${r.id} | ${r.what} | ${r.started_at.toISOString()} | ${r.seed ?? ""} | \`${JSON.stringify(r.params).replace(/\|/g, "\\|")}\` |`);
  } else {
    lines.push("No runs recorded.");
  }
  const { privacy } = info;
  lines.push("", "## Privacy", "",
    "* Names: not part of the PersonaX tables (prompt identities stay in the working store and are never exported); categoricals are integer codes.",
    `* Embeddings: ${!privacy.embeddings ? "none"
      : privacy.embeddingsTransformed ? "passed through a secret random orthogonal transform per kind (`personax embed release`); the key is not part of the release"
      : "NOT obfuscated: no `personax embed release` run is recorded in this store, so the vectors are in the embedding models' own coordinates"}.`,
    `* Free text (LLM descriptions, raw replies): ${privacy.freeText ? "PRESENT in the `assessments` column; remove it (`personax embed release` without --include-raw) before publishing" : "none"}.`);
  lines.push("", "## Usage restrictions", "", USAGE_RESTRICTIONS, "");
  return lines.join("\n");
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

