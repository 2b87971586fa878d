/** The PersonaX library API. Each capability re-exports its public functions here. */
export * from "./errors.ts";
export { Rng } from "./util/rng.ts";
export { runDemo, type DemoOptions, type DemoResult } from "./demo/run-demo.ts";
export { renderReport, type Report, type ReportSection } from "./report/html.ts";
