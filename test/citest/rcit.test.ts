import { test } from "node:test";
import assert from "node:assert/strict";
import { fromColumns } from "../../src/linalg/matrix.ts";
import { rcit, rcitSigma } from "../../src/citest/rcit.ts";
import { recordedDrawSource } from "../../src/citest/draws.ts";
import { kci } from "../../src/citest/kci.ts";
import { numericTableFrom } from "../../src/citest/table.ts";
import { ComputeError, DataError } from "../../src/errors.ts";
import { Rng } from "../../src/util/rng.ts";

const rng = new Rng(42);
const n = 400;
const x = rng.normals(n);
const y = Float64Array.from(x, (v) => Math.sin(v) + rng.normal());
const data = fromColumns([x, y, rng.normals(n)]);

test("rcit with our seeded generator is reproducible, and a different seed gives different features", () => {
  const a = rcit.prepare(data, { seed: 5 })(0, 1, []);
  const b = rcit.prepare(data, { seed: 5 })(0, 1, []);
  const c = rcit.prepare(data, { seed: 6 })(0, 1, []);
  assert.equal(a.statistic, b.statistic);
  assert.equal(a.pValue, b.pValue);
  assert.notEqual(a.statistic, c.statistic);
  const cond1 = rcit.prepare(data, { seed: 9 })(0, 1, [2]);
  const cond2 = rcit.prepare(data, { seed: 9 })(0, 1, [2]);
  assert.equal(cond1.statistic, cond2.statistic);
});

test("recorded draws must match the order and shapes the test asks for", () => {
  const wrong = recordedDrawSource([{ fn: "uniform", size: [5, 1], values: [[0.1], [0.2], [0.3], [0.4], [0.5]] }]);
  assert.throws(() => rcit.prepare(data, { drawSource: wrong })(0, 1, []), (e: unknown) => e instanceof ComputeError && /recorded draw 0 is uniform/.test(e.message));
  const short = recordedDrawSource([]);
  assert.throws(() => rcit.prepare(data, { drawSource: short })(0, 1, []), /exhausted/);
});

test("rcitSigma is the median of the non-zero pairwise distances of the first 500 rows (duplicates and 2-D too)", () => {
  const brute = (cols: Float64Array[]) => {
    const m = Math.min(cols[0]!.length, 500), d: number[] = [];
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) {
      const dist = Math.sqrt(cols.reduce((s, c) => s + (c[i]! - c[j]!) ** 2, 0));
      if (dist !== 0) d.push(dist);
    }
    d.sort((p, q) => p - q);
    return d.length % 2 ? d[(d.length - 1) / 2]! : (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2;
  };
  const scores = Float64Array.from({ length: 700 }, () => 1 + rng.int(5));
  const cont = rng.normals(600);
  assert.equal(rcitSigma([scores]), brute([scores]));
  assert.equal(rcitSigma([cont]), brute([cont]));
  assert.equal(rcitSigma([cont, Float64Array.from(cont, (v) => v * v)]), brute([cont, Float64Array.from(cont, (v) => v * v)]));
  assert.equal(rcitSigma([new Float64Array(10).fill(2)]), 0);
});

test("conditional KCI refuses inputs above its row limit, naming the limit and the alternatives", () => {
  assert.throws(() => kci.prepare(data, { maxConditionalRows: 100 }, { columnNames: ["a", "b", "c"] })(0, 1, [2]),
    (e: unknown) => e instanceof ComputeError && /400 rows/.test(e.message) && /limit 100 rows/.test(e.message) && /rcit/.test(e.message));
});

test("numericTableFrom names a text column and says to use its integer code", () => {
  const table = { names: ["final_o", "Occupation"], columns: { final_o: Float64Array.of(1, 2), Occupation: ["Actor", "Singer"] }, nRows: 2 };
  assert.throws(() => numericTableFrom(table, "celeb.csv", ["final_o", "Occupation"]),
    (e: unknown) => e instanceof DataError && /column "Occupation": is not numeric \("Actor"\)/.test(e.message) && /Occupation_idx/.test(e.message));
});
