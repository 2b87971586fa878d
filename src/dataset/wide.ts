/**
 * The wide, one-row-per-person view of a store in the released layout: id, biography and face columns,
 * per-LLM scores (`gpt_o` …), finals (`final_o` …) and, for the Hugging Face export, embeddings and the
 * full assessment records. readTable, the CSV export and the HF export all select from it, so the three
 * agree on names and values.
 */
import { DEFAULT_PROTOCOL, EMBEDDING_KINDS, FINAL_COLUMNS, TRAITS, type EmbeddingKind, type Flavour } from "./schema.ts";
import { LAYOUTS, embeddingColumnName, lit, llmScoreName, q } from "./layout.ts";
import type { Store } from "./store.ts";
import { UsageError } from "../errors.ts";

export interface WideOptions {
  /** Include one FLOAT[] column per (kind, measurement, model). */
  embeddings?: boolean;
  /** Include `assessments`, a list of every assessment record of the person (all protocols and repeats). */
  assessments?: boolean;
}

export interface WidePlan {
  sql: string;
  flavour: Flavour;
  /** Protocol whose repeat 0 fills the per-LLM score columns. */
  protocol: string | null;
  llms: string[];
  embeddingColumns: Array<{ name: string; kind: EmbeddingKind; measurement: number; model: string; dim: number | null }>;
  /** True when the store holds assessment data the per-LLM score columns cannot show (descriptions, raw
   * replies, timestamps, other protocols or repeats, or a record without any score). */
  assessmentsBeyondScores: boolean;
}

/**
 * The flavour to read or export: the one asked for (it must be present), or the only one the store holds.
 * `label` names the store in messages (a path, or the file the user passed).
 */
export async function chooseFlavour(store: Store, flavour: Flavour | undefined, label = store.path): Promise<Flavour> {
  const present = await store.flavours();
  if (flavour) {
    if (!present.includes(flavour)) {
      throw new UsageError(`the store ${label} holds no ${flavour} persons (it has: ${present.join(", ") || "none"})`, "import that dataset first, or pick another --flavour");
    }
    return flavour;
  }
  if (present.length === 1) return present[0]!;
  throw new UsageError(present.length ? `the store ${label} holds both datasets (${present.join(", ")})` : `the store ${label} holds no persons`,
    present.length ? "choose one with --flavour celeb|athle" : "import a table first: personax import --store … --file …");
}

