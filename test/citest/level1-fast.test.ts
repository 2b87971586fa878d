import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCell } from "../../src/citest/level1.ts";
import { Level1Columns } from "../../src/citest/level1-fast.ts";
import { getCiTest } from "../../src/citest/registry.ts";
import { readCsvTable, type NumericTable } from "../../src/citest/table.ts";
import { fixtureDir } from "./fixture-helpers.ts";

/** The registry's Level I fast path of a test. */
const fastCell = (columns: Level1Columns, test: string, row: string, col: string) => getCiTest(test).level1Cell?.(columns, row, col);

const athle = readCsvTable(join(fixtureDir, "data", "athle_n500_s0.csv"));
const rows = ["final_o", "final_c", "final_e", "final_a", "final_n"];
const cols = ["Birthyear", "Birthmonth", "Birthday", "Type", "Latitude", "Longitude", "Height", "Weight"];

test("Level I's per-column path gives bit-identical cells to the general per-cell path (fisherz, chisq, gsq; pairwise NaN drop)", () => {
  const columns = new Level1Columns(athle);
  let index = 0;
  for (const t of ["fisherz", "chisq", "gsq"]) {
    for (const row of rows) {
      for (const col of cols) {
        const task = { index: index++, test: t, row, col, seed: 0 };
        const fast = fastCell(columns, t, row, col);
        assert.ok(fast, `${t} ${row} ${col} took the fast path`);
        const general = runCell(athle, task);
        assert.equal(fast.n, general.n);
        assert.equal(fast.statistic, general.statistic, `${t} ${row} ${col} statistic`);
        assert.equal(fast.pValue, general.p, `${t} ${row} ${col} p`);
        assert.equal(fast.dof, general.dof);
      }
    }
  }
});

test("Level I's per-column path hands unusual cells (constant, too few rows, ±Infinity) to the general path, which names the problem", () => {
  const n = 40;
  const col = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const table: NumericTable = {
    source: "unit", rows: n, names: ["a", "b", "konst", "sparse", "inf"],
    columns: new Map([
      ["a", col((i) => i % 5)],
      ["b", col((i) => (i * 7) % 3)],
      ["konst", col(() => 2)],
      ["sparse", col((i) => (i < 3 ? i : Number.NaN))],
      ["inf", col((i) => (i === 4 ? Infinity : i % 4))],
    ]),
  };
  const columns = new Level1Columns(table);
  for (const t of ["fisherz", "chisq", "gsq"]) {
    assert.ok(fastCell(columns, t, "a", "b"), `${t}: an ordinary pair is answered`);
    assert.equal(fastCell(columns, t, "a", "sparse"), undefined, `${t}: 3 complete rows`);
    assert.equal(fastCell(columns, t, "a", "inf"), undefined, `${t}: Infinity`);
    const viaRun = runCell(table, { index: 0, test: t, row: "a", col: "sparse", seed: 0 }, columns);
    assert.match(viaRun.error ?? "", /only 3 complete rows/);
    const inf = runCell(table, { index: 0, test: t, row: "a", col: "inf", seed: 0 }, columns);
    assert.match(inf.error ?? "", /non-finite/);
  }
  // Fisher-z refuses a constant column; the contingency tests answer it (dof 0, p = 1), as the reference.
  assert.equal(fastCell(columns, "fisherz", "a", "konst"), undefined);
  assert.match(runCell(table, { index: 0, test: "fisherz", row: "a", col: "konst", seed: 0 }, columns).error ?? "", /constant/);
  const chisqConst = runCell(table, { index: 0, test: "chisq", row: "a", col: "konst", seed: 0 }, columns);
  assert.equal(chisqConst.p, 1);
  assert.equal(chisqConst.dof, 0);
});
