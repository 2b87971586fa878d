/**
 * The contingency tests count tables along several paths (mixed-radix layers or renumbered ones, layers
 * cached or extended from a shared prefix, dense counts or row groups when most layers hold one row, four
 * interleaved count copies). Every path must give the bits of the plain definition: causal-learn's
 * Chisq_or_Gsq with one string key per row, layers in ascending configuration order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { getCiTest } from "../../src/citest/registry.ts";
import { fromColumns } from "../../src/linalg/matrix.ts";
import { chiSquareUpperTail } from "../../src/stats/distributions.ts";
import { Rng } from "../../src/util/rng.ts";

/** The definition, written the slow and obvious way. */
function reference(kind: "chisq" | "gsq", columns: Float64Array[], x0: number, y0: number, S: number[]) {
  const [x, y] = x0 < y0 ? [x0, y0] : [y0, x0]; // causal-learn puts the pair in ascending order
  const levels = (c: Float64Array) => [...new Set(c)].sort((a, b) => a - b);
  const code = (j: number) => { const l = levels(columns[j]!); return Array.from(columns[j]!, (v) => l.indexOf(v)); };
  const [cx, cy] = [code(x), code(y)];
  const kx = levels(columns[x]!).length, ky = levels(columns[y]!).length;
  const zs = S.map(code), radices = S.map((j) => levels(columns[j]!).length);
  const n = cx.length;
  const configOf = (i: number) => zs.reduce((acc, z, k) => acc * radices[k]! + z[i]!, 0);
  const layers = [...new Set(Array.from({ length: n }, (_, i) => configOf(i)))].sort((a, b) => a - b);
  let statistic = 0, dof = 0;
  for (const layer of layers) {
    const counts = Array.from({ length: kx }, () => new Array<number>(ky).fill(0));
    for (let i = 0; i < n; i++) if (configOf(i) === layer) counts[cx[i]!]![cy[i]!]!++;
    const rowSum = counts.map((r) => r.reduce((a, b) => a + b, 0));
    const colSum = Array.from({ length: ky }, (_, b) => counts.reduce((a, r) => a + r[b]!, 0));
    const total = rowSum.reduce((a, b) => a + b, 0);
    dof += (kx - 1 - rowSum.filter((v) => v === 0).length) * (ky - 1 - colSum.filter((v) => v === 0).length);
    for (let a = 0; a < kx; a++) {
      if (rowSum[a] === 0) continue;
      for (let b = 0; b < ky; b++) {
        if (colSum[b] === 0) continue;
        const expected = (rowSum[a]! * colSum[b]!) / (S.length === 0 ? n : total);
        const c = counts[a]![b]!;
        if (kind === "chisq") statistic += ((c - expected) * (c - expected)) / expected;
        else if (c > 0) statistic += c * Math.log(c / expected);
      }
    }
  }
  if (kind === "gsq") statistic *= 2;
  return dof === 0 ? { statistic: null, pValue: 1, dof: 0 } : { statistic, pValue: chiSquareUpperTail(statistic, dof), dof };
}

/** Skewed categorical columns (most rows in one category, as real data), some with many categories. */
function dataset(rng: Rng, n: number, cardinalities: number[]): Float64Array[] {
  return cardinalities.map((k) => Float64Array.from({ length: n }, () => (k < 20 && rng.uniform() < 0.6 ? 1 : 1 + Math.floor(rng.uniform() * k)) * 10));
}

