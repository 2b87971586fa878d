import type { Graph } from "../graph.ts";
import type { Knowledge } from "../knowledge.ts";
import { AcyclicWriter, type EdgeWriter } from "./edge-writer.ts";

/**
 * Orients undirected edges that the knowledge decides, mirroring causal-learn
 * BackgroundKnowledgeOrientUtils.orient_by_background_knowledge (run after the skeleton, before the
 * colliders): for each undirected edge a – b (a < b), in order: b → a forbidden ⇒ a → b; a → b forbidden
 * ⇒ b → a; b → a required ⇒ b → a; a → b required ⇒ a → b.
 */
export function orientByKnowledge(input: Graph, knowledge: Knowledge, writer: EdgeWriter = new AcyclicWriter()): Graph {
  const g = input.clone();
  for (const { a, b } of input.edges()) {
    if (!g.isUndirected(a, b)) continue;
    if (knowledge.isForbidden(b, a)) writer.orient(g, a, b);
    else if (knowledge.isForbidden(a, b)) writer.orient(g, b, a);
    else if (knowledge.isRequired(b, a)) writer.orient(g, b, a);
    else if (knowledge.isRequired(a, b)) writer.orient(g, a, b);
  }
  return g;
}
