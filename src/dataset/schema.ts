/**
 * The PersonaX data model: zod schemas for every row the store holds, and the DuckDB DDL that creates it.
 * The schema is the type: every `…Row` type below is `z.infer` of its schema, and every write helper of
 * the store parses its input with these schemas. docs/SCHEMA.md describes the same tables for humans.
 */
import { z } from "zod";

/** Big Five traits in the order the paper and the released files use (O, C, E, A, N). */
export const TRAITS = ["o", "c", "e", "a", "n"] as const;
export type Trait = (typeof TRAITS)[number];

/** The two PersonaX datasets: CelebPersona ("celeb") and AthlePersona ("athle"). */
export const FLAVOURS = ["celeb", "athle"] as const;
export const Flavour = z.enum(FLAVOURS);
export type Flavour = z.infer<typeof Flavour>;

/** The 10 stable CelebA attributes kept by CelebPersona (DESIGN §1.1), coded -1 / 1. */
export const FACIAL_ATTRIBUTES = [
  "Arched_Eyebrows", "Big_Nose", "Pointy_Nose", "Bushy_Eyebrows", "Big_Lips",
  "Oval_Face", "Double_Chin", "Receding_Hairline", "Narrow_Eyes", "High_Cheekbones",
] as const;
export type FacialAttribute = (typeof FACIAL_ATTRIBUTES)[number];
/** Store column of a facial attribute: lower snake case, e.g. Big_Nose → big_nose. */
export const faceColumn = (attribute: string): string => attribute.toLowerCase();

/** Embedding kinds: a face image embedding or a text embedding of an LLM description. */
export const EMBEDDING_KINDS = ["face", "text"] as const;
export const EmbeddingKind = z.enum(EMBEDDING_KINDS);
export type EmbeddingKind = z.infer<typeof EmbeddingKind>;

/** The prompt protocol chosen by the paper's consistency study (DESIGN §1.1). */
export const DEFAULT_PROTOCOL = "Number-L3-Inc";

/** Categorical biography variables; their integer codes are explained by the `categories` table. */
export const CATEGORICAL_VARIABLES = ["occupation", "gender", "league"] as const;
export type CategoricalVariable = (typeof CATEGORICAL_VARIABLES)[number];

const finiteOrNull = z.number().finite().nullable();
const intOrNull = z.number().int().nullable();

/** One person: biography and categorical codes. Columns that do not apply to a flavour are null. */
export const PersonRow = z.object({
  id: z.string().min(1),
  flavour: Flavour,
  birth_year: intOrNull,
  birth_month: z.number().int().min(1).max(12).nullable(),
  birth_day: z.number().int().min(1).max(31).nullable(),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  height_cm: finiteOrNull,
  weight_kg: finiteOrNull,
  /** celeb: occupation index (see categories "occupation") */
  occupation: intOrNull,
  /** celeb: gender index (see categories "gender") */
  gender: intOrNull,
  /** athle: league index, the released column `Type` (see categories "league") */
  league: intOrNull,
});
export type PersonRow = z.infer<typeof PersonRow>;
export const PERSON_COLUMNS = Object.keys(PersonRow.shape) as Array<keyof PersonRow>;

/** A facial attribute value: -1 (absent) or 1 (present), as CelebA codes them; null = unknown. */
const FaceValue = z.union([z.literal(-1), z.literal(1)]).nullable();
export const FaceAttributesRow = z.object({
  person_id: z.string().min(1),
  ...Object.fromEntries(FACIAL_ATTRIBUTES.map((a) => [faceColumn(a), FaceValue])) as Record<Lowercase<FacialAttribute>, typeof FaceValue>,
});
export type FaceAttributesRow = z.infer<typeof FaceAttributesRow>;
export const FACE_COLUMNS = FACIAL_ATTRIBUTES.map(faceColumn);

/**
 * A trait score as an LLM returned it: 0 = "insufficient information", 1..3 on the L3 protocols and
 * 1..5 on the L5 ones; null = the reply had no usable score for that trait.
 */
export const LlmScore = z.number().int().min(0).max(5).nullable();

/** One LLM's assessment of one person under one prompt protocol (one repeat of the query). */
export const TraitAssessmentRow = z.object({
  person_id: z.string().min(1),
  llm: z.string().min(1),
  protocol: z.string().min(1),
  repeat: z.number().int().min(0),
  description_o: z.string().nullable(), description_c: z.string().nullable(), description_e: z.string().nullable(),
  description_a: z.string().nullable(), description_n: z.string().nullable(),
  score_o: LlmScore, score_c: LlmScore, score_e: LlmScore, score_a: LlmScore, score_n: LlmScore,
  raw_reply: z.string().nullable(),
  created_at: z.date().nullable(),
});
export type TraitAssessmentRow = z.infer<typeof TraitAssessmentRow>;
export const ASSESSMENT_COLUMNS = Object.keys(TraitAssessmentRow.shape) as Array<keyof TraitAssessmentRow>;

/** Aggregated trait scores per person (median of the valid LLM scores, see aggregate.ts); null = none valid. */
export const FinalScoresRow = z.object({
  person_id: z.string().min(1),
  final_o: finiteOrNull, final_c: finiteOrNull, final_e: finiteOrNull, final_a: finiteOrNull, final_n: finiteOrNull,
});
export type FinalScoresRow = z.infer<typeof FinalScoresRow>;
export const FINAL_COLUMNS = TRAITS.map((t) => `final_${t}` as const);

