/**
 * Report section for a `personax crl train` folder: the final and best scores, the loss and each of its
 * components (reconstruction, prior NLL, sparsity; train and validation) so a loss that turns back up can be
 * explained, MCC/R² during training (ground truth only), and the latent graphs: the learned adjacency,
 * PC on the learned latents and, for synthetic data, the true graph beside the learned one in the truth's order.
 */
import type { CurvePoint } from "../../crl/train.ts";
import { metricChartSvg } from "../../crl/curves.ts";
import { escapeHtml, htmlTable, keyValueTable, svgFigure } from "../html.ts";
import { latentGraphSvg } from "../latent-graph.ts";
import { lineChartSvg, type LineSeries } from "../line-chart.ts";
import type { RunSection } from "./types.ts";

interface CurvesJson { evaluations: CurvePoint[]; epochs: Array<{ epoch: number; loss: number }>; best: CurvePoint | null; final: CurvePoint; secondsPerEpoch: number; stoppedEarly: boolean }
interface RunJson {
  summary: { source: string; rows: number; latentNames: string[]; epochs: number; secondsPerEpoch: number; pc?: { test: string; alpha: number; edges: string[]; rows: number } };
  learnedAdjacency: number[][];
  owner?: number[];
  modalityNames?: string[];
  truth?: { names: string[]; owner: number[]; adjacency: number[][]; alignedAdjacency: number[][] | null };
}
interface PcGraphJson { nodes: string[]; edges: Array<{ from: string; to: string; kind: string }> }

const positive = (values: number[]) => values.length > 0 && values.every((v) => v > 0);

/** One small chart per loss component: their scales differ by orders of magnitude. */
export function lossComponentCharts(curves: CurvesJson): string[] {
  const ev = curves.evaluations;
  const chart = (title: string, yLabel: string, series: LineSeries[]) =>
    lineChartSvg({ title, xLabel: "epoch", yLabel, width: 360, height: 280, logY: series.every((s) => positive(s.points.map((p) => p[1]))), series });
  const pts = (get: (p: CurvePoint) => number) => ev.map((p) => [p.epoch, get(p)] as [number, number]);
  return [
    chart("Total loss", "loss", [
      { name: "train (per epoch)", points: curves.epochs.map((e) => [e.epoch, e.loss]) },
      { name: "validation", points: pts((p) => p.valLoss) },
    ]),
    chart("Reconstruction", "MSE term", [{ name: "train", points: pts((p) => p.trainRecon) }, { name: "validation", points: pts((p) => p.valRecon) }]),
    chart("Prior NLL (flow)", "NLL term", [{ name: "train", points: pts((p) => p.trainNll) }, { name: "validation", points: pts((p) => p.valNll) }]),
    chart("Sparsity (L1 of A)", "L1 term", [{ name: "sparsity", points: pts((p) => p.sparsity) }]),
  ];
}

function pcAdjacency(pc: PcGraphJson, names: string[]): number[][] {
  const a = names.map(() => names.map(() => 0));
  for (const e of pc.edges) {
    const i = names.indexOf(e.from), j = names.indexOf(e.to);
    if (i < 0 || j < 0) continue;
    a[i]![j] = 1;
    if (e.kind !== "directed") a[j]![i] = 1;
  }
  return a;
}

