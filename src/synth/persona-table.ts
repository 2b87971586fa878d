/**
 * Synthetic PersonaX-like tables with a known dependency structure (the ground truth for Level I and PC).
 *
 * celeb: mirrors the fixture generator described in test/fixtures/README.md and
 *   test/fixtures/data/celeb_n1500_s0.truth.json (fixtures_build.make_celeb): gender, occupation, birth date,
 *   regional birthplace, height/weight by gender, 10 CelebA attributes coded -1/1 (some depending on gender,
 *   year or weight), latent trait levels L_o..L_n, three LLMs scoring 0..3 with ~5 % zeros ("insufficient
 *   information") and finals = median of the non-zero scores; MCAR missing values.
 * athle: mirrors make_data.py --kind persona (test/fixtures/data/athle_*.truth.json): league (`Type`), birth
 *   date, nationality region → latitude/longitude, height and weight by league, finals on 1..10.
 *
 * scale "llm" gives the real release's scale (per-LLM 0..3 columns + finals in {1, 1.5, …, 3});
 * "continuous" gives finals on 1..10 with one decimal and no per-LLM columns.
 * Everything random comes from one seeded Rng, so (flavour, n, seed, scale, missing) fixes the table.
 */
import { z } from "zod";
import { Rng } from "../util/rng.ts";
import { aggregateFinalScore } from "../dataset/aggregate.ts";
import { FACIAL_ATTRIBUTES, TRAITS, type Flavour } from "../dataset/schema.ts";
import type { Table } from "../dataset/read-table.ts";

export const SynthTableOptions = z.object({
  flavour: z.enum(["celeb", "athle"]),
  n: z.number().int().min(1).max(50_000_000),
  seed: z.number().int().min(0),
  scale: z.enum(["llm", "continuous"]).default("llm"),
  /** MCAR missing values at the rates of the fixtures (default true). */
  missing: z.boolean().default(true),
});
export type SynthTableOptions = z.input<typeof SynthTableOptions>;

export interface PersonaTruth {
  kind: Flavour;
  generator: string;
  seed: number;
  n: number;
  scale: "llm" | "continuous";
  missing: boolean;
  /** Trait columns (rows of a trait × feature matrix). */
  rows: string[];
  /** Feature columns (columns of the matrix). */
  cols: string[];
  discrete_cols: string[];
  /** Edges of the generating DAG, latent nodes included (trait latents are named like their final_* column). */
  dag_edges: Array<[string, string]>;
  latent: string[];
  /** direct_matrix[r][c] = 1 when feature c is a parent of trait r. */
  direct_matrix: number[][];
  /** dependent_matrix[r][c] = 1 when trait r and feature c are d-connected given the empty set. */
  dependent_matrix: number[][];
  direct_pairs: Array<[string, string]>;
  dependent_pairs: Array<[string, string]>;
  independent_pairs: Array<[string, string]>;
  links: Record<string, string>;
  llms?: string[];
  nan_rates_mcar: Record<string, number>;
  /** Dictionaries of the categorical columns: variable → label by code. */
  categories: Record<string, string[]>;
  columns: string[];
}

export interface SynthTable extends Table {
  truth: PersonaTruth;
}

export const OCCUPATIONS = ["Actor", "Singer", "Model", "Athlete", "Politician", "Writer", "Director", "Comedian", "TV_host", "Musician",
  "Producer", "Businessperson", "Dancer", "Scientist", "Other"];
