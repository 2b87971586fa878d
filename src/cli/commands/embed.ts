import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.ts";
import { parseOptions, seedOption } from "../options.ts";
import { openStore } from "../../dataset/store.ts";
import { UsageError } from "../../errors.ts";
import { embedFacesIntoStore, readImageList } from "../../embed/face-store.ts";
import { embedTextsIntoStore } from "../../embed/text-store.ts";
import { prepareRelease } from "../../embed/release.ts";
import { loadLlmConfig } from "../../traits/config.ts";
import { createProvider } from "../../traits/providers/index.ts";
import { DEFAULT_PROTOCOL } from "../../traits/protocols.ts";
import { writeRunSummary } from "../../report/manifest.ts";

/** `personax embed faces|text|release`: embeddings into the store, and the privacy-preserving release copy. */
export const embedCommand = (io: CliIo) => {
  const embed = new Command("embed").description("face and text embeddings; the obfuscated release copy of a store");

  embed.command("faces")
    .description("1024-d face embeddings (@vladmandic/human, offline); several images per person = measurements")
    .requiredOption("--store <path>", "PersonaX store (.duckdb)")
    .requiredOption("--images <dir|csv>", "a folder with one sub-folder per person id, or a CSV with columns id,image")
    .option("--out <dir>", "also write summary.json and a run manifest here (for 'personax report')")
    .option("--json", "print the summary as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(z.object({ store: z.string(), images: z.string(), out: z.string().optional(), json: z.boolean() }), raw, "embed faces");
      const started = new Date();
      const images = await readImageList(opts.images);
      const store = await openStore(opts.store, { create: false });
      try {
        const bar = io.progress({ label: "faces", total: images.length, unit: "images" });
        const summary = await embedFacesIntoStore(store, images, { onProgress: bar.callback });
        bar.finish();
        if (opts.out) await writeRunSummary(opts.out, summary, { kind: "embed", command: "personax embed faces", params: { store: opts.store, images: opts.images, kind: "face" }, started });
        if (opts.json) io.out(JSON.stringify(summary, null, 2));
        else {
          io.out(`${summary.written} face embeddings (${summary.model}) for ${summary.persons} persons; ${summary.failures.length} image(s) skipped`);
          for (const f of summary.failures) io.out(`  skipped ${f.path}: ${f.message}`);
        }
      } finally { store.close(); }
    });

  embed.command("text")
    .description("embed each LLM's description of each person: offline TF-IDF + truncated SVD (default) or a provider's embedding model")
    .requiredOption("--store <path>", "PersonaX store (.duckdb)")
    .option("--dim <d>", "TF-IDF/SVD dimensions", "64")
    .option("--seed <n>", "seed of the randomized SVD", "0")
    .option("--protocol <id>", "protocol whose descriptions are embedded", DEFAULT_PROTOCOL)
    .option("--config <file>", "LLM config (with --model): use that provider's embedding endpoint")
    .option("--model <name>", "model name in the config whose embeddingModel is used")
    .option("--out <dir>", "also write summary.json and a run manifest here (for 'personax report')")
    .option("--json", "print the summary as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(z.object({ store: z.string(), dim: z.coerce.number().int().min(1).max(4096), seed: seedOption, protocol: z.string(),
        config: z.string().optional(), model: z.string().optional(), out: z.string().optional(), json: z.boolean() }), raw, "embed text");
      const started = new Date();
      let provider;
      if (opts.model || opts.config) {
        if (!opts.model || !opts.config) throw new UsageError("--config and --model go together", "e.g. --config llm.json --model gpt");
        const config = await loadLlmConfig(opts.config);
        const model = config.models.find((m) => m.name === opts.model);
        if (!model?.embeddingModel) throw new UsageError(`model "${opts.model}" in ${opts.config} has no embeddingModel`, "add e.g. \"embeddingModel\": \"text-embedding-3-small\"");
        provider = { provider: createProvider(model, process.env, opts.config), model: model.embeddingModel };
      }
      const store = await openStore(opts.store, { create: false });
      try {
        const bar = io.progress({ label: "text embeddings", total: 0, unit: "texts" });
        const summary = await embedTextsIntoStore(store, { dim: opts.dim, seed: opts.seed, protocol: opts.protocol, provider, onProgress: bar.callback });
        bar.finish();
        if (opts.out) {
          await writeRunSummary(opts.out, summary, { kind: "embed", command: "personax embed text", seed: opts.seed, started,
            params: { store: opts.store, kind: "text", dim: opts.dim, protocol: opts.protocol, model: opts.model ?? null } });
        }
        io.out(opts.json ? JSON.stringify(summary, null, 2)
          : `${summary.written} text embeddings (${summary.model}, ${summary.dim}-d); measurement k = LLM ${summary.llms.map((l, i) => `${i}:${l}`).join(", ")}`);
      } finally { store.close(); }
    });

  embed.command("release")
    .description("copy a store for publication: embeddings through a secret random orthogonal transform, names and free text removed")
    .requiredOption("--store <path>", "source PersonaX store (not modified)")
    .requiredOption("--out <path>", "release store to create; then 'personax export --store OUT --hf DIR'")
    .requiredOption("--key <file>", "privacy key file (created if missing; keep it OUT of the release)")
    .option("--release-dir <dir>", "the folder to be published (the key may not be inside it)")
    .option("--include-raw", "keep descriptions, raw replies and URLs (NOT for public release)", false)
    .option("--json", "print the summary as JSON", false)
    .action(async (raw) => {
      const opts = parseOptions(z.object({ store: z.string(), out: z.string(), key: z.string(), releaseDir: z.string().optional(), includeRaw: z.boolean(), json: z.boolean() }), raw, "embed release");
      const summary = await prepareRelease({ source: opts.store, out: opts.out, keyFile: opts.key, releaseDir: opts.releaseDir, includeRaw: opts.includeRaw });
      io.out(opts.json ? JSON.stringify(summary, null, 2)
        : `release store ${summary.out}: ${Object.entries(summary.transformed).map(([k, n]) => `${n} ${k} embeddings transformed`).join(", ") || "no embeddings"}; ` +
          `${summary.textRemoved ? "free text removed" : "free text KEPT (--include-raw)"}; key ${summary.keyCreated ? "created" : "reused"} at ${summary.keyFile}`);
    });

  return embed;
};
