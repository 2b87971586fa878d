/** The PersonaX library API. Each capability re-exports its public functions here. */
export * from "./errors.ts";
export { Rng } from "./util/rng.ts";
export { runDemo, type DemoOptions, type DemoResult } from "./demo/run-demo.ts";
export { renderReport, type Report, type ReportSection } from "./report/html.ts";
export { openStore, Store, type EmbeddingMatrix } from "./dataset/store.ts";
export { readTable, type Table } from "./dataset/read-table.ts";
export { aggregateFinalScore } from "./dataset/aggregate.ts";
export { gemm, sgemm, symmetricEigen, cholesky, choleskySolve, solve, inverseSpd, linalgBackend, type Matrix } from "./linalg/index.ts";
export * from "./traits/index.ts";
export * from "./embed/index.ts";
export * from "./discovery/index.ts";
