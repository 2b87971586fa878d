/**
 * Dataset commands: `personax synth table`, `personax import`, `personax export`, `personax store info`.
 * Each parses its options, calls one library function from src/dataset or src/synth, and prints the result
 * (as JSON with --json).
 */
import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { parseOptions, seedOption, splitList } from "../options.ts";
import { writeLinkedStore } from "../../synth/linked-latents.ts";
import { ConfigError, UsageError } from "../../errors.ts";
import { openStore, type Store } from "../../dataset/store.ts";
import { importHf, type HfImportOptions } from "../../dataset/hf-import.ts";
import { formatMappingPlan } from "../../dataset/hf-mapping.ts";
import { IMPORT_FORMATS, importFile, readMappingFile } from "../../dataset/import.ts";
import { readJsonFile } from "../../dataset/json-file.ts";
import { exportCsv, exportHf, exportParquet, exportTable } from "../../dataset/export.ts";
import { formatStoreInfo, storeInfo } from "../../dataset/info.ts";
import { PERSONAX_TABLES, type CategoryRow } from "../../dataset/schema.ts";
import { synthPersonaTable } from "../../synth/persona-table.ts";
import { writeSynthTable } from "../../synth/write-synth-table.ts";

const flavourOption = z.enum(["celeb", "athle"]);

const SynthTableOptions = z.object({
  flavour: flavourOption,
  n: z.coerce.number().int().min(1).max(50_000_000),
  seed: seedOption,
  scale: z.enum(["llm", "continuous"]),
  missing: z.boolean(),
  embeddings: z.boolean(),
  out: z.string().regex(/\.(csv|parquet|duckdb)$/i, "must end in .csv, .parquet or .duckdb"),
  json: z.boolean(),
});

/** `personax synth …`: synthetic data with ground truth. */
export const synthCommand = (io: CliIo) => {
  const synth = new Command("synth").description("synthetic PersonaX-like data with known ground truth");
  synth.command("table")
    .description("a CelebPersona- or AthlePersona-like table with its dependency structure (truth JSON written beside it)")
    .requiredOption("--flavour <name>", "celeb or athle")
    .option("--n <rows>", "number of persons", "2000")
    .option("--seed <n>", "random seed", "0")
    .option("--scale <kind>", "llm (per-LLM 0..3 scores and median finals) or continuous (finals on 1..10)", "llm")
    .option("--no-missing", "no missing values (default: MCAR missing values as in the fixtures)")
    .option("--embeddings", "also 3 face + 3 text embeddings per person from a latent causal DAG (.parquet/.duckdb only)", false)
    .requiredOption("--out <file>", "x.csv, x.parquet or x.duckdb (x.truth.json is written beside it)")
    .option("--json", "print the result as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(SynthTableOptions, raw, "synth table");
      const table = synthPersonaTable({ flavour: opts.flavour, n: opts.n, seed: opts.seed, scale: opts.scale, missing: opts.missing });
      const bar = io.progress({ label: "writing", total: table.nRows, unit: "rows" });
      const result = await writeSynthTable(table, opts.out, { onProgress: bar.callback, embeddingSeed: opts.embeddings ? opts.seed + 1 : undefined });
      bar.finish();
      io.out(opts.json ? JSON.stringify(result, null, 2) : `wrote ${result.rows} ${opts.flavour} rows to ${result.file}\ntruth: ${result.truthFile}`);
    });
  synth.command("linked")
    .description("a CelebPersona-like store whose embedding latents set known columns (face latent → facial attribute, text latent → trait, shared → height), to score 'crl interpret'")
    .option("--n <rows>", "number of persons", "2000")
    .option("--seed <n>", "random seed", "0")
    .option("--latent-dims <face,text>", "face and text latent sizes", "10,5")
    .option("--shared <n>", "shared latent size", "3")
    .option("--dim <n>", "embedding length of every measurement", "1024")
    .requiredOption("--out <file>", "x.duckdb (x.truth.json with latent_links and x.latents.csv with the true latents are written beside it)")
    .option("--json", "print the result as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(SynthLinkedOptions, raw, "synth linked");
      const dims = splitList(opts.latentDims).map(Number);
      if (dims.length !== 2 || !dims.every((d) => Number.isInteger(d) && d >= 1)) throw new UsageError("personax synth linked: --latent-dims needs two positive integers", "e.g. --latent-dims 10,5");
      const result = await writeLinkedStore(opts.out, { n: opts.n, seed: opts.seed, latentDims: [dims[0]!, dims[1]!], sharedDim: opts.shared, dim: opts.dim });
      io.out(opts.json ? JSON.stringify(result, null, 2) : `wrote ${result.rows} linked celeb persons with embeddings to ${result.store}\ntruth: ${result.truthFile}\ntrue latents: ${result.latentsFile}`);
    });
  return synth;
};

const SynthLinkedOptions = z.object({
  n: z.coerce.number().int().min(20).max(1_000_000), seed: seedOption, latentDims: z.string(), shared: z.coerce.number().int().min(1).max(20),
  dim: z.coerce.number().int().min(2).max(8192), out: z.string().regex(/\.duckdb$/i, "must end in .duckdb"), json: z.boolean(),
});

