import { test } from "node:test";
import assert from "node:assert/strict";
import { aggregateFinalScore, aggregateFinalScoreSql } from "../../src/dataset/aggregate.ts";
import { openStore } from "../../src/dataset/store.ts";

test("aggregateFinalScore: median of the non-zero scores (3 → middle, 2 → mean, 1 → it, none → NaN)", () => {
  assert.equal(aggregateFinalScore([3, 1, 2]), 2);
  assert.equal(aggregateFinalScore([3, 0, 2]), 2.5);
  assert.equal(aggregateFinalScore([0, null, 2]), 2);
  assert.ok(Number.isNaN(aggregateFinalScore([0, 0, null])));
  assert.ok(Number.isNaN(aggregateFinalScore([])));
  assert.equal(aggregateFinalScore([1, NaN, 3]), 2);
});

test("aggregateFinalScoreSql agrees with aggregateFinalScore inside DuckDB", async () => {
  const store = await openStore(":memory:");
  const cases = [[3, 1, 2], [3, 0, 2], [0, null, 2], [0, 0, null], [1, 1, 3], [2, 3, 0]];
  for (const c of cases) {
    const [row] = await store.query<{ v: number | null }>(`SELECT ${aggregateFinalScoreSql(c.map((x) => (x === null ? "NULL" : String(x))))} AS v`);
    const expected = aggregateFinalScore(c);
    assert.equal(row!.v ?? NaN, expected, `scores ${c}`);
  }
  store.close();
});
