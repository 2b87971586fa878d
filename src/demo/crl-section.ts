/**
 * Demo section "crl" (Level II): trains the CRL model on a synthetic multimodal case with ground truth
 * (src/synth/crl-cases.ts) and shows the training curves, MCC/R² and the learned latent graph beside the
 * true one. When the dataset section left a store, it also runs the real-data shape path on the store's
 * synthetic face/text embeddings (`personax crl train` with a crl.json: latents written back, PC on the
 * evaluation split's latents with no edge into the shared latents).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { escapeHtml, htmlTable, pngImage, svgFigure } from "../report/html.ts";
import { lossChartSvg, metricChartSvg, saveCurves } from "../crl/curves.ts";
import { latentGraphSvg } from "../report/latent-graph.ts";
import { runSyntheticCase } from "../crl/synthetic-run.ts";
import { CrlRunConfig, runCrlFromConfig } from "../crl/run-config.ts";
import type { DemoSection } from "./types.ts";

interface DatasetArtifactsLike {
  storePath: string;
  embeddingTruth?: Record<string, { names: string[]; adjacency: number[][] }>;
}

export const crlSection: DemoSection = {
  id: "crl",
  title: "Level II: causal representation learning on multimodal data",
  async run(ctx) {
    const dir = join(ctx.dir, "crl");
    const nSamples = ctx.quick ? 1500 : 10_000; // full mode: the benchmark's size (~10 s on 2 cores)
    const epochs = ctx.quick ? 8 : 40;
    const run = await runSyntheticCase({
      caseId: "a",
      seed: ctx.seed,
      nSamples,
      train: { epochs, evalEvery: Math.max(1, Math.floor(epochs / 8)), ...(ctx.quick ? { batchSize: 128, klWarmupEpochs: 3 } : {}) },
      callbacks: { onProgress: (done, total) => { if (done === total || done % 10 === 0) ctx.io.err(`  crl: epoch ${done}/${total}`); } },
    });
    await saveCurves(dir, run.training);
    const graphSpec = { names: run.trueNames, owner: run.trueOwner, modalityNames: run.modalityNames };
    const trueSvg = await latentGraphSvg({ ...graphSpec, adjacency: run.trueAdjacency, title: "true latent DAG" });
    const learnedSvg = await latentGraphSvg({ ...graphSpec, adjacency: run.training.alignedAdjacency!, title: "learned (A above threshold, matched to the truth)" });
    await writeFile(join(dir, "graph-true.svg"), trueSvg);
    await writeFile(join(dir, "graph-learned-aligned.svg"), learnedSvg);
    const metricSvg = metricChartSvg(run.training)!;
    const matched = run.training.final;

    let storeHtml = "";
    const dataset = ctx.artifacts.get("dataset") as DatasetArtifactsLike | undefined;
    if (dataset?.storePath) {
      const config = CrlRunConfig.parse({
        data: {
          store: dataset.storePath,
          flavour: "celeb",
          modalities: [{ name: "face", kind: "face", latentDim: 2 }, { name: "text", kind: "text", latentDim: 2 }],
        },
        model: { sharedDim: 3, hidden: [32, 16] },
        train: { epochs: ctx.quick ? 3 : 15, batchSize: 128, evalEvery: ctx.quick ? 3 : 5, seed: ctx.seed },
        pc: { test: "fisherz", alpha: 0.05 },
        out: join(dir, "store-run"),
      });
      const summary = await runCrlFromConfig(config, { log: (line) => ctx.io.err(`  crl: ${line}`) });
      const truth = dataset.embeddingTruth?.["celeb"];
      const pcPng = join(summary.outDir, "pc-graph.png");
      storeHtml = `<h3>Real-data shape path: the store's face × 3 and text × 3 embeddings</h3>
<p>${escapeHtml(summary.source)}; ${summary.rows} persons; latents ${escapeHtml(summary.latentNames.join(", "))} written back to the store
(table <code>crl_latents</code>, run ${summary.storeRunId}). PC (Fisher-z, α = 0.05) on the evaluation split's latents, with no edge into the shared latents:
${escapeHtml(summary.pc?.edges.join("; ") || "no edges")}.
${truth ? `The generator's true latents were ${escapeHtml(truth.names.join(", "))}; the learned latents are unnamed, so compare structure, not labels.` : ""}</p>
${pngImage(await readBytes(pcPng), "PC graph on the learned latents")}`;
    }

    return {
      id: "crl",
      title: this.title,
      html: `<p>Synthetic case a (2 modalities × 15-d observations, 2 latents + 1 noise each, random 3-layer LeakyReLU mixing, a sparse random
cross-modal latent DAG), ${nSamples} rows, seed ${ctx.seed}, default mode, ${run.epochs} epochs of mini-batch Adam
(${run.secondsPerEpoch.toFixed(2)} s per epoch). Scores on the 10 % evaluation split:</p>
${htmlTable(["metric", "value"], [
  ["MCC (Pearson, Hungarian matching)", matched.mcc ?? null],
  ["best MCC during training", run.bestMcc ?? null],
  ["R² kernel ridge, in-sample (as the paper)", matched.r2 ?? null],
  ["R² kernel ridge, held-out", matched.r2HeldOut ?? null],
  ["SHD learned vs true latent graph", matched.shd ?? null],
])}
<div class="grid">${svgFigure(lossChartSvg(run.training), "Training and validation loss")}${svgFigure(metricSvg, "MCC and R² during training")}</div>
<div class="grid">${svgFigure(trueSvg, "True latent DAG")}${svgFigure(learnedSvg, "Learned latent graph (learned latents matched to the true ones by MCC)")}</div>
<p class="note">Curves, plots and graphs are in <code>${escapeHtml(dir)}</code>. The benchmark over cases a–e, both modes and 5 seeds is
<code>npm run bench -- crl</code>.</p>
${storeHtml}`,
    };
  },
};

async function readBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}
