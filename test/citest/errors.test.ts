/** Bad inputs give PersonaxError messages that name the pair and the fix; the matrix runner keeps going. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromColumns } from "../../src/linalg/matrix.ts";
import { getCiTest, ciTestNames } from "../../src/citest/registry.ts";
import { parseCsvTable } from "../../src/citest/table.ts";
import { runLevel1 } from "../../src/citest/level1.ts";
import { ComputeError, DataError } from "../../src/errors.ts";
import { Rng } from "../../src/util/rng.ts";

const names = { columnNames: ["final_o", "Height", "Year"] };
const rng = new Rng(1);
const normal = (n: number) => rng.normals(n);

test("every test refuses a constant column with a ComputeError naming the pair and the fix", () => {
  const data = fromColumns([normal(50), new Float64Array(50).fill(3)]);
  for (const name of ["fisherz", "kci", "hsic", "hsic-std", "rcit"]) {
    assert.throws(() => getCiTest(name).prepare(data, {}, names)(0, 1, []),
      (e: unknown) => e instanceof ComputeError && /"Height" is constant/.test(e.message) && /"final_o" ⫫ "Height"/.test(e.message) && /fix:/.test(e.message),
      name);
  }
});

test("every test refuses fewer than 5 complete rows", () => {
  const data = fromColumns([Float64Array.of(1, 2, 3, 4), Float64Array.of(2, 1, 4, 3)]);
  for (const name of ciTestNames) {
    assert.throws(() => getCiTest(name).prepare(data, {}, names)(0, 1, []), (e: unknown) => e instanceof ComputeError && /only 4 complete rows/.test(e.message), name);
  }
});

test("contingency tests refuse a table with too many cells and say to bin or use another test", () => {
  const data = fromColumns([normal(300), normal(300)]);
  assert.throws(() => getCiTest("chisq").prepare(data, { maxTableCells: 10_000 }, names)(0, 1, []),
    (e: unknown) => e instanceof ComputeError && /90000 cells/.test(e.message) && /bin continuous columns/.test(e.message));
});

test("fisherz reports a singular correlation matrix (a column duplicated in the conditioning set)", () => {
  const a = normal(100), b = normal(100);
  const data = fromColumns([a, b, Float64Array.from(a, (v, i) => v + b[i]!), Float64Array.from(a, (v, i) => 2 * (v + b[i]!))]);
  assert.throws(() => getCiTest("fisherz").prepare(data, {}, { columnNames: ["a", "b", "s", "s2"] })(0, 2, [1, 3]),
    (e: unknown) => e instanceof ComputeError && /singular/.test(e.message) && /"a" ⫫ "s" \| "b", "s2"/.test(e.message));
});

test("a non-numeric CSV value is a DataError naming file, row and column", () => {
  assert.throws(() => parseCsvTable("final_o,Occupation\n1.5,3\n2,Actor\n", "people.csv"),
    (e: unknown) => e instanceof DataError && /people.csv, row 3, column "Occupation": "Actor" is not a number/.test(e.message));
});

test("runLevel1 records a failing cell's error, gives it no p or q, and still tests the other cells", async () => {
  const table = parseCsvTable(["t,good,constant,sparse",
    ...Array.from({ length: 40 }, (_, i) => `${(i * 7) % 5},${(i * 3) % 4},1,${i < 3 ? i : ""}`)].join("\n"), "mini.csv");
  const result = await runLevel1({ data: table, rows: ["t"], cols: ["good", "constant", "sparse"], tests: ["fisherz", "kci"], workers: 0 });
  for (const t of result.tests) {
    const [good, constant, sparse] = t.cells;
    assert.equal(good!.error, undefined);
    assert.ok(good!.p !== null && good!.q !== null);
    assert.match(constant!.error!, /"constant" is constant/);
    assert.equal(constant!.p, null);
    assert.equal(constant!.q, null);
    assert.match(sparse!.error!, /only 3 complete rows/);
    assert.equal(sparse!.n, 3);
  }
  assert.equal(result.summary.significant[0]!.errors, 2);
});
