import type { Store } from "../dataset/store.ts";
import type { EmbeddingRow } from "../dataset/schema.ts";
import { ComputeError, UsageError } from "../errors.ts";
import { Rng } from "../util/rng.ts";
import { DEFAULT_PROTOCOL, TRAIT_NAMES, TRAITS } from "../traits/protocols.ts";
import type { LlmProvider } from "../traits/providers/types.ts";
import { withRetries } from "../traits/runner.ts";
import { fitTfidfSvd, transformTfidfSvd } from "./tfidf-svd.ts";
import type { ProgressCallback } from "../util/progress.ts";

/**
 * Text embeddings of the LLM descriptions (DESIGN §1.1: one per LLM per person, so 3 measurements for
 * three LLMs). A person's description by one LLM is its five trait descriptions joined. Measurement k
 * is the k-th LLM in name order; the mapping is recorded in the run's parameters.
 */
export interface TextDoc { personId: string; llm: string; text: string }

export async function descriptionDocs(store: Store, protocol: string = DEFAULT_PROTOCOL): Promise<TextDoc[]> {
  const rows = (await store.readTraitAssessments({ protocol })).filter((r) => r.repeat === 0);
  return rows
    .map((r) => ({ personId: r.person_id, llm: r.llm, text: TRAITS.map((t) => r[`description_${t}`] ? `${TRAIT_NAMES[t]}: ${r[`description_${t}`]}` : "").filter(Boolean).join("\n") }))
    .filter((d) => d.text.length > 0);
}

export interface TextEmbedSummary { written: number; llms: string[]; model: string; dim: number; seconds: number }

export interface TextEmbedOptions {
  protocol?: string;
  /** Offline TF-IDF + truncated SVD (default) … */
  dim?: number;
  seed?: number;
  /** … or a provider's embedding endpoint. */
  provider?: { provider: LlmProvider; model: string; batchSize?: number; maxRetries?: number };
  /** Texts embedded so far (per provider batch; once at the end for TF-IDF). */
  onProgress?: ProgressCallback;
}

export async function embedTextsIntoStore(store: Store, options: TextEmbedOptions = {}): Promise<TextEmbedSummary> {
  const started = performance.now();
  const docs = await descriptionDocs(store, options.protocol);
  if (!docs.length) throw new UsageError(`no LLM descriptions under protocol ${options.protocol ?? DEFAULT_PROTOCOL} in ${store.path}`, "run 'personax traits infer' first");
  const llms = [...new Set(docs.map((d) => d.llm))].sort();
  let vectors: Array<Float32Array<ArrayBuffer>>;
  let model: string;
  if (options.provider) {
    const { provider, batchSize = 64, maxRetries = 6 } = options.provider;
    if (!provider.embed) throw new UsageError(`provider ${provider.name} has no embedding endpoint`);
    vectors = [];
    const rng = new Rng(options.seed ?? 0);
    for (let i = 0; i < docs.length; i += batchSize) {
      const batch = docs.slice(i, i + batchSize).map((d) => d.text);
      const result = await withRetries(() => provider.embed!(batch), maxRetries, 1000, 60_000, rng, (ms) => new Promise((r) => setTimeout(r, ms)), () => undefined);
      // A short or ragged answer would shift every later vector onto the wrong person.
      const bad = result.vectors.length !== batch.length ? `${result.vectors.length} vectors for ${batch.length} texts`
        : result.vectors.findIndex((v) => v.length === 0 || v.length !== result.vectors[0]!.length) >= 0 ? "vectors of differing or zero length" : undefined;
      if (bad) {
        throw new ComputeError(`${provider.name}'s embedding endpoint returned ${bad} (texts ${i + 1}..${i + batch.length} of ${docs.length})`,
          "check the embeddingModel in the LLM config, or use the offline TF-IDF embedding (omit --config/--model)");
      }
      vectors.push(...result.vectors.map((v) => Float32Array.from(v)));
      options.onProgress?.(vectors.length, docs.length, "texts embedded");
    }
    model = `${provider.name}:${options.provider.model}`;
  } else {
    const fitted = fitTfidfSvd(docs.map((d) => d.text), new Rng(options.seed ?? 0), { dim: options.dim ?? 64 });
    vectors = transformTfidfSvd(fitted, docs.map((d) => d.text));
    model = `tfidf-svd-${fitted.dim}`;
    options.onProgress?.(docs.length, docs.length, "texts embedded");
  }
  const rows: EmbeddingRow[] = docs.map((d, i) => ({ person_id: d.personId, kind: "text", measurement: llms.indexOf(d.llm), model, vector: vectors[i]! }));
  await store.writeEmbeddings(rows);
  await store.recordRun({ what: "embed text", seed: options.seed ?? 0,
    params: { model, protocol: options.protocol ?? DEFAULT_PROTOCOL, measurementOfLlm: Object.fromEntries(llms.map((l, i) => [l, i])), documents: docs.length } });
  return { written: rows.length, llms, model, dim: vectors[0]?.length ?? 0, seconds: (performance.now() - started) / 1000 };
}