const ImportOptions = z.object({
  store: z.string().min(1),
  file: z.string().min(1).optional(),
  hf: z.string().min(1).optional(),
  revision: z.string().min(1).optional(),
  split: z.string().min(1).optional(),
  unknown: z.enum(["refuse", "ignore"]),
  format: z.enum(IMPORT_FORMATS),
  mapping: z.string().optional(),
  categories: z.string().optional(),
  protocol: z.string().optional(),
  replace: z.boolean(),
  memoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, "a size such as 512MB or 2GB"),
  json: z.boolean(),
});

/** Reads category dictionaries: {"occupation": ["Actor", …]} or a synth truth JSON with a "categories" key. */
async function readCategoriesFile(path: string): Promise<CategoryRow[]> {
  const parsed = await readJsonFile(path, `write e.g. {"gender": ["female", "male"]}`);
  const dict = (parsed && typeof parsed === "object" && "categories" in parsed ? (parsed as { categories: unknown }).categories : parsed) as Record<string, unknown>;
  const Dict = z.record(z.string(), z.array(z.string()));
  const result = Dict.safeParse(dict);
  if (!result.success) throw new ConfigError(path, "categories must map a variable to its labels in code order", `write e.g. {"gender": ["female", "male"]}`);
  return Object.entries(result.data).flatMap(([variable, labels]) => labels.map((label, code) => ({ variable, code, label })));
}

export const importCommand = (io: CliIo) =>
  new Command("import")
    .description("import a persons table (CelebPersona/AthlePersona layout, HF export folder, or store columns) into a store, atomically")
    .requiredOption("--store <path>", "PersonaX store (.duckdb; created if missing)")
    .option("--file <path>", ".csv, .tsv, .json, .jsonl, .parquet, or a Hugging Face export folder")
    .option("--hf <owner/name>", "a dataset on the Hugging Face Hub (e.g. Persona-X/celebpersona), downloaded into the HF cache; honours HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_OFFLINE")
    .option("--revision <rev>", "with --hf: branch, tag or commit (default main)")
    .option("--split <name>", "with --hf: the split whose Parquet files are imported (default train, else all)")
    .option("--unknown <policy>", "with --hf: columns the layout does not know: refuse (list them and stop) or ignore", "refuse")
    .option("--format <name>", `one of: ${IMPORT_FORMATS.join(", ")}`, "auto")
    .option("--mapping <file>", `JSON mapping of the file's column names to layout names, e.g. {"Height_cm": "Height(cm)", "notes": null}`)
    .option("--categories <file>", `JSON dictionaries of the categorical codes, e.g. {"gender": ["female", "male"]} (a synth truth JSON works)`)
    .option("--protocol <id>", "prompt protocol of per-LLM score columns (default Number-L3-Inc)")
    .option("--replace", "overwrite persons whose id is already in the store", false)
    .option("--memory-limit <size>", "DuckDB memory limit; larger imports spill to <store>.tmp", "1GB")
    .option("--json", "print the result as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(ImportOptions, raw, "import");
      if ((opts.file === undefined) === (opts.hf === undefined)) throw new UsageError("personax import: give exactly one of --file and --hf", "see 'personax import --help'");
      if (!opts.hf && (opts.revision || opts.split)) throw new UsageError("personax import: --revision and --split go with --hf", "add --hf OWNER/NAME or drop them");
      const mapping = opts.mapping ? await readMappingFile(opts.mapping) : undefined;
      const categories = opts.categories ? await readCategoriesFile(opts.categories) : undefined;
      const store = await openStore(opts.store, { memoryLimit: opts.memoryLimit });
      if (opts.hf) {
        try {
          await importFromHub(io, store, opts.hf, { ...opts, mapping, mappingFile: opts.mapping, categories });
        } finally {
          store.close();
        }
        return;
      }
      const bar = io.progress({ label: "import", total: 4 });
      try {
        const result = await importFile(store, opts.file!, {
          format: opts.format, mapping, mappingFile: opts.mapping, categories, protocol: opts.protocol, replace: opts.replace, onProgress: bar.callback,
        });
        bar.finish();
        io.out(opts.json ? JSON.stringify(result, null, 2)
          : `imported ${result.persons} ${result.flavours.join("+")} persons from ${result.file} (${result.format} layout): ` +
            `${result.faceAttributes} face rows, ${result.assessments} assessments, ${result.finals} finals, ${result.embeddings} embeddings`);
      } finally {
        store.close();
      }
    });

