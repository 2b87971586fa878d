/**
 * The cases of `npm run bench -- pc-peer`: causal-learn's own PC test suite (tests/TestPC.py) rebuilt
 * on data that PersonaX generates itself. The bnlearn cases are "bnlearn-shaped": a random DAG with the
 * network's node count, arc count and largest in-degree, and its variables' cardinalities, with random
 * CPTs (Dirichlet(1)) and 10,000 forward-sampled rows. They are not the bnlearn networks nor their data,
 * so graphs and timings are comparable between the two tools on the same data, not with causal-learn's
 * published numbers. The `linear_10` and `discrete_10` cases mirror data_linear_10 / data_discrete_10
 * (20 nodes, 30 arcs, 10,000 rows; linear-Gaussian and binary) under the settings TestPC.py uses.
 */
import { randomDagWithArcs, sampleDiscrete, sampleLinearGaussian } from "../src/discovery/random-dag.ts";
import type { Matrix } from "../src/linalg/matrix.ts";
import { Rng } from "../src/util/rng.ts";

export interface NetworkShape {
  arcs: number;
  maxParents: number;
  cardinalities: number[];
}

/** Node count = cardinalities.length. Shapes read off the bnlearn networks causal-learn's tests use. */
export const networkShapes: Record<string, NetworkShape> = {
  asia: { arcs: 8, maxParents: 2, cardinalities: [2, 2, 2, 2, 2, 2, 2, 2] },
  cancer: { arcs: 4, maxParents: 2, cardinalities: [2, 2, 2, 2, 2] },
  earthquake: { arcs: 4, maxParents: 2, cardinalities: [2, 2, 2, 2, 2] },
  survey: { arcs: 6, maxParents: 2, cardinalities: [3, 2, 2, 2, 2, 3] },
  sachs: { arcs: 17, maxParents: 3, cardinalities: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3] },
  child: { arcs: 25, maxParents: 2, cardinalities: [2, 2, 3, 3, 5, 2, 2, 3, 3, 2, 5, 6, 2, 3, 2, 3, 4, 3, 3, 2] },
  insurance: { arcs: 52, maxParents: 3, cardinalities: [2, 3, 4, 4, 2, 4, 3, 4, 5, 3, 4, 2, 3, 2, 4, 2, 5, 4, 2, 4, 3, 2, 4, 4, 2, 4, 3] },
  // water's data has six constant columns (cardinality 1); so does the shape.
  water: { arcs: 66, maxParents: 5, cardinalities: [4, 3, 1, 1, 1, 1, 1, 1, 4, 3, 3, 2, 2, 2, 2, 2, 4, 3, 4, 2, 2, 3, 2, 3, 4, 3, 4, 2, 2, 4, 2, 3] },
  alarm: { arcs: 46, maxParents: 4, cardinalities: [2, 3, 3, 2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 2, 3, 4, 2, 4, 2, 3, 3, 3, 2, 2, 3, 4, 2, 3, 4, 4, 4, 4, 3, 2, 3, 3, 3] },
  barley: {
    arcs: 84, maxParents: 4,
    cardinalities: [9, 5, 3, 6, 11, 5, 8, 9, 2, 6, 6, 10, 6, 9, 10, 8, 5, 7, 6, 67, 9, 3, 7, 10, 10, 10, 9, 7, 9, 8, 9, 10, 7, 9, 8, 7, 6, 9, 7, 5, 8, 9, 2, 8, 4, 4, 16, 6],
  },
  hailfinder: {
    arcs: 66, maxParents: 4,
    cardinalities: [4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 4, 3, 3, 3, 3, 3, 3, 4, 3, 3, 6, 11, 2, 4, 3, 3, 6, 4, 3, 3, 3, 5, 4, 4, 4, 11, 3, 3, 3, 7, 4, 3, 3, 4, 3, 7, 5, 4, 4, 2, 6],
  },
  hepar2: {
    arcs: 123, maxParents: 6,
    cardinalities: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 4, 2, 2, 2, 2, 2, 3, 2, 3, 2, 2, 4, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2, 2, 2, 4, 3, 2, 2, 2, 2, 3, 2, 2, 2, 2, 3, 4, 4, 3, 4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2, 2, 2],
  },
  win95pts: { arcs: 112, maxParents: 7, cardinalities: new Array<number>(76).fill(2) },
};

export interface BenchCase {
  name: string;
  /** Which generated dataset (several cases share one). */
  dataset: string;
  test: "chisq" | "gsq" | "fisherz";
  ucRule: 0 | 1 | 2;
  ucPriority: -1 | 0 | 1 | 2 | 3 | 4;
  /** causal-learn max_k; undefined = no limit. */
  depth?: number;
}

export const ROWS = 10_000;

export function benchCases(): BenchCase[] {
  const cases: BenchCase[] = Object.keys(networkShapes).map((name) => ({ name, dataset: name, test: "chisq", ucRule: 0, ucPriority: -1 }));
  // TestPC.test_pc_load_linear_10_with_fisher_z: pc(data, 0.05, fisherz) and every uc_rule / uc_priority it tries.
  for (const [ucRule, ucPriority] of [[0, 2], [0, 0], [0, 1], [0, 3], [0, 4], [1, -1], [2, -1]] as const) {
    cases.push({ name: `linear_10_uc${ucRule}_p${ucPriority}`, dataset: "linear_10", test: "fisherz", ucRule, ucPriority });
  }
  cases.push({ name: "linear_10_maxk1", dataset: "linear_10", test: "fisherz", ucRule: 0, ucPriority: 2, depth: 1 });
  cases.push({ name: "linear_10_maxk2", dataset: "linear_10", test: "fisherz", ucRule: 0, ucPriority: 2, depth: 2 });
  // TestPC.test_pc_load_discrete_10_with_gsq_chisq.
  for (const test of ["gsq", "chisq"] as const) cases.push({ name: `discrete_10_${test}`, dataset: "discrete_10", test, ucRule: 0, ucPriority: -1 });
  return cases;
}

/** The dataset behind a case, generated from a fixed seed per dataset name. */
export function generateDataset(dataset: string): { names: string[]; data: Matrix } {
  const seed = [...dataset].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
  const rng = new Rng(seed);
  if (dataset === "linear_10") {
    const dag = randomDagWithArcs(20, 30, rng, 4);
    return { names: [...dag.nodes], data: sampleLinearGaussian(dag, ROWS, rng).data };
  }
  const shape = dataset === "discrete_10" ? { arcs: 30, maxParents: 4, cardinalities: new Array<number>(20).fill(2) } : networkShapes[dataset];
  if (!shape) throw new RangeError(`unknown bench dataset "${dataset}"`);
  const dag = randomDagWithArcs(shape.cardinalities.length, shape.arcs, rng, shape.maxParents);
  return { names: [...dag.nodes], data: sampleDiscrete(dag, shape.cardinalities, ROWS, rng) };
}
