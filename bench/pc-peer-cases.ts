/**
 * The cases of `npm run bench -- pc-peer`: causal-learn's own PC test suite (tests/TestPC.py) on its own
 * stored data, shipped gzipped in bench/data/causal-learn/ (MIT, see the LICENSE there; causal-learn @
 * e30895b7, the md5 sums its tests check are in README.md): the bnlearn networks sampled at 10,000 rows
 * (tests/TestData/bnlearn_discrete_10000/data) with chi-square, data_linear_10 with Fisher-z under every
 * uc_rule / uc_priority and depth limit TestPC.py tries, and data_discrete_10 with chi-square and G-square.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "data", "causal-learn");

/** The bnlearn networks of causal-learn's TestPC.py, smallest first. */
export const bnlearnNetworks = [
  "asia", "cancer", "earthquake", "survey", "sachs", "child", "insurance", "water", "alarm", "barley", "hailfinder", "hepar2", "win95pts",
] as const;

export interface BenchCase {
  name: string;
  /** Which stored dataset (several cases share one): a bnlearn network, "data_linear_10" or "data_discrete_10". */
  dataset: string;
  test: "chisq" | "gsq" | "fisherz";
  ucRule: 0 | 1 | 2;
  ucPriority: -1 | 0 | 1 | 2 | 3 | 4;
  /** causal-learn max_k; undefined = no limit. */
  depth?: number;
}

export function benchCases(): BenchCase[] {
  const cases: BenchCase[] = bnlearnNetworks.map((name) => ({ name, dataset: name, test: "chisq", ucRule: 0, ucPriority: -1 }));
  // TestPC.test_pc_load_linear_10_with_fisher_z: pc(data, 0.05, fisherz) and every uc_rule / uc_priority it tries.
  for (const [ucRule, ucPriority] of [[0, 2], [0, 0], [0, 1], [0, 3], [0, 4], [1, -1], [2, -1]] as const) {
    cases.push({ name: `linear_10_uc${ucRule}_p${ucPriority}`, dataset: "data_linear_10", test: "fisherz", ucRule, ucPriority });
  }
  cases.push({ name: "linear_10_maxk1", dataset: "data_linear_10", test: "fisherz", ucRule: 0, ucPriority: 2, depth: 1 });
  cases.push({ name: "linear_10_maxk2", dataset: "data_linear_10", test: "fisherz", ucRule: 0, ucPriority: 2, depth: 2 });
  // TestPC.test_pc_load_discrete_10_with_gsq_chisq.
  for (const test of ["gsq", "chisq"] as const) cases.push({ name: `discrete_10_${test}`, dataset: "data_discrete_10", test, ucRule: 0, ucPriority: -1 });
  return cases;
}

/**
 * A stored dataset as CSV text (header, then rows), its values spelled exactly as in causal-learn's file
 * (whitespace-separated there, as np.loadtxt(skiprows=1) reads it), so both tools parse the same numbers.
 */
export function datasetCsv(dataset: string): string {
  let text: string;
  try {
    text = gunzipSync(readFileSync(join(dataDir, `${dataset}.txt.gz`))).toString("utf8");
  } catch {
    throw new RangeError(`unknown bench dataset "${dataset}": expected ${join(dataDir, `${dataset}.txt.gz`)}`);
  }
  return text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0)
    .map((line) => line.split(/\s+/).join(",")).join("\n") + "\n";
}
