import { join } from "node:path";
import { escapeHtml, htmlTable } from "../report/html.ts";
import type { DemoSection } from "./types.ts";
import type { TraitAssessmentRow } from "../dataset/schema.ts";
import { openStore } from "../dataset/store.ts";
import { Rng } from "../util/rng.ts";
import { computeAgreement, writeAgreement } from "../traits/agreement.ts";
import { apiKeyFor, loadLlmConfig } from "../traits/config.ts";
import { inferTraits } from "../traits/runner.ts";
import { TRAIT_NAMES, TRAITS, type PersonPrompt } from "../traits/protocols.ts";
import { fitTfidfSvd, transformTfidfSvd } from "../embed/tfidf-svd.ts";
import { newPrivacyKey, OrthogonalTransform } from "../embed/privacy.ts";
import { FACE_PACKAGES, FaceEmbedder, humanAssetsDir } from "../embed/face.ts";
import { missingPackages } from "../util/optional-package.ts";
import { cropImage, decodeImage } from "../embed/image.ts";

/** The environment variable naming an LLM config file; the demo calls real LLMs only when it is set and every key is present. */
export const DEMO_LLM_CONFIG_ENV = "PERSONAX_LLM_CONFIG";

const LLMS = ["gpt", "gemini", "llama"];
const WORDS: Record<string, [string, string, string]> = {
  o: ["conventional routine", "practical open", "curious inventive"], c: ["spontaneous careless", "reliable steady", "disciplined meticulous"],
  e: ["reserved quiet", "sociable measured", "outgoing energetic"], a: ["blunt competitive", "fair cooperative", "warm generous"],
  n: ["calm composed", "occasionally tense", "anxious volatile"],
};

/**
 * Synthetic per-LLM assessments with known structure: each person has a latent level per trait; each
 * LLM reports it with its own noise, sometimes "insufficient information" (0); three repeats; and a
 * second protocol on a 5-level scale. Descriptions use level-specific words so text embeddings carry signal.
 */
function syntheticAssessments(n: number, rng: Rng): TraitAssessmentRow[] {
  const rows: TraitAssessmentRow[] = [];
  for (let p = 0; p < n; p++) {
    const latent = TRAITS.map(() => rng.uniform());
    for (const [l, llm] of LLMS.entries()) {
      for (const [protocol, levels, repeats] of [["Number-L3-Inc", 3, 3], ["Number-L5-Inc", 5, 1]] as const) {
        for (let repeat = 0; repeat < repeats; repeat++) {
          const row: Record<string, unknown> = { person_id: `demo-${p}`, llm, protocol, repeat, raw_reply: null, created_at: null };
          TRAITS.forEach((t, i) => {
            const noisy = latent[i]! + rng.normal() * (0.12 + 0.04 * l);
            const level = Math.min(levels, Math.max(1, 1 + Math.floor(noisy * levels)));
            const zero = rng.uniform() < 0.05;
            row[`score_${t}`] = zero ? 0 : level;
            const band = Math.min(2, Math.floor(((level - 1) / (levels - 1)) * 2.999));
            row[`description_${t}`] = zero ? "little public information" : `${WORDS[t]![band]} in public appearances`;
          });
          rows.push(row as TraitAssessmentRow);
        }
      }
    }
  }
  return rows;
}

