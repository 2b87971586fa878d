/**
 * PersonaX Level II: causal representation learning.
 *
 *   new CrlModel(config, rng)                    the model (model.ts; config.ts: faithful | default modes)
 *   trainCrl(dataset, modelConfig, trainConfig)  training with evaluation, early stopping, checkpoints (train.ts)
 *   runCrlFromConfig(config)                     crl.json runs: store embeddings or a synthetic case → latents, PC graph
 *   runSyntheticCase({ caseId, seed, mode })     one benchmark replicate (synthetic-run.ts)
 *   evaluateCrlRun(dir)                          MCC/R²/SHD of a finished run against its truth
 *   mcc, r2InSample, r2HeldOut, shd, linearSumAssignment     metrics (metrics/)
 */
export * from "./config.ts";
export { CrlModel, type CrlBatch, type CrlForward, type CrlLossTerms } from "./model.ts";
export { trainCrl, type CrlTrainResult, type CurvePoint, type CrlTrainCallbacks } from "./train.ts";
export { datasetFromMultimodal, modalityConfigs, type CrlDataset, type CrlTruth } from "./data.ts";
export { runSyntheticCase, syntheticTrainDefaults, syntheticModelDefaults, type SyntheticRunResult } from "./synthetic-run.ts";
export { CrlRunConfig, loadCrlRunConfig, runCrlFromConfig, type CrlRunSummary } from "./run-config.ts";
export { evaluateCrlRun, type CrlEvaluation } from "./evaluate.ts";
export { readCrlDatasetFromStore, writeCrlLatents, readCrlLatents } from "./store-io.ts";
export { saveCurves, lossChartSvg, metricChartSvg } from "./curves.ts";
export { lineChartSvg, type LineSeries, type LineChartOptions } from "../report/line-chart.ts";
export { latentGraphDot, latentGraphSvg } from "../report/latent-graph.ts";
export { mcc, type MccResult } from "./metrics/mcc.ts";
export { r2InSample, r2HeldOut, kernelRidgePredict, r2Score } from "./metrics/r2.ts";
export { shd as latentGraphShd, alignToTruth } from "./metrics/shd.ts";
export { linearSumAssignment } from "./metrics/assignment.ts";
export { crossCorrelation, averageRanks } from "./metrics/correlation.ts";