const OCCUPATION_P = [0.24, 0.12, 0.08, 0.08, 0.05, 0.05, 0.05, 0.05, 0.06, 0.06, 0.04, 0.04, 0.03, 0.02, 0.03];
const OCCUPATION_EFFECT = [0.5, 0.6, 0.0, -0.8, -0.6, 1.0, 0.7, 0.3, -0.2, 0.9, 0.1, -0.7, 0.4, 0.8, -0.3];
/** The seven AthlePersona leagues (DESIGN §1.1). */
export const LEAGUES = ["NBA", "NFL", "NHL", "ATP", "PGA", "Premier League", "Bundesliga"];
const LEAGUE_P = [0.2, 0.3, 0.15, 0.08, 0.07, 0.11, 0.09];
const LEAGUE_HEIGHT: Array<[number, number]> = [[200, 8], [188, 6], [185, 5], [186, 6], [180, 5], [181, 6], [183, 6]];
const LEAGUE_BMI = [24.5, 30, 26.5, 23, 25, 23, 23.5];
const LEAGUE_EFFECT_C = [0.0, 0.9, -0.6, 0.4, -0.9, 0.7, -0.3];
/** Birthplace clusters (centre latitude, longitude; spread). */
const REGIONS: Array<{ name: string; lat: number; lon: number; sdLat: number; sdLon: number; p: number }> = [
  { name: "NorthAmerica", lat: 40, lon: -95, sdLat: 7, sdLon: 15, p: 0.45 },
  { name: "Europe", lat: 49, lon: 10, sdLat: 6, sdLon: 12, p: 0.25 },
  { name: "LatinAmerica", lat: -12, lon: -60, sdLat: 12, sdLon: 10, p: 0.12 },
  { name: "Africa", lat: 5, lon: 20, sdLat: 10, sdLon: 12, p: 0.08 },
  { name: "AsiaOceania", lat: 25, lon: 115, sdLat: 14, sdLon: 20, p: 0.1 },
];
const LLMS = ["gpt", "gemini", "llama"];
const LLM_BIAS: Record<string, number> = { gpt: 0, gemini: 0.15, llama: -0.1 };
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Generates a PersonaX-like table and its ground truth. */
export function synthPersonaTable(input: SynthTableOptions): SynthTable {
  const options = SynthTableOptions.parse(input);
  const rng = new Rng(options.seed);
  return options.flavour === "celeb" ? makeCeleb(options, rng) : makeAthle(options, rng);
}

function categorical(rng: Rng, p: number[]): number {
  let u = rng.uniform(), k = 0;
  for (; k < p.length - 1; k++) { u -= p[k]!; if (u < 0) return k; }
  return k;
}
const bernoulli = (rng: Rng, p: number) => (rng.uniform() < p ? 1 : 0);
const round = (x: number, digits = 0) => { const f = 10 ** digits; return Math.round(x * f) / f; };
const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const pm1 = (bit: number) => (bit ? 1 : -1);

function birthplace(rng: Rng, region: number): [number, number] {
  const r = REGIONS[region]!;
  const lat = clip(r.lat + r.sdLat * rng.normal(), -89.9999, 89.9999);
  let lon = r.lon + r.sdLon * rng.normal();
  lon = ((lon + 180) % 360 + 360) % 360 - 180;
  return [round(lat, 4), round(lon, 4)];
}

/** Scores a latent trait level the way the fixture's LLMs do: 1 + [s > -0.5] + [s > 0.5], 0 with prob 0.05. */
function llmScore(rng: Rng, level: number, llm: string): number {
  const s = level + LLM_BIAS[llm]! + 0.6 * rng.normal();
  const score = 1 + (s > -0.5 ? 1 : 0) + (s > 0.5 ? 1 : 0);
  return rng.uniform() < 0.05 ? 0 : score;
}

function ids(flavour: Flavour, n: number): string[] {
  const width = Math.max(6, String(n).length);
  return Array.from({ length: n }, (_, i) => `${flavour}-${String(i + 1).padStart(width, "0")}`);
}