export const traitsSection: DemoSection = {
  id: "traits",
  title: "LLM trait inference, agreement, embeddings and privacy transform",
  async run(ctx) {
    const parts: string[] = [];
    // 1. Live inference, only with a configured provider.
    const configPath = process.env[DEMO_LLM_CONFIG_ENV];
    if (!configPath) {
      parts.push(`<p><b>Live LLM inference is off.</b> To enable it, write an LLM config (<code>personax traits example-config &gt; llm.json</code>),
export the API keys it names (e.g. <code>OPENAI_API_KEY</code>, <code>GEMINI_API_KEY</code>, <code>OPENROUTER_API_KEY</code>) and set
<code>${DEMO_LLM_CONFIG_ENV}=llm.json</code>. The demo then asks each model about three invented persons (cached in
<code>traits-demo.duckdb</code>, so a rerun costs nothing). Without keys, everything below runs on synthetic scores.</p>`);
    } else {
      const config = await loadLlmConfig(configPath);
      const missing = config.models.filter((m) => !apiKeyFor(m)).map((m) => m.apiKeyEnv);
      if (missing.length) {
        parts.push(`<p><b>Live LLM inference is off:</b> ${escapeHtml(configPath)} names ${escapeHtml(missing.join(", "))}, which ${missing.length > 1 ? "are" : "is"} not set. Export the key(s) to enable it.</p>`);
      } else {
        const persons: PersonPrompt[] = [
          { id: "demo-a", name: "Avery Lindqvist", flavour: "celebrity", context: "a fictional stage actor invented for this demo" },
          { id: "demo-b", name: "Jordan Okafor", flavour: "athlete", context: "NBA (a fictional player invented for this demo)" },
          { id: "demo-c", name: "Robin Castillo", flavour: "celebrity", context: "a fictional novelist invented for this demo" },
        ];
        const store = await openStore(join(ctx.dir, "traits-demo.duckdb"));
        try {
          const summary = await inferTraits({ config, configFile: configPath, persons, connection: store.connection, seed: ctx.seed, onEvent: (m) => ctx.io.err(m) });
          parts.push(`<p>Live inference with ${config.models.length} model(s): ${summary.ok}/${summary.tasks} assessments, ${summary.newCalls} new calls, $${summary.costUsd.toFixed(4)}.</p>`);
          if (summary.failures.length) parts.push(htmlTable(["model", "person", "status", "message"], summary.failures.map((f) => [f.llm, f.personId, f.status, f.message])));
        } finally { store.close(); }
      }
    }

    // 2. Agreement and consistency on synthetic per-LLM scores.
    const rng = new Rng(ctx.seed);
    const rows = syntheticAssessments(ctx.quick ? 120 : 600, rng.fork(1));
    const agreementStarted = new Date();
    const report = computeAgreement(rows);
    const agreementDir = join(ctx.dir, "traits", "agreement");
    await writeAgreement(report, agreementDir, { params: { store: "synthetic assessments (demo)", protocol: report.protocol, persons: report.persons }, started: agreementStarted });
    parts.push(`<p>Agreement and consistency of three synthetic LLMs on ${report.persons} persons (three repeats, two protocols)
are in the next section, drawn from the folder <code>personax traits agreement --out</code> writes. Per LLM, mean SD over repeats:</p>`,
      htmlTable(["LLM", ...TRAITS.map((t) => `SD over repeats, ${t.toUpperCase()}`)], LLMS.map((l) => [l, ...TRAITS.map((t) => report.repeatSd.find((r) => r.llm === l && r.trait === t)?.meanSd ?? NaN)]), 3));

    // 3. Offline text embeddings of the descriptions, then the release's orthogonal transform.
    const docs = rows.filter((r) => r.protocol === "Number-L3-Inc" && r.repeat === 0)
      .map((r) => ({ person: r.person_id, text: TRAITS.map((t) => `${TRAIT_NAMES[t]}: ${r[`description_${t}`]}`).join(". ") }));
    const dim = 16;
    const model = fitTfidfSvd(docs.map((d) => d.text), rng.fork(2), { dim });
    const vectors = transformTfidfSvd(model, docs.map((d) => d.text));
    const cos = (a: Float32Array, b: Float32Array) => { let s = 0, na = 0, nb = 0; for (let i = 0; i < a.length; i++) { s += a[i]! * b[i]!; na += a[i]! ** 2; nb += b[i]! ** 2; } return s / Math.sqrt(na * nb || 1); };
    let same = 0, sameN = 0, other = 0, otherN = 0;
    for (let i = 0; i < docs.length; i++) {
      for (let j = i + 1; j < Math.min(docs.length, i + 12); j++) {
        if (docs[i]!.person === docs[j]!.person) { same += cos(vectors[i]!, vectors[j]!); sameN++; } else { other += cos(vectors[i]!, vectors[j]!); otherN++; }
      }
    }
    const key = newPrivacyKey({ text: dim }, { text: ctx.seed });
    const transform = OrthogonalTransform.fromKey(key, "text");
    const released = vectors.map((v) => transform.apply(v));
    let maxDistanceChange = 0, maxInverseError = 0, meanCoordinateChange = 0;
    for (let i = 0; i < Math.min(200, vectors.length); i++) {
      const j = (i + 1) % vectors.length;
      const d0 = Math.hypot(...vectors[i]!.map((v, k) => v - vectors[j]![k]!)), d1 = Math.hypot(...released[i]!.map((v, k) => v - released[j]![k]!));
      maxDistanceChange = Math.max(maxDistanceChange, Math.abs(d0 - d1));
      const back = transform.invert(released[i]!);
      maxInverseError = Math.max(maxInverseError, ...back.map((v, k) => Math.abs(v - vectors[i]![k]!)));
      meanCoordinateChange += Math.hypot(...released[i]!.map((v, k) => v - vectors[i]![k]!)) / Math.min(200, vectors.length);
    }
    parts.push(`<h3>Text embeddings (offline TF-IDF + truncated SVD) and the privacy transform</h3>`,
      htmlTable(["quantity", "value"], [
        ["descriptions embedded", docs.length], ["vocabulary", model.vocabulary.length], ["dimensions", dim],
        ["mean cosine, same person (different LLMs)", sameN ? same / sameN : NaN], ["mean cosine, different persons", otherN ? other / otherN : NaN],
        ["max |distance change| after the orthogonal transform", maxDistanceChange], ["mean coordinate change per vector", meanCoordinateChange],
        ["max |inverse − original| with the key", maxInverseError],
      ], 4),
      `<p>The release applies one secret random orthogonal matrix per embedding kind: distances and inner products are unchanged, the coordinates are not those of the embedding model, and only the key holder can map vectors back. Names, descriptions and raw replies are removed (<code>personax embed release</code>).</p>`);
    // 4. Face embeddings on the sample photos shipped with @vladmandic/human (offline, tfjs WASM).
    // They are optional peer dependencies (src/util/optional-package.ts): an install without them skips this part.
    const missingFace = missingPackages(FACE_PACKAGES);
    if (missingFace.length) {
      parts.push(`<h3>Face embeddings</h3>`, `<p>Skipped: the optional packages ${missingFace.join(", ")} are not installed (<code>npm install ${FACE_PACKAGES.join(" ")}</code>).</p>`);
    } else {
      const started = performance.now();
      const embedder = await FaceEmbedder.create();
      const sheet = await decodeImage(join(humanAssetsDir(), "samples.jpg"));
      const crops = [["person A, tight crop", 178, 0, 101, 96, 30], ["person A, wide crop", 178, 0, 101, 96, 60], ["person B, tight crop", 414, 13, 74, 73, 30]] as const;
      const faces: Float32Array[] = [];
      for (const [, x, y, w, h, m] of crops) faces.push((await embedder.embedImage(cropImage(sheet, x - m, y - m, w + 2 * m, h + 2 * m))).embedding);
      parts.push(`<h3>Face embeddings (@vladmandic/human, 1024-d, offline)</h3>`,
        htmlTable(["", ...crops.map((c) => c[0])], crops.map((c, i) => [c[0], ...faces.map((f) => cos(faces[i]!, f))]), 3),
        `<p>Cosine similarity of the embeddings of three crops of the package's sample contact sheet (${((performance.now() - started) / 1000).toFixed(1)} s including model loading): the same face stays close across crops, different people are far apart. <code>personax embed faces</code> uses the largest face of each photo; several photos of a person become measurements 0, 1, 2, ….</p>`);
    }
    ctx.artifacts.set("traits", { agreement: report });
    return { id: "traits", title: "LLM trait inference, agreement, embeddings and privacy transform", html: parts.join("\n"), runs: [agreementDir] };
  },
};
