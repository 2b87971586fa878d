/** Public API of the CI tests and the Level I runner. */
export { ciTests, ciTestNames, getCiTest, type CiTestName, type CiTestTraits, type RegisteredCiTest } from "./registry.ts";
export type { CiTest, CiResult, CiQueryFn, CiPrepareContext } from "./types.ts";
export { runLevel1, matrixCsv, matrixJson, type Level1Options, type Level1Result, type Level1Cell, type Level1TestResult } from "./level1.ts";
export { writeLevel1Outputs, level1Heatmap } from "./level1-output.ts";
export { readCsvTable, parseCsvTable, numericTableFrom, numericMatrixFrom, completeRows, type NumericTable, type ColumnTable } from "./table.ts";
export { rngDrawSource, recordedDrawSource, type DrawSource } from "./draws.ts";
