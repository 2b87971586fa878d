/**
 * Import stages 4 and 5, over the staging table: run every planned value check in one scan, give each row
 * its person id (refusing duplicates and, without --replace, ids already stored), then write the store
 * tables and check their keys. Runs inside the import's transaction; any error rolls everything back.
 */
import { DataError } from "../errors.ts";
import { aggregateFinalScoreSql } from "./aggregate.ts";
import { lit, q } from "./layout.ts";
import { CATEGORICAL_VARIABLES, FACE_COLUMNS, FINAL_COLUMNS, PERSON_COLUMNS, TABLE_KEYS, TRAITS, type CategoryRow } from "./schema.ts";
import { STAGING_TABLE, type StagedSource } from "./import-source.ts";
import type { ImportPlan, ValueCheck } from "./import-plan.ts";
import type { Store } from "./store.ts";

export const IDS_TABLE = "_personax_import_ids";

/** Runs every check in one scan and throws the DataError of the first bad row (ties: the first check). */
export async function validateStaged(store: Store, staged: StagedSource, plan: Pick<ImportPlan, "checks" | "requiredValues">): Promise<void> {
  const { checks, requiredValues } = plan;
  if (!checks.length && !requiredValues.length) return;
  const { file, firstDataRow } = staged.source;
  const selects = [
    ...checks.map((c, i) => `min(CASE WHEN ${c.bad} THEN ${staged.rowNumber} END) AS v${i}`),
    ...requiredValues.map((c, i) => `count(${staged.value(c)}) AS n${i}`),
  ];
  const [found] = await store.query<Record<string, number | null>>(`SELECT ${selects.join(", ")} FROM ${STAGING_TABLE}`);
  let worst: { row: number; check: ValueCheck } | undefined;
  checks.forEach((c, i) => {
    const row = found![`v${i}`];
    if (row !== null && row !== undefined && (!worst || row < worst.row)) worst = { row, check: c };
  });
  if (worst) {
    const shown = worst.check.shown ?? `CAST(${q(worst.check.column)} AS VARCHAR)`;
    const [value] = await store.query<{ v: string | null }>(`SELECT ${shown} AS v FROM ${STAGING_TABLE} WHERE ${staged.rowNumber} = ${worst.row}`);
    throw new DataError(file, worst.row + firstDataRow, worst.check.column, worst.check.problem(value?.v ?? ""), worst.check.fix);
  }
  requiredValues.forEach((column, i) => {
    if (found![`n${i}`] === 0) {
      throw new DataError(file, firstDataRow, column, `every value is empty or NaN (rows ${firstDataRow}..${firstDataRow + staged.nRows - 1})`,
        `fill in the column, or if the data does not have it, map it away with {"${column}": null} (it is then imported as missing)`);
    }
  });
}

/**
 * Writes `_personax_import_ids` (staged row → person id). Duplicate ids in the file are an error; ids already
 * in the store are an error unless `replace`, which deletes those persons and all their rows first.
 */
export async function assignIds(store: Store, staged: StagedSource, plan: Pick<ImportPlan, "idExpr" | "idSource">, replace: boolean): Promise<void> {
  const { file, firstDataRow } = staged.source;
  const { idExpr, idSource } = plan;
  const [dup] = await store.query<{ id: string; first: number; second: number }>(
    `SELECT id, min(r) AS first, min(r) FILTER (WHERE rn = 2) AS second FROM (
       SELECT ${idExpr} AS id, ${staged.rowNumber} AS r, row_number() OVER (PARTITION BY ${idExpr} ORDER BY rowid) AS rn FROM ${STAGING_TABLE})
     GROUP BY id HAVING count(*) > 1 ORDER BY second LIMIT 1`);
  if (dup) {
    throw new DataError(file, dup.second + firstDataRow, idSource ?? "id", `duplicate id "${dup.id}" (first used on row ${dup.first + firstDataRow})`,
      "give every person a unique id");
  }
  const conn = store.connection;
  await conn.run(`CREATE TABLE ${IDS_TABLE} AS SELECT rowid AS src_rowid, ${staged.rowNumber} AS src_row, ${idExpr} AS id FROM ${STAGING_TABLE}`);
  if (!replace) {
    const [clash] = await store.query<{ id: string; src_row: number }>(
      `SELECT i.id, i.src_row FROM ${IDS_TABLE} i JOIN persons p ON p.id = i.id ORDER BY i.src_row LIMIT 1`);
    if (clash) {
      throw new DataError(file, clash.src_row + firstDataRow, idSource ?? "id", `id "${clash.id}" is already in the store ${store.path}`,
        "import with --replace to overwrite those persons, or import into a new store");
    }
    return;
  }
  for (const table of ["face_attributes", "trait_assessments", "trait_finals", "embeddings"]) {
    await conn.run(`DELETE FROM ${table} WHERE person_id IN (SELECT id FROM ${IDS_TABLE})`);
  }
  await conn.run(`DELETE FROM persons WHERE id IN (SELECT id FROM ${IDS_TABLE})`);
}

export interface WrittenCounts { persons: number; faceAttributes: number; assessments: number; finals: number; embeddings: number }

