import { Graph, type Mark } from "./graph.ts";
import type { Knowledge } from "./knowledge.ts";
import type { PcResult } from "./pc/pc.ts";
import { csvField } from "../dataset/csv.ts";

/** One edge of graph.json, by node name. */
export interface EdgeJson {
  from: string;
  to: string;
  /** Mark at `from` and at `to`. */
  atFrom: Mark;
  atTo: Mark;
  /** "directed" (from → to), "undirected", "bidirected" or "partial" (circle marks). */
  kind: "directed" | "undirected" | "bidirected" | "partial";
  /** causal-learn's edge string, e.g. "X1 --> X3". */
  text: string;
}

/**
 * The stable graph.json contract (scripts read it): `nodes`, `matrix` (causal-learn encoding:
 * matrix[j][i] == 1 && matrix[i][j] == −1 means i → j), `edges` and `tests` [{ x, y, S, p }] by name, in
 * the order PC asked them (cached repeats included, flagged). Extra fields may be added, never renamed.
 */
export interface GraphJson {
  nodes: string[];
  matrix: number[][];
  edges: EdgeJson[];
  tests: Array<{ x: string; y: string; S: string[]; p: number; cached: boolean }>;
  [extra: string]: unknown;
}

export function edgesJson(graph: Graph): EdgeJson[] {
  return graph.edges().map((e) => {
    // Directed edges are written tail first.
    const flip = e.atA === "arrow" && e.atB === "tail";
    const [a, b, atA, atB] = flip ? [e.b, e.a, e.atB, e.atA] : [e.a, e.b, e.atA, e.atB];
    const kind = atA === "tail" && atB === "arrow" ? "directed" : atA === "tail" && atB === "tail" ? "undirected"
      : atA === "arrow" && atB === "arrow" ? "bidirected" : "partial";
    return { from: graph.nodes[a]!, to: graph.nodes[b]!, atFrom: atA, atTo: atB, kind, text: graph.edgeString({ a, b, atA, atB }) };
  });
}

/** graph.json for a bare graph (no test log). */
export function graphToJson(graph: Graph): GraphJson {
  return { nodes: [...graph.nodes], matrix: graph.toCausalLearn(), edges: edgesJson(graph), tests: [] };
}

/** graph.json for a PC run. */
export function pcResultToJson(result: PcResult, settings: { test: string; alpha: number; depth?: number; knowledge?: Knowledge; rows?: number; faithful?: boolean }): GraphJson {
  const name = (i: number) => result.nodes[i]!;
  return {
    ...graphToJson(result.graph),
    tests: result.tests.map((t) => ({ x: name(t.x), y: name(t.y), S: t.S.map(name), p: t.p, cached: t.cached })),
    algorithm: "pc-stable",
    settings: {
      test: settings.test, alpha: settings.alpha, depth: settings.depth ?? null, rows: settings.rows ?? null,
      knowledge: settings.knowledge ? settings.knowledge.describe(result.nodes) : null, faithful: settings.faithful ?? false,
    },
    skeleton: result.skeleton.toCausalLearn().map((r) => r.map(Math.abs)),
    sepsets: Object.fromEntries([...result.sepsets].map(([k, sets]) => {
      const [i, j] = k.split(",").map(Number) as [number, number];
      return [`${name(i)},${name(j)}`, sets.map((S) => S.map(name))];
    })),
    uniqueTests: result.uniqueTests,
    seconds: result.seconds,
  };
}

/** Reads graph.json back into a Graph (validates the matrix). */
export function graphFromJson(json: Pick<GraphJson, "nodes" | "matrix">): Graph {
  return Graph.fromCausalLearn(json.matrix, json.nodes);
}

/** The adjacency matrix as 0/1 rows (1 when the pair is joined by any edge). */
export function adjacencyMatrix(graph: Graph): number[][] {
  return Array.from({ length: graph.n }, (_, i) => Array.from({ length: graph.n }, (_, j) => (graph.adjacent(i, j) ? 1 : 0)));
}

/** A CSV of the causal-learn matrix with node names as header and row labels. */
export function matrixCsv(graph: Graph): string {
  const q = (s: string) => csvField(s);
  const rows = graph.toCausalLearn().map((r, i) => [q(graph.nodes[i]!), ...r].join(","));
  return [["", ...graph.nodes.map(q)].join(","), ...rows].join("\n") + "\n";
}
