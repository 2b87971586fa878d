import { Graph } from "./graph.ts";
import { meek } from "./pc/meek.ts";

/**
 * The CPDAG (essential graph) of a DAG: its skeleton with the v-structures i → j ← k (i, k not adjacent)
 * oriented, closed under Meek's rules R1–R3, which suffice without background knowledge (Meek 1995).
 * This is the target PC is scored against.
 */
export function dagToCpdag(dag: Graph): Graph {
  for (const e of dag.edges()) {
    if (!(e.atA === "tail" && e.atB === "arrow") && !(e.atA === "arrow" && e.atB === "tail")) {
      throw new RangeError(`dagToCpdag needs a DAG; edge ${dag.edgeString(e)} is not directed`);
    }
  }
  const g = dag.skeleton();
  for (let j = 0; j < dag.n; j++) {
    const ps = dag.parents(j);
    for (let a = 0; a < ps.length; a++) {
      for (let b = a + 1; b < ps.length; b++) {
        if (!dag.adjacent(ps[a]!, ps[b]!)) {
          g.setDirected(ps[a]!, j);
          g.setDirected(ps[b]!, j);
        }
      }
    }
  }
  return meek(g);
}
