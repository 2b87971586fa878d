import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CiQueryFn } from "../../src/citest/types.ts";
import { ciKey } from "../../src/discovery/pc/ci-runner.ts";

export const fixtureRoot = new URL("../fixtures/", import.meta.url).pathname;

export interface PcFixture {
  name: string;
  dataset: string;
  csv: string;
  nodes: string[];
  n_rows_used: number;
  alpha: number;
  indep_test: string;
  max_k: number | null;
  background_knowledge?: { forbidden: [string, string][]; required: [string, string][] } | null;
  graph: number[][];
  edges: string[];
  skeleton: number[][];
  sepsets: Record<string, number[][]>;
  ci_tests: Array<{ x: number; y: number; S: number[]; p: number; cached: boolean }>;
  expected_cpdag?: { graph: number[][] };
}

export function pcFixtures(): PcFixture[] {
  const dir = join(fixtureRoot, "pc");
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as PcFixture);
}

/** A CI query answering from the fixture's recorded tests; an unrecorded query is an error. */
export function replayQuery(fixture: PcFixture): CiQueryFn {
  const table = new Map<string, number>();
  for (const t of fixture.ci_tests) table.set(ciKey(t.x, t.y, t.S), t.p);
  return (x, y, z) => {
    const p = table.get(ciKey(x, y, z));
    if (p === undefined) throw new Error(`${fixture.name}: PC asked ${x};${y}|${z.join(",")}, which causal-learn never tested`);
    return { test: "replay", statistic: null, pValue: p, n: fixture.n_rows_used };
  };
}
