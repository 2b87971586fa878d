/**
 * Demo section "dataset": generates the synthetic CelebPersona- and AthlePersona-like tables (with ground
 * truth and synthetic multimodal embeddings), imports them into ctx.dir/personax.duckdb, exports the
 * Hugging Face layout, re-imports that export into a second store and shows that every table round-trips.
 * Later sections find the paths in ctx.artifacts.get("dataset") (see DatasetArtifacts).
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { escapeHtml, htmlTable } from "../report/html.ts";
import type { DemoSection } from "./types.ts";
import { synthPersonaTable } from "../synth/persona-table.ts";
import { synthCategories, writeSynthTable } from "../synth/write-synth-table.ts";
import { synthPersonaEmbeddings } from "../synth/persona-embeddings.ts";
import { openStore } from "../dataset/store.ts";
import { importFile } from "../dataset/import.ts";
import { exportHf } from "../dataset/export.ts";
import { storeDigest } from "../dataset/digest.ts";
import type { Flavour } from "../dataset/schema.ts";

/** What the dataset section leaves for later sections. */
export interface DatasetArtifacts {
  /** The store with both synthetic datasets (persons, faces, LLM scores, finals, embeddings, runs). */
  storePath: string;
  celebCsv: string;
  athleCsv: string;
  celebTruth: string;
  athleTruth: string;
  /** Parent folder of the HF exports; one sub-folder per dataset (hfDirs). */
  hfDir: string;
  hfDirs: Record<Flavour, string>;
  /** Latent structure of the synthetic embeddings, per dataset. */
  embeddingTruth: Record<Flavour, { names: string[]; adjacency: number[][] }>;
}

export const datasetSection: DemoSection = {
  id: "dataset",
  title: "Dataset: synthetic PersonaX data, store and Hugging Face round trip",
  async run(ctx) {
    const sizes: Record<Flavour, number> = ctx.quick ? { celeb: 600, athle: 400 } : { celeb: 2000, athle: 2000 };
    const storePath = join(ctx.dir, "personax.duckdb");
    const roundTripPath = join(ctx.dir, "roundtrip.duckdb");
    for (const f of [storePath, roundTripPath]) await rm(f, { force: true });
    const hfDir = join(ctx.dir, "hf");
    const files: Record<Flavour, { csv: string; truth: string }> = {} as never;
    const embeddingTruth = {} as DatasetArtifacts["embeddingTruth"];
    const imported: Array<[string, number, number, number, number, number]> = [];
    const truthRows: Array<[string, string, string]> = [];

    const store = await openStore(storePath);
    try {
      for (const [k, flavour] of (["celeb", "athle"] as const).entries()) {
        const table = synthPersonaTable({ flavour, n: sizes[flavour], seed: ctx.seed + k, scale: "llm" });
        const out = await writeSynthTable(table, join(ctx.dir, `${flavour}.csv`));
        files[flavour] = { csv: out.file, truth: out.truthFile };
        const result = await importFile(store, out.file, { format: flavour, categories: synthCategories(table) });
        const ids = table.columns["id"] as string[];
        const embeddings = synthPersonaEmbeddings(ids, { seed: ctx.seed + 10 + k, sharedDim: flavour === "celeb" ? 3 : 2 });
        await store.writeEmbeddings(embeddings.rows);
        await store.recordRun({ what: "synth embeddings", seed: ctx.seed + 10 + k, params: { flavour, model: embeddings.truth.model, latents: embeddings.truth.names } });
        embeddingTruth[flavour] = { names: embeddings.truth.names, adjacency: embeddings.truth.adjacency };
        imported.push([flavour, result.persons, result.faceAttributes, result.assessments, result.finals, embeddings.rows.length]);
        truthRows.push([flavour, table.truth.direct_pairs.map(([a, b]) => `${a} ← ${b}`).join(", "),
          `${table.truth.dependent_pairs.length} dependent, ${table.truth.independent_pairs.length} independent pairs`]);
      }
      const hfDirs = { celeb: join(hfDir, "celebpersona"), athle: join(hfDir, "athlepersona") };
      const exports = [];
      for (const flavour of ["celeb", "athle"] as const) exports.push(await exportHf(store, hfDirs[flavour], { flavour, rowsPerShard: 1000 }));

      const copy = await openStore(roundTripPath);
      let digests;
      try {
        for (const flavour of ["celeb", "athle"] as const) await importFile(copy, hfDirs[flavour]);
        digests = { original: await storeDigest(store), copy: await storeDigest(copy) };
      } finally {
        copy.close();
      }
      const mismatched = digests.original.filter((d, i) => d.rows !== digests.copy[i]!.rows || d.hash !== digests.copy[i]!.hash);
      if (mismatched.length) throw new Error(`HF round trip changed table(s): ${mismatched.map((m) => m.table).join(", ")}`);

      const artifacts: DatasetArtifacts = {
        storePath, celebCsv: files.celeb.csv, athleCsv: files.athle.csv, celebTruth: files.celeb.truth, athleTruth: files.athle.truth,
        hfDir, hfDirs, embeddingTruth,
      };
      ctx.artifacts.set("dataset", artifacts);
      const rel = (p: string) => escapeHtml(p.startsWith(ctx.dir) ? "." + p.slice(ctx.dir.length) : p);
      return {
        id: "dataset",
        title: this.title,
        html: `<p>Two synthetic tables in the released CelebPersona / AthlePersona layouts, with per-LLM scores on the
real 0..3 scale (0 = insufficient information), finals = median of the non-zero scores, missing values, and a known
dependency structure (<code>*.truth.json</code>). Each person also has 3 face and 3 text embeddings generated from a
latent causal DAG (shared + modality latents, random MLP mixing).</p>` +
          htmlTable(["dataset", "persons", "face rows", "LLM assessments", "finals", "embeddings"], imported) +
          `<h3>Ground truth</h3>` + htmlTable(["dataset", "direct trait ← feature links", "pairs"], truthRows) +
          `<h3>Hugging Face export and round trip</h3><p>Exported to ${exports.map((e) => `<code>${rel(e.dir)}</code> (${e.files.length} shard(s), ${e.features.length} columns)`).join(" and ")},
then imported into a fresh store. Every table is identical (row count and a hash of every row):</p>` +
          htmlTable(["table", "rows (original)", "rows (re-imported)", "row hash", "identical"],
            digests.original.map((d, i) => [d.table, d.rows, digests.copy[i]!.rows, d.hash, d.hash === digests.copy[i]!.hash && d.rows === digests.copy[i]!.rows ? "yes" : "NO"])) +
          `<p>Files: <code>${rel(files.celeb.csv)}</code>, <code>${rel(files.athle.csv)}</code>, store <code>${rel(storePath)}</code>.</p>`,
      };
    } finally {
      store.close();
    }
  },
};