function makeCeleb(o: z.output<typeof SynthTableOptions>, rng: Rng): SynthTable {
  const n = o.n;
  const features = ["Height(cm)", "Weight(kg)", "Year", "Month", "Day", "Latitude", "Longitude", "Occupation_idx", "Gender_idx", ...FACIAL_ATTRIBUTES];
  const col: Record<string, Float64Array> = Object.fromEntries(features.map((f) => [f, new Float64Array(n)]));
  const levels = TRAITS.map(() => new Float64Array(n));
  const rootP: Record<string, number> = { Pointy_Nose: 0.28, Bushy_Eyebrows: 0.15, Big_Lips: 0.25, Oval_Face: 0.28, Narrow_Eyes: 0.12, High_Cheekbones: 0.45 };
  for (let i = 0; i < n; i++) {
    const g = bernoulli(rng, 0.5);
    const occupation = categorical(rng, OCCUPATION_P);
    const year = 1930 + rng.int(75);
    const month = 1 + rng.int(12);
    const day = 1 + rng.int(DAYS_IN_MONTH[month - 1]!);
    const [lat, lon] = birthplace(rng, categorical(rng, REGIONS.map((r) => r.p)));
    const height = Math.round(165 + 13 * g + 6.5 * rng.normal());
    const bmi = 21.5 + 2.5 * g + 2.5 * rng.normal();
    const weight = Math.round(bmi * (height / 100) ** 2);
    const attr: Record<string, number> = {
      Arched_Eyebrows: bernoulli(rng, g ? 0.06 : 0.45),
      Big_Nose: bernoulli(rng, g ? 0.42 : 0.14),
      Receding_Hairline: bernoulli(rng, clip(0.03 + 0.12 * g + 0.005 * (1975 - year), 0.01, 0.7)),
      Double_Chin: bernoulli(rng, 1 / (1 + Math.exp(-(weight - 88) / 6))),
    };
    for (const [name, p] of Object.entries(rootP)) attr[name] = bernoulli(rng, p);
    const values: Record<string, number> = { "Height(cm)": height, "Weight(kg)": weight, Year: year, Month: month, Day: day, Latitude: lat, Longitude: lon, Occupation_idx: occupation, Gender_idx: g };
    for (const a of FACIAL_ATTRIBUTES) values[a] = pm1(attr[a]!);
    for (const f of features) col[f]![i] = values[f]!;
    levels[0]![i] = OCCUPATION_EFFECT[occupation]! + rng.normal();
    levels[1]![i] = rng.normal();
    levels[2]![i] = 0.7 * (g === 0 ? 1 : 0) + 0.8 * attr["High_Cheekbones"]! - 0.7 + rng.normal();
    levels[3]![i] = rng.normal();
    levels[4]![i] = 0.12 * Math.abs(height - 171) + 0.6 * attr["Big_Lips"]! - 0.95 + rng.normal();
  }
  const traitCols = scoreTraits(o, rng, levels, (level) => round(clip(5.5 + 1.5 * level, 1, 10), 1));
  const nan: Record<string, number> = { "Height(cm)": 0.12, "Weight(kg)": 0.18, Year: 0.04, "Month+Day": 0.09, "Latitude+Longitude": 0.07, Occupation_idx: 0.02 };
  if (o.missing) applyMissing(rng, col, nan, n);
  const edges: Array<[string, string]> = [
    ["Region", "Latitude"], ["Region", "Longitude"], ["Month", "Day"], ["Gender_idx", "Height(cm)"], ["Gender_idx", "Weight(kg)"], ["Height(cm)", "Weight(kg)"],
    ["Gender_idx", "Arched_Eyebrows"], ["Gender_idx", "Big_Nose"], ["Gender_idx", "Receding_Hairline"], ["Year", "Receding_Hairline"], ["Weight(kg)", "Double_Chin"],
    ["Occupation_idx", "final_o"], ["Gender_idx", "final_e"], ["High_Cheekbones", "final_e"], ["Height(cm)", "final_n"], ["Big_Lips", "final_n"],
  ];
  const links = {
    final_o: `L_o = effect[Occupation_idx] + N(0,1), effect=${JSON.stringify(OCCUPATION_EFFECT)}`,
    final_c: "L_c = N(0,1)   [independent of every feature]",
    final_e: "L_e = 0.7*[Gender_idx==0] + 0.8*[High_Cheekbones==1] - 0.7 + N(0,1)",
    final_a: "L_a = N(0,1)   [independent of every feature]",
    final_n: "L_n = 0.12*|Height - 171| + 0.6*[Big_Lips==1] - 0.95 + N(0,1)   [U-shaped in Height]",
  };
  const discrete = ["Year", "Month", "Day", "Occupation_idx", "Gender_idx", ...FACIAL_ATTRIBUTES];
  const names = ["id", ...features, ...traitCols.names];
  const columns: Record<string, Float64Array | string[]> = { id: ids("celeb", n), ...col, ...traitCols.columns };
  const truth = buildTruth(o, features, discrete, edges, ["Region", "trait levels L_o..L_n"], links, nan, { occupation: OCCUPATIONS, gender: ["female", "male"] }, names);
  return { names, columns, nRows: n, truth };
}

