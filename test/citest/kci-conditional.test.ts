import { test } from "node:test";
import assert from "node:assert/strict";
import { kci } from "../../src/citest/kci.ts";
import { matrix } from "../../src/linalg/matrix.ts";
import { Rng } from "../../src/util/rng.ts";

/** 150 rows, 5 columns: a chain x0 → x1 → x2 plus noise columns, so both small and large p occur. */
function chainData() {
  const rng = new Rng(7);
  const n = 150, p = 5;
  const data = matrix(n, p);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = Math.sin(a) + 0.5 * rng.normal();
    const c = b * b + 0.5 * rng.normal();
    const row = [a, b, c, rng.normal(), rng.normal()];
    row.forEach((v, j) => { data.data[i * p + j] = v; });
  }
  return data;
}

const queries: Array<[number, number, number[]]> = [
  [0, 2, [1]], [2, 0, [1]], [0, 3, [1]], [3, 0, [1]], [0, 2, [1, 3]], [0, 2, [3, 1]], [1, 4, [0, 2]], [4, 1, [2, 0]],
  [0, 2, [1]], [3, 4, [0, 1, 2]], [3, 4, [2, 1, 0]],
];

test("conditional KCI's per-conditioning-set cache changes no result: cached, uncached and evicting runs agree bit for bit", () => {
  const data = chainData();
  const uncached = kci.prepare(data, { cacheMegabytes: 0 });
  const cached = kci.prepare(data);
  const evicting = kci.prepare(data, { cacheMegabytes: 0.4 }); // about two 150 × 150 entries
  for (const [x, y, z] of queries) {
    const want = uncached(x, y, z);
    for (const q of [cached, evicting]) {
      const got = q(x, y, z);
      assert.equal(got.statistic, want.statistic, `${x} ⫫ ${y} | ${z} statistic`);
      assert.equal(got.pValue, want.pValue, `${x} ⫫ ${y} | ${z} p`);
    }
  }
  // The chain's conditional independence and its dependence are both visible.
  assert.ok(uncached(0, 2, [1]).pValue > 0.01);
  assert.ok(uncached(1, 2, [0]).pValue < 1e-3);
});

test("conditional KCI depends on the conditioning set, not on the order it is listed in", () => {
  const query = kci.prepare(chainData(), { cacheMegabytes: 0 });
  assert.deepEqual(query(0, 2, [1, 3]), query(0, 2, [3, 1]));
  assert.deepEqual(query(3, 4, [0, 1, 2]), query(3, 4, [2, 0, 1]));
});