export const crlTrainRunSection: RunSection = {
  kind: "crl-train",
  title: (run) => {
    const data = (run.manifest.params["data"] ?? {}) as { synthetic?: { case: string; seed: number }; store?: string };
    return `Level II CRL training: ${data.synthetic ? `synthetic case ${data.synthetic.case} (seed ${data.synthetic.seed})` : `store ${run.show(String(data.store ?? "?"))}`}`;
  },
  async render(run) {
    const curves = await run.readJson<CurvesJson>("curves.json");
    const record = await run.readJson<RunJson>("run.json");
    if (!curves || !record) return `<p class="bad">This folder lacks curves.json or run.json.</p>`;
    const s = record.summary;
    const parts: string[] = [];
    const f = curves.final, b = curves.best;
    parts.push(keyValueTable([
      ["data", s.source.replace(/\/\S+\.duckdb/g, (p) => run.show(p))],
      ["rows", s.rows],
      ["latents", s.latentNames.join(", ")],
      ["epochs", `${s.epochs}${curves.stoppedEarly ? " (stopped early)" : ""}, ${s.secondsPerEpoch.toFixed(3)} s per epoch`],
      ["final validation loss", f.valLoss],
      ...(f.mcc !== undefined ? [
        ["MCC (final / best)", `${f.mcc.toFixed(3)} / ${b?.mcc?.toFixed(3) ?? "—"}${b ? ` at epoch ${b.epoch}` : ""}`] as [string, string],
        ["R² in-sample / held-out", `${f.r2?.toFixed(3) ?? "—"} / ${f.r2HeldOut?.toFixed(3) ?? "—"}`] as [string, string],
        ...(f.shd !== undefined ? [["SHD learned vs true latent graph", f.shd] as [string, number]] : []),
      ] : []),
    ], 4));
    const charts = lossComponentCharts(curves).map((svg, i) => svgFigure(svg, ["Loss = reconstruction + KL coefficient × prior NLL + sparsity coefficient × L1 (log scale when positive)",
      "Reconstruction term", "Prior negative log-likelihood of the latents under the flow", "L1 of the cross-modal block of the adjacency A"][i]!));
    const metrics = metricChartSvg({ curve: curves.evaluations });
    if (metrics) charts.push(svgFigure(metrics, "Recovery of the true latents on the evaluation split (MCC, R²)"));
    parts.push(`<h3>Training curves</h3><div class="grid">${charts.join("")}</div>`);

    const graphs: string[] = [];
    if (record.owner && record.modalityNames) {
      const spec = { names: s.latentNames, owner: record.owner, modalityNames: record.modalityNames };
      if (record.truth) {
        const tspec = { names: record.truth.names, owner: record.truth.owner, modalityNames: record.modalityNames };
        graphs.push(svgFigure(await latentGraphSvg({ ...tspec, adjacency: record.truth.adjacency, title: "true latent DAG" }), "True latent graph of the synthetic data"));
        if (record.truth.alignedAdjacency) {
          graphs.push(svgFigure(await latentGraphSvg({ ...tspec, adjacency: record.truth.alignedAdjacency, title: "learned, matched to the truth" }),
            "Learned adjacency A, latents renamed to the true latents they match best (MCC matching)"));
        }
      } else {
        graphs.push(svgFigure(await latentGraphSvg({ ...spec, adjacency: record.learnedAdjacency, title: "learned adjacency A" }), "Learned adjacency A (entries above the threshold)"));
      }
      const pc = await run.readJson<PcGraphJson>("pc-graph.json");
      if (pc && s.pc) {
        graphs.push(svgFigure(await latentGraphSvg({ ...spec, adjacency: pcAdjacency(pc, s.latentNames), title: `PC (${s.pc.test}) on the learned latents` }),
          `PC (${s.pc.test}, α = ${s.pc.alpha}) on the evaluation split's ${s.pc.rows} rows, no edge into the shared latents`));
      }
    }
    if (graphs.length) parts.push(`<h3>Latent graphs</h3><div class="grid">${graphs.join("")}</div>`);
    if (s.pc) parts.push(`<p class="note">PC edges: ${escapeHtml(s.pc.edges.join("; ") || "none")}</p>`);
    parts.push(`<details><summary>Evaluations (${curves.evaluations.length})</summary>` + htmlTable(
      ["epoch", "seconds", "train loss", "val loss", "train recon", "val recon", "train NLL", "val NLL", "sparsity", "MCC", "R²", "R² held-out"],
      curves.evaluations.map((p) => [p.epoch, p.seconds, p.trainLoss, p.valLoss, p.trainRecon, p.valRecon, p.trainNll, p.valNll, p.sparsity, p.mcc, p.r2, p.r2HeldOut]), 4) + `</details>`);
    return parts.join("\n");
  },
};