for (const kind of ["chisq", "gsq"] as const) {
  test(`${kind}: every counting path gives the bits of the definition (random queries, repeats, shared prefixes)`, () => {
    const rng = new Rng(7);
    // 15 columns: small cardinalities (mixed-radix layers), 40- and 30-category ones (renumbered layers), a
    // near-continuous one (renumbering by sort; tables too large for the interleaved counts); 400 rows,
    // so conditioning sets of 3+ columns make most layers hold one row (the grouped path).
    const columns = dataset(rng, 400, [2, 3, 2, 4, 2, 5, 3, 2, 40, 2, 3, 4, 30, 30, 5000]);
    const query = getCiTest(kind).prepare(fromColumns(columns), {});
    const p = columns.length;
    let checked = 0;
    for (let t = 0; t < 160; t++) {
      const size = t % 7;
      const picked = new Set<number>();
      while (picked.size < size + 2) picked.add(Math.floor(rng.uniform() * p));
      const [x, y, ...rest] = [...picked];
      const S = rest.sort((a, b) => a - b);
      // Ask the set, a sibling sharing all but its last member, and the set again (cache hit).
      const sibling = S.length > 1 ? [...S.slice(0, -1), ...[...Array(p).keys()].filter((v) => v > S[S.length - 1]! && v !== x && v !== y).slice(0, 1)] : S;
      for (const set of [S, sibling, S]) {
        if (set.length !== S.length) continue;
        const got = query(x!, y!, set);
        const want = reference(kind, columns, x!, y!, set);
        assert.equal(got.dof, want.dof, `${x},${y}|${set}`);
        if (set.length === 0 && got.details?.cardinalities && (got.details.cardinalities as number[])[0]! * (got.details.cardinalities as number[])[1]! > 4 * 400) {
          // An unconditional table with more cells than 4n is summed over occupied cells only (a documented rearrangement).
          assert.ok(Math.abs(got.statistic! - want.statistic!) <= 1e-12 * want.statistic!, `${x},${y}|${set}`);
          continue;
        }
        assert.equal(got.statistic, want.statistic, `${x},${y}|${set}`);
        assert.equal(got.pValue, want.pValue, `${x},${y}|${set}`);
        checked++;
      }
    }
    // Large products of cardinalities ending in the near-continuous column: renumbering by sort.
    for (const [x, y, S] of [[4, 6, [8, 12, 13, 14]], [0, 1, [8, 13, 14]], [14, 4, [2, 8, 12, 13]]] as const) {
      const got = query(x, y, [...S]);
      const want = reference(kind, columns, x, y, [...S]);
      assert.deepEqual([got.dof, got.statistic, got.pValue], [want.dof, want.statistic, want.pValue], `${x},${y}|${S}`);
      checked++;
    }
    assert.ok(checked >= 300);
  });
}

for (const kind of ["chisq", "gsq"] as const) {
  test(`${kind}: row codes wider than 16 bits (pairs of many-category columns; more than 65,536 rows) give the bits of the definition`, () => {
    const rng = new Rng(11);
    // x · ky + y beyond 65,535: a 400-category column against a 300-category one, unconditional and given small sets.
    const wide = [
      Float64Array.from({ length: 3000 }, () => Math.floor(rng.uniform() * 400)),
      Float64Array.from({ length: 3000 }, () => Math.floor(rng.uniform() * 300)),
      ...dataset(rng, 3000, [2, 3]),
    ];
    const wideQuery = getCiTest(kind).prepare(fromColumns(wide), {});
    for (const [x, y, S] of [[0, 1, []], [0, 1, [2]], [1, 0, [2, 3]], [0, 2, [3]], [0, 1, [3]]] as const) {
      const got = wideQuery(x, y, [...S]);
      const want = reference(kind, wide, x, y, [...S]);
      if (S.length === 0) {
        assert.equal(got.dof, want.dof);
        assert.ok(Math.abs(got.statistic! - want.statistic!) <= 1e-12 * want.statistic!, `${x},${y}|${S}`); // sparse unconditional sum
        continue;
      }
      assert.deepEqual([got.dof, got.statistic, got.pValue], [want.dof, want.statistic, want.pValue], `${x},${y}|${S}`);
    }
    // Beyond 65,536 rows the row codes are 32-bit; the same paths must give the same bits.
    const long = dataset(rng, 70_000, [3, 2, 4, 2, 3]);
    const longQuery = getCiTest(kind).prepare(fromColumns(long), {});
    for (const [x, y, S] of [[0, 1, []], [0, 1, [2]], [4, 0, [1, 2, 3]], [2, 3, [0, 1, 4]], [4, 0, [1, 2, 3]]] as const) {
      const got = longQuery(x, y, [...S]);
      const want = reference(kind, long, x, y, [...S]);
      assert.deepEqual([got.dof, got.statistic, got.pValue], [want.dof, want.statistic, want.pValue], `${x},${y}|${S}`);
    }
  });
}