/** Writes the planned rows of every store table (after validateStaged and assignIds), then checks the tables' keys. */
export async function writePlanned(store: Store, staged: StagedSource, plan: ImportPlan, options: { protocol: string; categories: readonly CategoryRow[] }): Promise<WrittenCounts> {
  const conn = store.connection;
  const { file, headerRow, firstDataRow } = staged.source;
  const changed = async (sql: string) => Number((await conn.run(sql)).rowsChanged);
  const from = `FROM ${STAGING_TABLE} s JOIN ${IDS_TABLE} i ON i.src_rowid = s.rowid`;
  const counts: WrittenCounts = { persons: staged.nRows, faceAttributes: 0, assessments: 0, finals: 0, embeddings: 0 };

  const personCols = PERSON_COLUMNS.filter((c) => c !== "id" && plan.personExpr.has(c));
  await conn.run(`INSERT INTO persons (id, ${personCols.join(", ")}) SELECT i.id, ${personCols.map((c) => plan.personExpr.get(c)!).join(", ")} ${from}`);
  if (plan.faceExpr.size) {
    const face = FACE_COLUMNS.map((c) => plan.faceExpr.get(c)!);
    counts.faceAttributes = await changed(`INSERT INTO face_attributes (person_id, ${FACE_COLUMNS.join(", ")})
      SELECT i.id, ${face.join(", ")} ${from} WHERE ${face.map((e) => `${e} IS NOT NULL`).join(" OR ")}`);
  }
  if (plan.nestedAssessments) {
    const fields = ["llm", "protocol", "repeat", ...TRAITS.map((t) => `description_${t}`), ...TRAITS.map((t) => `score_${t}`), "raw_reply", "created_at"];
    counts.assessments = await changed(`INSERT INTO trait_assessments (person_id, ${fields.map((f) => q(f)).join(", ")})
      SELECT id, ${fields.map((f) => `a.${q(f)}`).join(", ")} FROM (SELECT i.id, unnest(s.${q(plan.nestedAssessments)}) AS a ${from})`);
  } else {
    for (const [llm, traits] of plan.llmScores) {
      const scores = TRAITS.map((t) => traits.get(t)!);
      counts.assessments += await changed(`INSERT INTO trait_assessments (person_id, llm, protocol, "repeat", ${TRAITS.map((t) => `score_${t}`).join(", ")})
        SELECT i.id, ${lit(llm)}, ${lit(options.protocol)}, 0, ${scores.join(", ")} ${from} WHERE ${scores.map((s) => `${s} IS NOT NULL`).join(" OR ")}`);
    }
  }
  const finals = plan.finalExpr.size
    ? FINAL_COLUMNS.map((f) => plan.finalExpr.get(f)!)
    : plan.llmScores.size
      ? TRAITS.map((t) => aggregateFinalScoreSql([...plan.llmScores.values()].map((traits) => traits.get(t)!)))
      : [];
  if (finals.length) {
    counts.finals = await changed(`INSERT INTO trait_finals (person_id, ${FINAL_COLUMNS.join(", ")})
      SELECT id, ${FINAL_COLUMNS.join(", ")} FROM (SELECT i.id, ${finals.map((e, k) => `${e} AS ${FINAL_COLUMNS[k]}`).join(", ")} ${from})
      WHERE ${FINAL_COLUMNS.map((c) => `${c} IS NOT NULL`).join(" OR ")}`);
  }
  for (const e of plan.embeddingColumns) {
    const type = staged.types.get(e.source) ?? "";
    if (!/\[\]$/.test(type)) {
      throw new DataError(file, headerRow, e.source, `embedding column has type ${type}, not a list of numbers`, "export embeddings to Parquet (personax export --hf), not CSV");
    }
    counts.embeddings += await changed(`INSERT INTO embeddings (person_id, kind, measurement, model, vector)
      SELECT i.id, ${lit(e.kind)}, ${e.measurement}, ${lit(e.model)}, CAST(s.${q(e.source)} AS FLOAT[]) ${from} WHERE s.${q(e.source)} IS NOT NULL`);
  }
  // The per-person tables have no PRIMARY KEY (schema.ts TABLE_KEYS): check their keys for the imported
  // persons (a repeated record in an `assessments` list, or rows written earlier for an id not yet imported).
  for (const [table, keys] of Object.entries(TABLE_KEYS).filter(([t]) => t !== "persons")) {
    const k = keys.map((c) => `t.${q(c)}`);
    const [dup] = await store.query<Record<string, unknown>>(
      `SELECT ${k.join(", ")} FROM ${table} t SEMI JOIN ${IDS_TABLE} i ON i.id = t.person_id GROUP BY ALL HAVING count(*) > 1 LIMIT 1`);
    if (dup) {
      const [where] = await store.query<{ src_row: number }>(`SELECT src_row FROM ${IDS_TABLE} WHERE id = $1`, [String(dup["person_id"])]);
      const nested = table === "trait_assessments" && plan.nestedAssessments;
      throw new DataError(file, (where?.src_row ?? -firstDataRow) + firstDataRow, nested ? plan.nestedAssessments : "id",
        `${table} would hold the key ${JSON.stringify(dup)} twice`,
        nested ? "list each (llm, protocol, repeat) once per person" : "import with --replace to overwrite the rows already stored for this person");
    }
  }
  for (const c of options.categories) {
    if (!CATEGORICAL_VARIABLES.includes(c.variable as never)) continue;
    await conn.run(`INSERT OR REPLACE INTO categories VALUES ($1, $2, $3)`, [c.variable, c.code, c.label]);
  }
  return counts;
}
