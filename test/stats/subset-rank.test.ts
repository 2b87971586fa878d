import { test } from "node:test";
import assert from "node:assert/strict";
import { isIncreasing, SubsetRanks } from "../../src/stats/subset-rank.ts";

test("subset ranks number every subset of {0..n−1} once, smaller sets first, below countUpTo(size)", () => {
  for (const n of [0, 1, 5, 9]) {
    const ranks = new SubsetRanks(n);
    const seen = new Set<number>();
    for (let mask = 0; mask < 2 ** n; mask++) {
      const set = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
      const r = ranks.rank(set);
      assert.ok(Number.isInteger(r) && r >= 0 && r < ranks.countUpTo(set.length), `n=${n} ${set}: ${r}`);
      if (set.length > 0) assert.ok(r >= ranks.countUpTo(set.length - 1), `n=${n} ${set}: ${r} ranks with smaller sets`);
      seen.add(r);
    }
    assert.equal(seen.size, 2 ** n);
    assert.equal(ranks.countUpTo(n), 2 ** n);
  }
  assert.ok(isIncreasing([]) && isIncreasing([3]) && isIncreasing([1, 4, 9]));
  assert.ok(!isIncreasing([1, 1]) && !isIncreasing([2, 1]));
});
