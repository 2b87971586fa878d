import { isColumnTable, numericMatrixFrom, type ColumnTable } from "../citest/table.ts";
import type { CiQueryFn } from "../citest/types.ts";
import { DataError, UsageError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { dropMissingRows, prepareRegistryTest } from "./ci-tests.ts";
import { Knowledge, knowledgeFromSpec, type KnowledgeSpec } from "./knowledge.ts";
import { CiWorkerPool } from "./pc/parallel.ts";
import { pc, pcAsync, type PcCoreOptions, type PcResult } from "./pc/pc.ts";
import type { TestSpec } from "./pc/test-spec.ts";

export interface RunPcOptions extends Omit<PcCoreOptions, "knowledge"> {
  /** A registry test name ("fisherz", "chisq", "gsq", "kci", …; default "fisherz") or a prepared query. */
  test?: string | CiQueryFn;
  /** Options for a registry test. */
  testOptions?: Record<string, unknown>;
  /** Background knowledge, as a Knowledge object or by node names. */
  knowledge?: Knowledge | KnowledgeSpec;
  /** Column names of a matrix (default X1..Xn); for a readTable() table, the columns to use (default: every numeric one). */
  nodeNames?: readonly string[];
  /** Rows with a missing value: "drop" them (default, like `df.dropna()`) or "error". */
  missing?: "drop" | "error";
}

/**
 * PC's input: a data matrix (columns = variables), or a table as readTable() returns it, whose numeric columns
 * (or the `nodeNames` columns) become the variables.
 */
export type PcData = Matrix | ColumnTable;

function prepareInputs(input: PcData, options: RunPcOptions) {
  const fromTable = isColumnTable(input) ? numericMatrixFrom(input, "PC input", options.nodeNames) : undefined;
  const data = fromTable?.data ?? (input as Matrix);
  const nodes = fromTable?.names ?? options.nodeNames ?? Array.from({ length: data.cols }, (_, i) => `X${i + 1}`);
  if (nodes.length !== data.cols) throw new UsageError(`${nodes.length} node names for ${data.cols} data columns`, "pass one name per column");
  const cleaned = dropMissingRows(data);
  if (cleaned.dropped > 0 && options.missing === "error") {
    throw new DataError("PC input", 0, undefined, `${cleaned.dropped} rows have missing values`, "drop or impute them, or pass missing: \"drop\"");
  }
  if (cleaned.data.rows < 5) throw new DataError("PC input", 0, undefined, `only ${cleaned.data.rows} complete rows remain`, "PC needs more rows without missing values");
  const knowledge = options.knowledge === undefined || options.knowledge instanceof Knowledge ? options.knowledge : knowledgeFromSpec(nodes, options.knowledge);
  // --faithful: Fisher-z's p-value as causal-learn computes it (2·(1 − Φ(|z|)), exactly 0 in the far tail).
  const testOptions = options.faithful && (options.test ?? "fisherz") === "fisherz" ? { tail: "causal-learn", ...options.testOptions } : options.testOptions;
  return { nodes, data: cleaned.data, dropped: cleaned.dropped, knowledge, testOptions };
}

/**
 * PC-stable on a data matrix (columns = variables), sequential. Example (CRL latents, no edge into the
 * shared latents s1, s2):
 *   runPc(latents, { test: "kci", alpha: 0.05, nodeNames, knowledge: { noEdgesInto: ["s1", "s2"] } })
 */
export function runPc(data: PcData, options: RunPcOptions = {}): PcResult & { rowsUsed: number; rowsDropped: number } {
  const inputs = prepareInputs(data, options);
  const test = options.test ?? "fisherz";
  const query = typeof test === "function" ? test : prepareRegistryTest(test, inputs.data, inputs.testOptions, inputs.nodes);
  const result = pc(inputs.nodes, query, { ...options, knowledge: inputs.knowledge });
  return { ...result, rowsUsed: inputs.data.rows, rowsDropped: inputs.dropped };
}

/**
 * The same run with each depth's CI tests spread over `threads` worker threads; the graph, sepsets and
 * test log equal `runPc`'s (each p-value depends only on the data and the query). Needs a registry test
 * name (a function cannot be sent to a worker).
 */
export async function runPcParallel(data: PcData, options: RunPcOptions & { threads: number; spec?: TestSpec }): Promise<PcResult & { rowsUsed: number; rowsDropped: number }> {
  const inputs = prepareInputs(data, options);
  const test = options.test ?? "fisherz";
  if (typeof test === "function" && !options.spec) throw new UsageError("runPcParallel needs a registry test name", "pass test: \"fisherz\" (or another registry name)");
  const spec: TestSpec = options.spec ?? { kind: "registry", name: test as string, options: inputs.testOptions };
  const query = typeof test === "function" ? test : prepareRegistryTest(test, inputs.data, inputs.testOptions, inputs.nodes);
  const pool = new CiWorkerPool(spec, inputs.data, options.threads);
  try {
    const result = await pcAsync(inputs.nodes, query, { ...options, knowledge: inputs.knowledge }, (queries) => pool.evaluate(queries));
    return { ...result, rowsUsed: inputs.data.rows, rowsDropped: inputs.dropped };
  } finally {
    await pool.close();
  }
}