function makeAthle(o: z.output<typeof SynthTableOptions>, rng: Rng): SynthTable {
  const n = o.n;
  const features = ["Birthyear", "Birthmonth", "Birthday", "Type", "Latitude", "Longitude", "Height", "Weight"];
  const col: Record<string, Float64Array> = Object.fromEntries(features.map((f) => [f, new Float64Array(n)]));
  const continuous = TRAITS.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const league = categorical(rng, LEAGUE_P);
    const year = 1955 + rng.int(50);
    const month = 1 + rng.int(12);
    const day = 1 + rng.int(DAYS_IN_MONTH[month - 1]!);
    const [lat, lon] = birthplace(rng, categorical(rng, REGIONS.map((r) => r.p)));
    const [mh, sh] = LEAGUE_HEIGHT[league]!;
    const height = Math.round(mh + sh * rng.normal());
    const weight = Math.round((LEAGUE_BMI[league]! + 1.5 * rng.normal()) * (height / 100) ** 2);
    const values: Record<string, number> = { Birthyear: year, Birthmonth: month, Birthday: day, Type: league, Latitude: lat, Longitude: lon, Height: height, Weight: weight };
    for (const f of features) col[f]![i] = values[f]!;
    // As make_data.py --kind persona: traits on 1..10 before rounding.
    continuous[0]![i] = 6.0 + 1.3 * Math.tanh((year - 1985) / 8) + rng.normal();
    continuous[1]![i] = 6.5 + LEAGUE_EFFECT_C[league]! + rng.normal();
    continuous[2]![i] = 6.0 + 1.2 * Math.cos((Math.PI * lat) / 30) + rng.normal();
    continuous[3]![i] = 6.5 + 1.1 * rng.normal();
    continuous[4]![i] = 4.0 + ((height - 186) / 9) ** 2 + rng.normal();
  }
  // On the LLM scale the latent level is the 1..10 value centred and scaled to the fixture's cut points.
  const levels = continuous.map((c, t) => c.map((v) => (v - [6, 6.5, 6, 6.5, 5][t]!) / 1.2));
  const traitCols = scoreTraits(o, rng, levels, (_level, t, i) => round(clip(continuous[t]![i]!, 1, 10), 1));
  const nan: Record<string, number> = { Birthyear: 0.01, "Birthmonth+Birthday": 0.03, "Latitude+Longitude": 0.04, Height: 0.05, Weight: 0.07 };
  if (o.missing) {
    applyMissing(rng, col, nan, n);
    if (o.scale === "continuous") {
      for (const t of TRAITS) { const c = traitCols.columns[`final_${t}`]!; for (let i = 0; i < n; i++) if (rng.uniform() < 0.01) c[i] = NaN; }
      nan["each trait"] = 0.01;
    }
  }
  const edges: Array<[string, string]> = [
    ["Region", "Latitude"], ["Region", "Longitude"], ["Type", "Height"], ["Type", "Weight"], ["Height", "Weight"], ["Birthmonth", "Birthday"],
    ["Birthyear", "final_o"], ["Type", "final_c"], ["Latitude", "final_e"], ["Height", "final_n"],
  ];
  const links = {
    final_o: "6.0 + 1.3*tanh((Birthyear-1985)/8) + N(0,1)   [monotone]",
    final_c: `6.5 + effect[Type] + N(0,1), effect=${JSON.stringify(LEAGUE_EFFECT_C)}   [categorical, non-monotone in code]`,
    final_e: "6.0 + 1.2*cos(pi*Latitude/30) + N(0,1)   [non-monotone]",
    final_a: "6.5 + N(0,1.1)   [independent of everything]",
    final_n: "4.0 + ((Height-186)/9)^2 + N(0,1)   [U-shaped]",
  };
  const names = ["id", ...traitCols.names.filter((c) => c.startsWith("final_")), ...features, ...traitCols.names.filter((c) => !c.startsWith("final_"))];
  const columns: Record<string, Float64Array | string[]> = { id: ids("athle", n), ...col, ...traitCols.columns };
  const truth = buildTruth(o, features, ["Birthyear", "Birthmonth", "Birthday", "Type"], edges, ["Region"], links, nan, { league: LEAGUES }, names);
  return { names, columns, nRows: n, truth };
}

