/**
 * The released CelebPersona / AthlePersona table layouts (DESIGN §1.1, test/fixtures/data/*.csv headers):
 * which released column holds which store column. Import reads these names (or aliases, or a user
 * mapping), and export and readTable write them, so an analysis sees the same names whether it reads a
 * released CSV, a synthetic table or a store.
 */
import { FACIAL_ATTRIBUTES, TRAITS, faceColumn, type Flavour } from "./schema.ts";

export interface LayoutColumn {
  /** Name in the released file. */
  name: string;
  /** Table and column in the store. */
  table: "persons" | "face_attributes";
  column: string;
  /** SQL type the value is cast to. */
  type: "INTEGER" | "DOUBLE" | "TINYINT";
  /** Other accepted spellings on import (compared case-insensitively). */
  aliases: string[];
  required: boolean;
}

const col = (name: string, column: string, type: LayoutColumn["type"], aliases: string[] = [], table: LayoutColumn["table"] = "persons"): LayoutColumn =>
  ({ name, table, column, type, aliases, required: true });

/** Biography and face columns of each flavour, in the released order. */
export const LAYOUTS: Record<Flavour, LayoutColumn[]> = {
  celeb: [
    col("Height(cm)", "height_cm", "DOUBLE", ["Height", "height_cm"]),
    col("Weight(kg)", "weight_kg", "DOUBLE", ["Weight", "weight_kg"]),
    col("Year", "birth_year", "INTEGER", ["Birthyear", "birth_year"]),
    col("Month", "birth_month", "INTEGER", ["Birthmonth", "birth_month"]),
    col("Day", "birth_day", "INTEGER", ["Birthday", "birth_day"]),
    col("Latitude", "latitude", "DOUBLE"),
    col("Longitude", "longitude", "DOUBLE"),
    col("Occupation_idx", "occupation", "INTEGER", ["Occupation", "occupation"]),
    col("Gender_idx", "gender", "INTEGER", ["Gender", "gender"]),
    ...FACIAL_ATTRIBUTES.map((a) => col(a, faceColumn(a), "TINYINT", [], "face_attributes")),
  ],
  athle: [
    col("Birthyear", "birth_year", "INTEGER", ["Year", "birth_year"]),
    col("Birthmonth", "birth_month", "INTEGER", ["Month", "birth_month"]),
    col("Birthday", "birth_day", "INTEGER", ["Day", "birth_day"]),
    col("Type", "league", "INTEGER", ["League", "league"]),
    col("Latitude", "latitude", "DOUBLE"),
    col("Longitude", "longitude", "DOUBLE"),
    col("Height", "height_cm", "DOUBLE", ["Height(cm)", "height_cm"]),
    col("Weight", "weight_kg", "DOUBLE", ["Weight(kg)", "weight_kg"]),
  ],
};

/** Column names of the aggregated scores. */
export const FINAL_NAMES = TRAITS.map((t) => `final_${t}`);

/** Released name of an LLM's score column, e.g. ("gpt", "o") → "gpt_o". */
export const llmScoreName = (llm: string, trait: string): string => `${llm}_${trait}`;

/**
 * Recognises a per-LLM score column ("gpt_o", "gemini_n", "llama-4_c"): an LLM name, "_", a trait
 * letter. `final_*` and layout columns are excluded by the caller.
 */
export function parseLlmScoreName(name: string): { llm: string; trait: string } | undefined {
  const m = /^([A-Za-z][A-Za-z0-9.\-]*)_([oceanOCEAN])$/.exec(name);
  if (!m || m[1]!.toLowerCase() === "final") return undefined;
  return { llm: m[1]!, trait: m[2]!.toLowerCase() };
}

/** Column of an embedding in the wide (HF) layout, e.g. face_embedding_0, or text_embedding_2__my-model. */
export function embeddingColumnName(kind: string, measurement: number, model: string, modelsOfKind: number): string {
  return modelsOfKind > 1 ? `${kind}_embedding_${measurement}__${model.replace(/[^A-Za-z0-9.\-]/g, "_")}` : `${kind}_embedding_${measurement}`;
}

/** SQL identifier quoting: "Height(cm)" stays one column name. */
export const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** SQL string literal. */
export const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;
