/**
 * Synthetic PersonaX persons whose embeddings come from known latents AND some of whose observable columns
 * are set by those latents, so that an automated interpretation of learned latents can be scored:
 * a face latent sets a facial attribute, a text latent sets a Big Five trait (every LLM's score and the
 * final), a shared latent sets height. The other columns come from the PersonaX-like table generator
 * (src/synth/persona-table.ts) and do not depend on the latents: they are the decoys.
 *
 * Embeddings: the Level II generative model (src/synth/multimodal.ts): shared latents S*, face latents Z1*,
 * text latents Z2* in a sparse causal DAG, `measurements` face and text embeddings mixed by random LeakyReLU
 * MLPs. Latent → column mechanisms (latents are standardised):
 *   attribute  column = sign(z + 0.35 ε)                         (-1/1, as the CelebA attributes)
 *   trait      <llm>_t = 1 + [z + b_llm + 0.5 ε > -0.5] + [… > 0.5] (0 with probability 0.05), final_t = median
 *   continuous column = mean + sd · (0.9 z + 0.44 ε)
 */
import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import { Rng } from "../util/rng.ts";
import { UsageError } from "../errors.ts";
import { aggregateFinalScore } from "../dataset/aggregate.ts";
import { openStore } from "../dataset/store.ts";
import { TRAITS, type EmbeddingRow } from "../dataset/schema.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { generateMultimodal } from "./multimodal.ts";
import { synthPersonaTable, type SynthTable } from "./persona-table.ts";
import { truthPathFor, writeSynthTable } from "./write-synth-table.ts";
import type { ProgressCallback } from "../util/progress.ts";

export const LatentLink = z.object({
  /** A true latent name of the generator: S1…, Z11… (face), Z21… (text). */
  latent: z.string(),
  /** The observable column it sets (for a trait: final_<t>; the per-LLM <llm>_<t> columns move with it). */
  column: z.string(),
  kind: z.enum(["attribute", "trait", "continuous"]),
});
export type LatentLink = z.infer<typeof LatentLink>;

/** Default links for CelebPersona-like data: one shared, three face and two text latents drive columns. */
export const CELEB_LINKS: LatentLink[] = [
  { latent: "S1", column: "Height(cm)", kind: "continuous" },
  { latent: "Z11", column: "Big_Nose", kind: "attribute" },
  { latent: "Z12", column: "Double_Chin", kind: "attribute" },
  { latent: "Z13", column: "High_Cheekbones", kind: "attribute" },
  { latent: "Z21", column: "final_e", kind: "trait" },
  { latent: "Z22", column: "final_o", kind: "trait" },
];

export const LinkedPersonaOptions = z.object({
  n: z.number().int().min(20),
  seed: z.number().int().min(0),
  sharedDim: z.number().int().min(1).default(3),
  /** Face and text latent sizes. */
  latentDims: z.tuple([z.number().int().min(1), z.number().int().min(1)]).default([10, 5]),
  /** Embedding length (the release: 1024-d face embeddings). */
  dim: z.number().int().min(2).default(1024),
  measurements: z.number().int().min(1).default(3),
  /** Hidden width of the random mixing MLPs (smaller = faster generation; must cover the mixing input). */
  mixingHidden: z.number().int().min(2).default(64),
  links: z.array(LatentLink).default(CELEB_LINKS),
  /**
   * Redraw the latent DAG until it meets the structural-sparsity condition (multimodal.ts). Off by default:
   * the links are about naming, and with many face latents over few text latents the random draws rarely meet it.
   */
  structuralSparsity: z.boolean().default(false),
  model: z.string().default("synthetic-linked"),
});
export type LinkedPersonaOptions = z.input<typeof LinkedPersonaOptions>;

export interface LinkedPersonas {
  table: SynthTable;
  embeddings: EmbeddingRow[];
  truth: {
    names: string[];
    owner: number[];
    modalities: string[];
    adjacency: number[][];
    links: LatentLink[];
    /** Columns a trait link moves together (final_<t> and every <llm>_<t>), by linked column. */
    linkedColumns: Record<string, string[]>;
    latents: Matrix;
  };
}

const LLM_BIAS = [0.1, -0.1, 0];
const CONTINUOUS: Record<string, [number, number]> = { "Height(cm)": [172, 9], "Weight(kg)": [70, 12], Latitude: [35, 15], Year: [1965, 15] };

