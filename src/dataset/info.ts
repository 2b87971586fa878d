/** What a store holds: table counts, datasets, LLMs and protocols, embedding blocks and the runs. */
import { statSync } from "node:fs";
import type { Store } from "./store.ts";
import type { PersonaxTable, RunRecord } from "./schema.ts";

export interface StoreInfo {
  path: string;
  bytes: number | null;
  counts: Record<PersonaxTable, number>;
  flavours: Array<{ flavour: string; persons: number }>;
  assessments: Array<{ llm: string; protocol: string; repeats: number; rows: number }>;
  embeddings: Array<{ kind: string; measurement: number; model: string; dim: number; rows: number }>;
  categories: Array<{ variable: string; codes: number }>;
  runs: RunRecord[];
  /** Tables other modules added through store.connection (e.g. an LLM call cache). */
  otherTables: string[];
}

export async function storeInfo(store: Store): Promise<StoreInfo> {
  const counts = await store.counts();
  return {
    path: store.path,
    bytes: store.path === ":memory:" ? null : statSync(store.path).size,
    counts,
    flavours: await store.query(`SELECT flavour, count(*) AS persons FROM persons GROUP BY flavour ORDER BY flavour`),
    assessments: await store.query(`SELECT llm, protocol, count(DISTINCT "repeat") AS repeats, count(*) AS rows FROM trait_assessments GROUP BY llm, protocol ORDER BY llm, protocol`),
    embeddings: await store.query(`SELECT kind, measurement, model, max(len(vector)) AS dim, count(*) AS rows FROM embeddings GROUP BY kind, measurement, model ORDER BY kind, measurement, model`),
    categories: await store.query(`SELECT variable, count(*) AS codes FROM categories GROUP BY variable ORDER BY variable`),
    runs: await store.readRuns(),
    otherTables: (await store.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'main' AND table_name NOT IN ('meta', ${Object.keys(counts).map((t) => `'${t}'`).join(", ")}) ORDER BY name`)).map((r) => r.name),
  };
}

/** Plain-text rendering for `personax store info`. */
export function formatStoreInfo(info: StoreInfo): string {
  const lines = [`store ${info.path}${info.bytes !== null ? ` (${(info.bytes / 2 ** 20).toFixed(1)} MiB)` : ""}`];
  lines.push("tables: " + Object.entries(info.counts).map(([t, n]) => `${t} ${n}`).join(", "));
  lines.push("datasets: " + (info.flavours.map((f) => `${f.flavour} ${f.persons}`).join(", ") || "none"));
  for (const a of info.assessments) lines.push(`assessments: ${a.llm} / ${a.protocol}: ${a.rows} rows, ${a.repeats} repeat(s)`);
  for (const e of info.embeddings) lines.push(`embeddings: ${e.kind} #${e.measurement} ${e.model}: ${e.rows} × ${e.dim}`);
  if (info.categories.length) lines.push("categories: " + info.categories.map((c) => `${c.variable} (${c.codes})`).join(", "));
  if (info.otherTables.length) lines.push("other tables: " + info.otherTables.join(", "));
  for (const r of info.runs) lines.push(`run ${r.id}: ${r.what} at ${r.started_at.toISOString()}${r.seed !== null ? ` seed ${r.seed}` : ""} ${JSON.stringify(r.params)}`);
  return lines.join("\n");
}