/** `import --hf`: download with a byte progress bar, print the schema and mapping, import. */
async function importFromHub(io: CliIo, store: Store, repo: string,
  opts: Omit<HfImportOptions, "onPlan" | "onDownload" | "onProgress"> & { json: boolean }): Promise<void> {
  const download = io.progress({ label: "download", total: 0, unit: "MB" });
  const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
  const bar = io.progress({ label: "import", total: 4 });
  let planText = "";
  try {
    const result = await importHf(store, repo, {
      ...opts,
      onDownload: (done, total, note) => download.update(mb(done), mb(total), note),
      onPlan: (plan) => {
        download.finish();
        planText = formatMappingPlan(plan);
        if (!opts.json) io.out(planText);
      },
      onProgress: bar.callback,
    });
    bar.finish();
    io.out(opts.json ? JSON.stringify(result, null, 2)
      : `imported ${result.persons} ${result.flavours.join("+")} persons from ${result.source} (commit ${result.commit.slice(0, 12)}, ` +
        `${result.offline ? "offline from the cache" : `${(result.downloadedBytes / 1e6).toFixed(1)} MB downloaded${result.resumed ? `, ${result.resumed} resumed` : ""}`}): ` +
        `${result.faceAttributes} face rows, ${result.assessments} assessments, ${result.finals} finals, ${result.embeddings} embeddings`);
  } catch (error) {
    if (opts.json && planText) io.err(planText);
    throw error;
  }
}

const ExportOptions = z.object({
  store: z.string().min(1),
  hf: z.string().optional(),
  csv: z.string().optional(),
  parquet: z.string().optional(),
  table: z.enum(PERSONAX_TABLES).optional(),
  to: z.string().optional(),
  flavour: flavourOption.optional(),
  rowsPerShard: z.coerce.number().int().min(1).optional(),
  json: z.boolean(),
});

export const exportCommand = (io: CliIo) =>
  new Command("export")
    .description("export a store: Hugging Face layout, released-layout CSV or Parquet, or one table")
    .requiredOption("--store <path>", "PersonaX store (.duckdb)")
    .option("--hf <dir>", "write DIR/data/train-*.parquet and DIR/README.md (dataset card)")
    .option("--csv <file>", "write the released wide layout as CSV (no embeddings)")
    .option("--parquet <file>", "write the wide layout (with embeddings) as one Parquet file")
    .option("--table <name>", `export one table (${PERSONAX_TABLES.join(", ")}) to --to FILE (.csv, .json, .parquet)`)
    .option("--to <file>", "output file of --table")
    .option("--flavour <name>", "celeb or athle (needed when the store holds both)")
    .option("--rows-per-shard <n>", "rows per Parquet shard of --hf (default 100000)")
    .option("--json", "print the result as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(ExportOptions, raw, "export");
      const targets = [opts.hf, opts.csv, opts.parquet, opts.table].filter((t) => t !== undefined);
      if (targets.length !== 1) throw new UsageError("personax export: give exactly one of --hf, --csv, --parquet, --table", "see 'personax export --help'");
      if (opts.table && !opts.to) throw new UsageError("personax export --table needs --to FILE", "e.g. --table persons --to persons.parquet");
      const store = await openStore(opts.store, { readOnly: true });
      try {
        let result: object, summary: string;
        if (opts.hf) {
          const bar = io.progress({ label: "export", total: 1, unit: "shards" });
          const r = await exportHf(store, opts.hf, { flavour: opts.flavour, rowsPerShard: opts.rowsPerShard, onProgress: bar.callback });
          bar.finish();
          result = r; summary = `wrote ${r.rows} ${r.flavour} rows in ${r.files.length} shard(s) and ${r.card}`;
          if ((r.privacy.embeddings && !r.privacy.embeddingsTransformed) || r.privacy.freeText) {
            io.err(`warning: not ready for publication (${[r.privacy.embeddings && !r.privacy.embeddingsTransformed ? "embeddings not obfuscated" : "",
              r.privacy.freeText ? "free text present" : ""].filter(Boolean).join(", ")}); publish an export of 'personax embed release --store ${opts.store} --out … --key …' instead`);
          }
        } else if (opts.csv) {
          const r = await exportCsv(store, opts.csv, { flavour: opts.flavour });
          result = r; summary = `wrote ${r.rows} ${r.flavour} rows to ${r.file}`;
        } else if (opts.parquet) {
          const r = await exportParquet(store, opts.parquet, { flavour: opts.flavour });
          result = r; summary = `wrote ${r.rows} ${r.flavour} rows to ${r.file}`;
        } else {
          const r = await exportTable(store, opts.table!, opts.to!);
          result = r; summary = `wrote ${r.rows} rows of ${opts.table} to ${r.file}`;
        }
        io.out(opts.json ? JSON.stringify(result, null, 2) : summary);
      } finally {
        store.close();
      }
    });

export const storeCommand = (io: CliIo) => {
  const store = new Command("store").description("inspect a PersonaX store");
  store.command("info")
    .description("tables, datasets, LLMs, embeddings and runs of a store")
    .argument("<path>", "PersonaX store (.duckdb)")
    .option("--json", "print as JSON", false)
    .action(async (path: string, raw: { json: boolean }) => {
      const s = await openStore(path, { readOnly: true });
      try {
        const info = await storeInfo(s);
        io.out(raw.json ? JSON.stringify(info, null, 2) : formatStoreInfo(info));
      } finally {
        s.close();
      }
    });
  return store;
};