export function synthLinkedPersonas(input: LinkedPersonaOptions): LinkedPersonas {
  const o = LinkedPersonaOptions.parse(input);
  const rng = new Rng(o.seed);
  const table = synthPersonaTable({ flavour: "celeb", n: o.n, seed: o.seed, missing: false });
  const data = generateMultimodal({
    nSamples: o.n, sharedDim: o.sharedDim, noiseDim: 1, structuralSparsity: o.structuralSparsity, mixingHidden: Math.max(o.mixingHidden, o.sharedDim + Math.max(...o.latentDims) + 1),
    modalities: [{ name: "face", latentDim: o.latentDims[0], measurements: o.measurements, obsDim: o.dim },
      { name: "text", latentDim: o.latentDims[1], measurements: o.measurements, obsDim: o.dim }],
  }, rng.fork(1));
  const { latents, names } = data.truth;
  const linkRng = rng.fork(2);
  const linkedColumns: Record<string, string[]> = {};
  const llms = table.truth.llms ?? [];
  for (const link of o.links) {
    const j = names.indexOf(link.latent);
    if (j < 0) throw new UsageError(`latent link: no latent "${link.latent}"`, `use one of ${names.join(", ")}`);
    const zOf = (i: number) => latents.data[i * latents.cols + j]!;
    if (link.kind === "trait") {
      const t = /^final_([oceanOCEAN])$/.exec(link.column)?.[1]?.toLowerCase();
      if (!t || !TRAITS.includes(t as never)) throw new UsageError(`latent link: trait column "${link.column}" is not final_<o|c|e|a|n>`);
      const perLlm = llms.map((llm) => `${llm}_${t}`);
      for (let i = 0; i < o.n; i++) {
        const scores = perLlm.map((c, k) => {
          const s = zOf(i) + LLM_BIAS[k % LLM_BIAS.length]! + 0.5 * linkRng.normal();
          const score = linkRng.uniform() < 0.05 ? 0 : 1 + (s > -0.5 ? 1 : 0) + (s > 0.5 ? 1 : 0);
          (table.columns[c] as Float64Array)[i] = score;
          return score;
        });
        (table.columns[link.column] as Float64Array)[i] = aggregateFinalScore(scores);
      }
      linkedColumns[link.column] = [link.column, ...perLlm];
      continue;
    }
    const column = table.columns[link.column];
    if (!(column instanceof Float64Array)) throw new UsageError(`latent link: no numeric column "${link.column}" in the table`, `use one of ${table.names.join(", ")}`);
    const [mean, sd] = CONTINUOUS[link.column] ?? [0, 1];
    for (let i = 0; i < o.n; i++) {
      const e = linkRng.normal();
      column[i] = link.kind === "attribute" ? (zOf(i) + 0.35 * e > 0 ? 1 : -1) : Math.round((mean + sd * (0.9 * zOf(i) + 0.44 * e)) * 10) / 10;
    }
    linkedColumns[link.column] = [link.column];
  }
  Object.assign(table.truth, { latent_links: o.links, linked_columns: linkedColumns });

  const ids = table.columns["id"] as string[];
  const kinds = ["face", "text"] as const;
  const embeddings: EmbeddingRow[] = [];
  data.observations.forEach((perMeasurement, m) => perMeasurement.forEach((x, k) => {
    for (let i = 0; i < o.n; i++) {
      embeddings.push({ person_id: ids[i]!, kind: kinds[m]!, measurement: k, model: o.model, vector: Float32Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)) });
    }
  }));
  return {
    table, embeddings,
    truth: { names, owner: data.truth.owner, modalities: data.modalityNames, adjacency: data.truth.adjacency, links: o.links, linkedColumns, latents },
  };
}

export interface LinkedStoreOutput {
  store: string;
  truthFile: string;
  /** id + one column per true latent: the `--truth` of `personax crl eval` and `crl interpret`. */
  latentsFile: string;
  rows: number;
}

/**
 * Writes the persons and their embeddings into a store (`out`, .duckdb), the truth JSON beside it (with
 * `latent_links` and `linked_columns`) and the true latents as `<out>.latents.csv`.
 */
export async function writeLinkedStore(out: string, input: LinkedPersonaOptions, onProgress?: ProgressCallback): Promise<LinkedStoreOutput> {
  if (!out.toLowerCase().endsWith(".duckdb")) throw new UsageError(`cannot write ${out}`, "write the linked personas to a .duckdb store");
  const linked = synthLinkedPersonas(input);
  const written = await writeSynthTable(linked.table, out, { onProgress });
  const store = await openStore(out);
  try {
    await store.transaction(async () => {
      await store.writeEmbeddings(linked.embeddings);
      await store.recordRun({ what: "synth linked embeddings", seed: input.seed, params: { links: linked.truth.links, latents: linked.truth.names } });
    });
  } finally {
    store.close();
  }
  const truthFile = truthPathFor(out);
  const { latents, names } = linked.truth;
  const ids = linked.table.columns["id"] as string[];
  const lines = [["id", ...names].join(",")];
  for (let i = 0; i < latents.rows; i++) lines.push([ids[i], ...Array.from(latents.data.subarray(i * latents.cols, (i + 1) * latents.cols), String)].join(","));
  const latentsFile = out.replace(/\.duckdb$/i, ".latents.csv");
  await writeFile(latentsFile, lines.join("\n") + "\n");
  const truth = JSON.parse(await readFile(truthFile, "utf8")) as Record<string, unknown>;
  truth["embedding_latents"] = { names, owner: linked.truth.owner, modalities: linked.truth.modalities, adjacency: linked.truth.adjacency, model: input.model ?? "synthetic-linked" };
  await writeFile(truthFile, JSON.stringify(truth, null, 1) + "\n");
  return { store: written.file, truthFile, latentsFile, rows: written.rows };
}
