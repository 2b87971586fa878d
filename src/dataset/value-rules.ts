/**
 * The allowed values of every imported numeric column, by store column (docs/SCHEMA.md "Value rules" lists
 * the same table for humans). The importer refuses anything else with the file, row, column and fix; a
 * non-finite number (Inf, -Inf) is refused in every column.
 */
import { FACE_COLUMNS } from "./schema.ts";

export interface ValueRule {
  type: "INTEGER" | "DOUBLE" | "TINYINT";
  /** Inclusive bounds. */
  range?: [number, number];
  /** Allowed codes when no category dictionary names them. */
  codes?: number[];
  /** The categories variable whose dictionary, when one is given, lists the allowed codes. */
  categorical?: "occupation" | "gender" | "league";
  /** What the value is, for messages ("height in cm"). */
  meaning: string;
  fix?: string;
}

const faceRule: ValueRule = { type: "TINYINT", codes: [-1, 1], meaning: "a CelebA attribute: -1 absent, 1 present", fix: "code the attribute as -1 (absent) or 1 (present)" };

export const VALUE_RULES: Record<string, ValueRule> = {
  birth_year: { type: "INTEGER", range: [1800, 2100], meaning: "a birth year" },
  birth_month: { type: "INTEGER", range: [1, 12], meaning: "a month" },
  birth_day: { type: "INTEGER", range: [1, 31], meaning: "a day of the month" },
  latitude: { type: "DOUBLE", range: [-90, 90], meaning: "degrees of latitude" },
  longitude: { type: "DOUBLE", range: [-180, 180], meaning: "degrees of longitude" },
  height_cm: { type: "DOUBLE", range: [40, 280], meaning: "an adult's height in cm" },
  weight_kg: { type: "DOUBLE", range: [20, 650], meaning: "an adult's weight in kg" },
  occupation: { type: "INTEGER", range: [0, 10_000], categorical: "occupation", meaning: "an occupation code" },
  // The released CelebPersona codes gender 0 / 1; a --categories dictionary may list other codes.
  gender: { type: "INTEGER", codes: [0, 1], categorical: "gender", meaning: "the released gender codes 0 and 1", fix: "code gender as 0 or 1, or pass --categories with a gender dictionary that lists the code" },
  league: { type: "INTEGER", range: [0, 10_000], categorical: "league", meaning: "a league code" },
  /** final_o … final_n: the released scales are 1..3 (CelebPersona) and 1..10 (AthlePersona). */
  final: { type: "DOUBLE", range: [1, 10], meaning: "an aggregated trait score" },
  /** <llm>_o … <llm>_n: 0 = insufficient information, 1..3 or 1..5 by protocol. */
  llmScore: { type: "TINYINT", range: [0, 5], meaning: "an LLM trait score, 0 = insufficient information" },
  ...Object.fromEntries(FACE_COLUMNS.map((c) => [c, faceRule])),
};
