import type { Graph } from "../graph.ts";

/** A graph-comparison metric; `truth` is the target (the CPDAG of the true DAG when PC is scored). */
export interface GraphMetric {
  abbrev: string;
  title: string;
  value(truth: Graph, estimate: Graph): number;
}

export function assertSameNodes(truth: Graph, estimate: Graph): void {
  if (truth.n !== estimate.n || truth.nodes.some((v, i) => estimate.nodes[i] !== v)) {
    throw new RangeError(`graphs over different nodes: [${truth.nodes.join(", ")}] vs [${estimate.nodes.join(", ")}]`);
  }
}

/** precision, recall and F1 from counts; precision is NaN with nothing predicted, recall NaN with nothing true. */
export function prf(truePositives: number, predicted: number, actual: number): { precision: number; recall: number; f1: number } {
  const precision = predicted === 0 ? Number.NaN : truePositives / predicted;
  const recall = actual === 0 ? Number.NaN : truePositives / actual;
  const f1 = truePositives === 0 ? 0 : (2 * truePositives) / (predicted + actual);
  return { precision, recall, f1 };
}

/**
 * Precision, recall and F1 of a feature read off both graphs: `has(g, a, b)` over every unordered pair a < b
 * (`ordered: false`, e.g. adjacencies) or every ordered pair a ≠ b (`ordered: true`, e.g. arrowheads).
 */
export function featureScores(truth: Graph, estimate: Graph, ordered: boolean, has: (g: Graph, a: number, b: number) => boolean): { precision: number; recall: number; f1: number } {
  assertSameNodes(truth, estimate);
  let tp = 0, predicted = 0, actual = 0;
  for (let a = 0; a < truth.n; a++) {
    for (let b = ordered ? 0 : a + 1; b < truth.n; b++) {
      if (a === b) continue;
      const t = has(truth, a, b), e = has(estimate, a, b);
      if (t) actual++;
      if (e) predicted++;
      if (t && e) tp++;
    }
  }
  return prf(tp, predicted, actual);
}