/** Trait columns from latent levels: per-LLM scores + aggregated finals ("llm"), or finals only ("continuous"). */
function scoreTraits(o: z.output<typeof SynthTableOptions>, rng: Rng, levels: Float64Array[], continuous: (level: number, trait: number, row: number) => number) {
  const n = o.n;
  const names: string[] = [];
  const columns: Record<string, Float64Array> = {};
  if (o.scale === "llm") {
    for (const llm of LLMS) for (const t of TRAITS) { names.push(`${llm}_${t}`); columns[`${llm}_${t}`] = new Float64Array(n); }
    for (let i = 0; i < n; i++) {
      for (const [k, t] of TRAITS.entries()) for (const llm of LLMS) columns[`${llm}_${t}`]![i] = llmScore(rng, levels[k]![i]!, llm);
    }
  }
  for (const [k, t] of TRAITS.entries()) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      c[i] = o.scale === "llm" ? aggregateFinalScore(LLMS.map((llm) => columns[`${llm}_${t}`]![i]!)) : continuous(levels[k]![i]!, k, i);
    }
    names.push(`final_${t}`);
    columns[`final_${t}`] = c;
  }
  return { names, columns };
}

/** MCAR missing values; "A+B" blanks both columns together. */
function applyMissing(rng: Rng, col: Record<string, Float64Array>, rates: Record<string, number>, n: number): void {
  for (const [key, rate] of Object.entries(rates)) {
    const targets = key.split("+").map((k) => col[k]!);
    for (let i = 0; i < n; i++) if (rng.uniform() < rate) for (const c of targets) c[i] = NaN;
  }
}

/** Builds the truth JSON: direct parents and d-connection (common ancestor) from the DAG edges. */
function buildTruth(o: z.output<typeof SynthTableOptions>, features: string[], discrete: string[], edges: Array<[string, string]>,
  latent: string[], links: Record<string, string>, nan: Record<string, number>, categories: Record<string, string[]>, columns: string[]): PersonaTruth {
  const rows = TRAITS.map((t) => `final_${t}`);
  const parents = new Map<string, string[]>();
  for (const [a, b] of edges) parents.set(b, [...(parents.get(b) ?? []), a]);
  const ancestors = (node: string): Set<string> => {
    const seen = new Set<string>([node]);
    const stack = [node];
    while (stack.length) for (const p of parents.get(stack.pop()!) ?? []) if (!seen.has(p)) { seen.add(p); stack.push(p); }
    return seen;
  };
  const direct = rows.map((r) => features.map((f) => ((parents.get(r) ?? []).includes(f) ? 1 : 0)));
  // Given the empty set, X and Y are d-connected iff they share an ancestor (a node counts as its own).
  const dependent = rows.map((r) => { const ar = ancestors(r); return features.map((f) => ([...ancestors(f)].some((a) => ar.has(a)) ? 1 : 0)); });
  const pairs = (m: number[][], v: number) => rows.flatMap((r, i) => features.filter((_, j) => m[i]![j] === v).map((f) => [r, f] as [string, string]));
  return {
    kind: o.flavour, generator: "personax synthPersonaTable (src/synth/persona-table.ts)", seed: o.seed, n: o.n, scale: o.scale, missing: o.missing,
    rows, cols: features, discrete_cols: discrete, dag_edges: edges, latent,
    direct_matrix: direct, dependent_matrix: dependent,
    direct_pairs: pairs(direct, 1), dependent_pairs: pairs(dependent, 1), independent_pairs: pairs(dependent, 0),
    links, ...(o.scale === "llm" ? { llms: LLMS } : {}),
    nan_rates_mcar: o.missing ? nan : {}, categories, columns,
  };
}
