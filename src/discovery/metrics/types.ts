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
