/**
 * The PersonaX aggregation of the LLMs' trait scores (DESIGN §1.1): the final score of a trait is the
 * median of the valid scores, where 0 ("insufficient information") and missing values are not valid.
 * With three LLMs: 3 valid → the middle one, 2 valid → their mean, 1 → that value, none → NaN.
 */
export function aggregateFinalScore(scores: ArrayLike<number | null | undefined>): number {
  const valid: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s !== null && s !== undefined && Number.isFinite(s) && s !== 0) valid.push(s);
  }
  if (valid.length === 0) return NaN;
  valid.sort((a, b) => a - b);
  const mid = valid.length >> 1;
  return valid.length % 2 === 1 ? valid[mid]! : (valid[mid - 1]! + valid[mid]!) / 2;
}

/**
 * The same rule as SQL over a list of score expressions, for aggregating inside DuckDB during an import:
 * DuckDB's `median` interpolates two values to their mean, as numpy's median does.
 */
export function aggregateFinalScoreSql(scoreExpressions: string[]): string {
  return `list_aggregate(list_filter([${scoreExpressions.map((e) => `CAST(${e} AS DOUBLE)`).join(", ")}], x -> x IS NOT NULL AND x <> 0), 'median')`;
}