/** One embedding vector: the `measurement`-th face image or description of a person, by `model`. */
export const EmbeddingRow = z.object({
  person_id: z.string().min(1),
  kind: EmbeddingKind,
  measurement: z.number().int().min(0),
  model: z.string().min(1),
  vector: z.instanceof(Float32Array).refine((v) => v.length > 0, "an embedding needs at least one value"),
});
export type EmbeddingRow = z.infer<typeof EmbeddingRow>;

/** A dictionary entry of a categorical variable. */
export const CategoryRow = z.object({ variable: z.string().min(1), code: z.number().int(), label: z.string() });
export type CategoryRow = z.infer<typeof CategoryRow>;

/** What was computed, when, with which parameters and seed (provenance for the dataset card). */
export const RunInput = z.object({
  what: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  seed: z.number().int().nullable().default(null),
  startedAt: z.date().optional(),
  finishedAt: z.date().optional(),
});
export type RunInput = z.input<typeof RunInput>;
export interface RunRecord { id: number; what: string; started_at: Date; finished_at: Date | null; params: Record<string, unknown>; seed: number | null }

/** Bumped when a table changes incompatibly; openStore refuses stores written by a newer version. */
export const SCHEMA_VERSION = 1;

const faceDdl = FACE_COLUMNS.map((c) => `  ${c} TINYINT CHECK (${c} IN (-1, 1))`).join(",\n");
const traitDdl = (prefix: string, type: string, check?: (c: string) => string) =>
  TRAITS.map((t) => `  ${prefix}${t} ${type}${check ? ` CHECK (${check(prefix + t)})` : ""}`).join(",\n");

/**
 * The key of each person table. Only the small `categories` and `meta` tables carry a PRIMARY KEY: DuckDB
 * keeps the index of rows inserted in an open transaction in memory, outside its memory limit, and for a
 * 1,000,000-person import these indexes would dominate the import's memory (with them it failed under a
 * 512 MB limit). The keys are unique all the same: the write helpers replace or reject by key and the
 * importer checks every key before committing.
 */
export const TABLE_KEYS = {
  persons: ["id"],
  face_attributes: ["person_id"],
  trait_assessments: ["person_id", "llm", "protocol", "repeat"],
  trait_finals: ["person_id"],
  embeddings: ["person_id", "kind", "measurement", "model"],
} as const;

/** The DDL, in creation order. Idempotent (IF NOT EXISTS), so opening an existing store is safe. */
export const SCHEMA_DDL: string[] = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS persons (
  id VARCHAR NOT NULL,
  flavour VARCHAR NOT NULL CHECK (flavour IN ('celeb', 'athle')),
  birth_year INTEGER,
  birth_month INTEGER CHECK (birth_month BETWEEN 1 AND 12),
  birth_day INTEGER CHECK (birth_day BETWEEN 1 AND 31),
  latitude DOUBLE CHECK (latitude BETWEEN -90 AND 90),
  longitude DOUBLE CHECK (longitude BETWEEN -180 AND 180),
  height_cm DOUBLE,
  weight_kg DOUBLE,
  occupation INTEGER,
  gender INTEGER,
  league INTEGER
)`,
  `CREATE TABLE IF NOT EXISTS categories (
  variable VARCHAR NOT NULL,
  code INTEGER NOT NULL,
  label VARCHAR NOT NULL,
  PRIMARY KEY (variable, code)
)`,
  `CREATE TABLE IF NOT EXISTS face_attributes (
  person_id VARCHAR NOT NULL,
${faceDdl}
)`,
  `CREATE TABLE IF NOT EXISTS trait_assessments (
  person_id VARCHAR NOT NULL,
  llm VARCHAR NOT NULL,
  protocol VARCHAR NOT NULL,
  "repeat" INTEGER NOT NULL,
${traitDdl("description_", "VARCHAR")},
${traitDdl("score_", "TINYINT", (c) => `${c} BETWEEN 0 AND 5`)},
  raw_reply VARCHAR,
  created_at TIMESTAMP
)`,
  `CREATE TABLE IF NOT EXISTS trait_finals (
  person_id VARCHAR NOT NULL,
${traitDdl("final_", "DOUBLE")}
)`,
  `CREATE TABLE IF NOT EXISTS embeddings (
  person_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('face', 'text')),
  measurement INTEGER NOT NULL CHECK (measurement >= 0),
  model VARCHAR NOT NULL,
  vector FLOAT[] NOT NULL
)`,
  `CREATE SEQUENCE IF NOT EXISTS runs_id START 1`,
  `CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY DEFAULT nextval('runs_id'),
  what VARCHAR NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  params VARCHAR NOT NULL,
  seed BIGINT
)`,
];

/** The PersonaX tables, in the order an export or `store info` lists them. */
export const PERSONAX_TABLES = ["persons", "categories", "face_attributes", "trait_assessments", "trait_finals", "embeddings", "runs"] as const;
export type PersonaxTable = (typeof PERSONAX_TABLES)[number];
