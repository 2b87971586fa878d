import { aggregateFinalScore } from "../dataset/aggregate.ts";
import type { Store } from "../dataset/store.ts";
import type { FinalScoresRow, TraitAssessmentRow } from "../dataset/schema.ts";
import { DEFAULT_PROTOCOL, TRAITS } from "./protocols.ts";
import { storedAssessments } from "./runner.ts";

/**
 * Writes every valid cached reply as a trait assessment (store table trait_assessments: per person, LLM,
 * protocol and repeat, with descriptions, scores on the increasing scale, the raw reply and the time it was
 * received). Idempotent: a second sync writes identical rows.
 */
export async function syncAssessments(store: Store): Promise<number> {
  const assessments = await storedAssessments(store.connection);
  const rows: TraitAssessmentRow[] = assessments.map((a) => ({
    person_id: a.personId, llm: a.llm, protocol: a.protocol, repeat: a.repeat,
    description_o: a.assessment.o.description, description_c: a.assessment.c.description, description_e: a.assessment.e.description,
    description_a: a.assessment.a.description, description_n: a.assessment.n.description,
    score_o: a.assessment.o.score, score_c: a.assessment.c.score, score_e: a.assessment.e.score,
    score_a: a.assessment.a.score, score_n: a.assessment.n.score,
    raw_reply: a.rawReply, created_at: a.createdAt,
  }));
  return store.upsertTraitAssessments(rows);
}

/**
 * final_* = median of the valid (non-zero) scores of the LLMs for one protocol and repeat (DESIGN §1.1:
 * 2 valid → mean, 1 → that value, none → missing), via the dataset's aggregateFinalScore. The per-LLM
 * scores stay in trait_assessments. Returns the number of persons written.
 */
export async function aggregateFinals(store: Store, options: { protocol?: string; repeat?: number; llms?: string[] } = {}): Promise<number> {
  const protocol = options.protocol ?? DEFAULT_PROTOCOL;
  const assessments = (await store.readTraitAssessments({ protocol }))
    .filter((a) => a.repeat === (options.repeat ?? 0) && (!options.llms?.length || options.llms.includes(a.llm)));
  const byPerson = new Map<string, TraitAssessmentRow[]>();
  for (const a of assessments) byPerson.set(a.person_id, [...(byPerson.get(a.person_id) ?? []), a]);
  const rows: FinalScoresRow[] = [...byPerson.entries()].map(([personId, list]) => {
    const row: Record<string, unknown> = { person_id: personId };
    for (const t of TRAITS) {
      const value = aggregateFinalScore(list.map((a) => a[`score_${t}`]));
      row[`final_${t}`] = Number.isNaN(value) ? null : value;
    }
    return row as FinalScoresRow;
  });
  return store.writeFinals(rows);
}
