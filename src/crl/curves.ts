/**
 * Training curves of a CRL run: the JSON record and the plots (loss and, with ground truth, MCC/R²),
 * as SVG (src/report/line-chart.ts) and PNG (src/report/png.ts).
 */
import { openOutputFolder } from "../util/output-folder.ts";
import { svgToPng } from "../report/png.ts";
import { lineChartSvg } from "../report/line-chart.ts";
import type { CrlTrainResult } from "./train.ts";

export function lossChartSvg(result: Pick<CrlTrainResult, "curve" | "epochs">, title = "CRL training loss"): string {
  return lineChartSvg({
    title,
    xLabel: "epoch",
    yLabel: "loss",
    logY: result.epochs.every((e) => e.loss > 0) && result.curve.every((p) => p.valLoss > 0),
    series: [
      { name: "train loss (per epoch)", points: result.epochs.map((e) => [e.epoch, e.loss]) },
      { name: "validation loss", points: result.curve.map((p) => [p.epoch, p.valLoss]) },
    ],
  });
}

/** MCC and R² per evaluation; undefined without ground truth. */
export function metricChartSvg(result: Pick<CrlTrainResult, "curve">, title = "CRL recovery of the true latents"): string | undefined {
  const withTruth = result.curve.filter((p) => p.mcc !== undefined);
  if (withTruth.length === 0) return undefined;
  return lineChartSvg({
    title,
    xLabel: "epoch",
    yLabel: "score",
    series: [
      { name: "MCC", points: withTruth.map((p) => [p.epoch, p.mcc!]) },
      { name: "R² (in-sample)", points: withTruth.filter((p) => p.r2 !== undefined).map((p) => [p.epoch, p.r2!]) },
      { name: "R² (held-out)", points: withTruth.filter((p) => p.r2HeldOut !== undefined).map((p) => [p.epoch, p.r2HeldOut!]) },
    ],
  });
}

/** Writes curves.json, loss.svg/png and (with truth) metrics.svg/png into `dir`; returns the paths. */
export async function saveCurves(dir: string, result: Pick<CrlTrainResult, "curve" | "epochs" | "best" | "final" | "secondsPerEpoch" | "stoppedEarly">): Promise<string[]> {
  const folder = await openOutputFolder(dir);
  const put = folder.put;
  await put("curves.json", JSON.stringify({
    evaluations: result.curve,
    epochs: result.epochs,
    best: result.best ?? null,
    final: result.final,
    secondsPerEpoch: result.secondsPerEpoch,
    stoppedEarly: result.stoppedEarly,
  }, null, 2) + "\n");
  const loss = lossChartSvg(result);
  await put("loss.svg", loss);
  await put("loss.png", svgToPng(loss));
  const metrics = metricChartSvg(result);
  if (metrics) {
    await put("metrics.svg", metrics);
    await put("metrics.png", svgToPng(metrics));
  }
  return folder.written;
}
