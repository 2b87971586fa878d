import type { CiQueryFn } from "../../citest/types.ts";
import type { Matrix } from "../../linalg/matrix.ts";
import { dSeparationOracle } from "../d-separation.ts";
import { Graph } from "../graph.ts";

/**
 * A CI test described by data, so a worker thread can rebuild it: a registry test by name (with its
 * options) or the d-separation oracle of a DAG (causal-learn matrix encoding).
 */
export type TestSpec =
  | { kind: "registry"; name: string; options?: Record<string, unknown> }
  | { kind: "dsep"; dag: number[][]; nodes: string[] };

/** Prepares the query function a spec describes on `data`. */
export async function prepareTestSpec(spec: TestSpec, data: Matrix): Promise<CiQueryFn> {
  if (spec.kind === "dsep") return dSeparationOracle(Graph.fromCausalLearn(spec.dag, spec.nodes));
  const { prepareRegistryTest } = await import("../ci-tests.ts");
  return prepareRegistryTest(spec.name, data, spec.options);
}