/** Plans the wide SELECT for one flavour of the store. */
export async function planWide(store: Store, flavour: Flavour, options: WideOptions = {}): Promise<WidePlan> {
  const protocols = await store.query<{ protocol: string; n: number }>(
    `SELECT protocol, count(*) AS n FROM trait_assessments a JOIN persons p ON p.id = a.person_id
     WHERE p.flavour = $1 GROUP BY protocol ORDER BY n DESC, protocol`, [flavour]);
  const protocol = protocols.some((p) => p.protocol === DEFAULT_PROTOCOL) ? DEFAULT_PROTOCOL : (protocols[0]?.protocol ?? null);
  const llms = protocol === null ? [] : (await store.query<{ llm: string }>(
    `SELECT DISTINCT llm FROM trait_assessments a JOIN persons p ON p.id = a.person_id
     WHERE p.flavour = $1 AND a.protocol = $2 AND a."repeat" = 0 ORDER BY llm`, [flavour, protocol])).map((r) => r.llm);
  // Keep the released order of the three paper LLMs, then any others alphabetically.
  const known = ["gpt", "gemini", "llama"];
  llms.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  function rank(l: string) { const i = known.indexOf(l); return i < 0 ? known.length : i; }

  const beyond = protocol === null ? [] : await store.query<{ n: number }>(
    `SELECT count(*) AS n FROM trait_assessments a JOIN persons p ON p.id = a.person_id
     WHERE p.flavour = $1 AND (a.protocol <> $2 OR a."repeat" <> 0 OR a.raw_reply IS NOT NULL OR a.created_at IS NOT NULL
       OR ${TRAITS.map((t) => `a.description_${t} IS NOT NULL`).join(" OR ")}
       OR (${TRAITS.map((t) => `a.score_${t} IS NULL`).join(" AND ")}))`, [flavour, protocol]);
  const assessmentsBeyondScores = (beyond[0]?.n ?? 0) > 0;

  const embeddingColumns: WidePlan["embeddingColumns"] = [];
  if (options.embeddings) {
    const blocks = await store.query<{ kind: EmbeddingKind; measurement: number; model: string; dim: number }>(
      `SELECT kind, measurement, model, max(len(vector)) AS dim FROM embeddings e JOIN persons p ON p.id = e.person_id
       WHERE p.flavour = $1 GROUP BY kind, measurement, model ORDER BY kind, measurement, model`, [flavour]);
    for (const kind of EMBEDDING_KINDS) {
      const ofKind = blocks.filter((b) => b.kind === kind);
      const models = new Set(ofKind.map((b) => b.model)).size;
      for (const b of ofKind) embeddingColumns.push({ name: embeddingColumnName(kind, b.measurement, b.model, models), kind, measurement: b.measurement, model: b.model, dim: b.dim });
    }
  }

  const layout = LAYOUTS[flavour];
  const select: string[] = [`p.id AS id`];
  const bio = layout.map((c) => `${c.table === "persons" ? "p" : "f"}.${c.column} AS ${q(c.name)}`);
  const scoreCols = llms.flatMap((llm) => TRAITS.map((t) => `s.${q(llmScoreName(llm, t))} AS ${q(llmScoreName(llm, t))}`));
  const finals = FINAL_COLUMNS.map((c) => `t.${c} AS ${c}`);
  // Released orders: AthlePersona puts the finals right after id, CelebPersona at the end.
  if (flavour === "athle") select.push(...finals, ...bio, ...scoreCols);
  else select.push(...bio, ...scoreCols, ...finals);
  const joins: string[] = [];
  if (flavour === "celeb") joins.push(`LEFT JOIN face_attributes f ON f.person_id = p.id`);
  joins.push(`LEFT JOIN trait_finals t ON t.person_id = p.id`);
  if (llms.length) {
    const pivot = llms.flatMap((llm) => TRAITS.map((tr) => `max(score_${tr}) FILTER (WHERE llm = ${lit(llm)}) AS ${q(llmScoreName(llm, tr))}`));
    joins.push(`LEFT JOIN (SELECT person_id, ${pivot.join(", ")} FROM trait_assessments
      WHERE protocol = ${lit(protocol!)} AND "repeat" = 0 GROUP BY person_id) s ON s.person_id = p.id`);
  }
  for (const [i, e] of embeddingColumns.entries()) {
    select.push(`e${i}.vector AS ${q(e.name)}`);
    joins.push(`LEFT JOIN embeddings e${i} ON e${i}.person_id = p.id AND e${i}.kind = ${lit(e.kind)} AND e${i}.measurement = ${e.measurement} AND e${i}.model = ${lit(e.model)}`);
  }
  if (options.assessments && assessmentsBeyondScores) {
    const fields = ["llm", "protocol", `"repeat"`, ...TRAITS.map((t) => `description_${t}`), ...TRAITS.map((t) => `score_${t}`), "raw_reply", "created_at"];
    select.push(`ax.assessments AS assessments`);
    joins.push(`LEFT JOIN (SELECT person_id, list({${fields.map((f) => `${f.replace(/"/g, "")}: ${f}`).join(", ")}}
      ORDER BY llm, protocol, "repeat") AS assessments FROM trait_assessments GROUP BY person_id) ax ON ax.person_id = p.id`);
  }
  const sql = `SELECT ${select.join(",\n  ")}\nFROM persons p\n${joins.join("\n")}\nWHERE p.flavour = ${lit(flavour)}\nORDER BY TRY_CAST(p.id AS BIGINT) NULLS LAST, p.id`;
  return { sql, flavour, protocol, llms, embeddingColumns, assessmentsBeyondScores };
}
