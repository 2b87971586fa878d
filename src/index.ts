/** The PersonaX library API. Each capability re-exports its public functions here. */
export * from "./errors.ts";
export { VERSION } from "./version.ts";
export { Rng } from "./util/rng.ts";
export type { ProgressCallback } from "./util/progress.ts";
export { runDemo, type DemoOptions, type DemoResult } from "./demo/run-demo.ts";
export { renderReport, type Report, type ReportSection } from "./report/html.ts";
export { buildReport, assembleReport, type BuildReportOptions, type BuiltReport, type ReportItem } from "./report/build.ts";
export { writeManifest, readManifest, MANIFEST_FILE, type RunManifest } from "./report/manifest.ts";
export * from "./dataset/index.ts";
export { synthPersonaTable, type SynthTable, type PersonaTruth } from "./synth/persona-table.ts";
export { gemm, sgemm, symmetricEigen, cholesky, choleskySolve, solve, inverseSpd, linalgBackend, type Matrix } from "./linalg/index.ts";
export * from "./traits/index.ts";
export * from "./embed/index.ts";
export * from "./discovery/index.ts";
export * from "./crl/index.ts";
export { generateMultimodal, type MultimodalSpec, type MultimodalData } from "./synth/multimodal.ts";
export { ciTests, ciTestNames, getCiTest, runLevel1, numericTableFrom, numericMatrixFrom, type CiTest, type CiResult, type CiQueryFn, type Level1Options, type Level1Result, type NumericTable, type ColumnTable } from "./citest/index.ts";
