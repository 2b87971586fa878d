import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLevel1, matrixCsv } from "../../src/citest/level1.ts";
import { readCsvTable } from "../../src/citest/table.ts";
import { benjaminiHochberg } from "../../src/stats/benjamini-hochberg.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { fixtureDir, loadFixture } from "./fixture-helpers.ts";

const athle = readCsvTable(join(fixtureDir, "data", "athle_n500_s0.csv"));
const rows = ["final_o", "final_c", "final_e", "final_a", "final_n"];
const cols = ["Birthyear", "Birthmonth", "Birthday", "Type", "Latitude", "Longitude", "Height", "Weight"];

test("runLevel1 (kernel cells on worker threads) reproduces the reference matrices and adds BH q-values", async () => {
  const result = await runLevel1({ data: athle, rows, cols, tests: ["kci", "fisherz"], alpha: 0.05, correct: "bh", workers: 2 });
  for (const t of result.tests) {
    const ref = loadFixture(`cit/athle_n500_s0_${t.test}.json`);
    assert.equal(t.cells.length, ref.cells.length);
    t.cells.forEach((c, i) => {
      const r = ref.cells[i]!;
      assert.equal(c.row, r.row); assert.equal(c.col, r.col); assert.equal(c.n, r.n);
      assert.ok(Math.abs(c.p! - r.p!) <= 1e-12 + 1e-6 * r.p!, `${t.test} ${c.row} ${c.col}: ${c.p} vs ${r.p}`);
    });
    const q = benjaminiHochberg(t.cells.map((c) => c.p!));
    t.cells.forEach((c, i) => { assert.equal(c.q, q[i]); assert.equal(c.reject, q[i]! < 0.05); });
  }
  // The notebooks' CSV layout: blank corner, feature header, one row per trait.
  const csv = matrixCsv(result.tests[0]!).trim().split("\n");
  assert.equal(csv[0], "," + cols.join(","));
  assert.equal(csv.length, 1 + rows.length);
  assert.ok(csv[1]!.startsWith("final_o,"));
});

test("runLevel1 with perLlm adds each LLM's score columns as column groups", async () => {
  const celeb = readCsvTable(join(fixtureDir, "data", "celeb_n1500_s0.csv"));
  const result = await runLevel1({ data: celeb, rows: ["final_o", "final_e"], cols: ["Occupation_idx", "Gender_idx"], tests: ["chisq"], perLlm: true, workers: 0 });
  const t = result.tests[0]!;
  assert.deepEqual([...new Set(t.cells.map((c) => c.group))], ["final", "gpt", "gemini", "llama"]);
  assert.equal(t.cells.length, 4 * 2 * 2);
  assert.ok(t.cells.some((c) => c.row === "gemini_e" && c.trait === "e" && c.group === "gemini"));
  // The known dependencies show up in every score source.
  for (const c of t.cells) if ((c.trait === "o" && c.col === "Occupation_idx") || (c.trait === "e" && c.col === "Gender_idx")) assert.ok(c.reject, `${c.row} ~ ${c.col}`);
});

test("runLevel1 reports agreement between tests on the cells both ran", async () => {
  const result = await runLevel1({ data: athle, rows, cols: ["Birthyear", "Type"], tests: ["chisq", "gsq"], workers: 0 });
  const a = result.summary.agreement[0]!;
  assert.equal(a.a, "chisq"); assert.equal(a.b, "gsq");
  assert.equal(a.cells, 10);
  assert.ok(a.fraction >= 0 && a.fraction <= 1);
});

test("personax level1 writes <test>.csv, <test>.json (stable contract), heatmaps and the summary", async () => {
  const out = mkdtempSync(join(tmpdir(), "level1-"));
  const io = recordingIo();
  const code = await runCli(["level1", "--data", join(fixtureDir, "data", "athle_n500_s0.csv"), "--rows", rows.join(","),
    "--cols", "Birthyear,Type,Latitude", "--tests", "fisherz,hsic,rcit", "--seed", "3", "--out", out], io);
  assert.equal(code, 0, io.stderr.join("\n"));
  for (const t of ["fisherz", "hsic", "rcit"]) {
    for (const ext of ["csv", "json", "svg", "png"]) assert.ok(existsSync(join(out, `${t}.${ext}`)), `${t}.${ext}`);
    const json = JSON.parse(readFileSync(join(out, `${t}.json`), "utf8"));
    assert.equal(json.test, t);
    assert.equal(json.alpha, 0.05);
    assert.equal(json.cells.length, 15);
    for (const key of ["row", "col", "n", "statistic", "p", "q", "reject"]) assert.ok(key in json.cells[0], key);
  }
  assert.ok(existsSync(join(out, "summary.md")) && existsSync(join(out, "summary.json")));
  assert.match(io.stdout.join("\n"), /fisherz: \d+\/15 pairs rejected/);
});

test("personax level1 rejects an unknown test and an unknown column with exit code 2", async () => {
  const io = recordingIo();
  const csv = join(fixtureDir, "data", "athle_n500_s0.csv");
  assert.equal(await runCli(["level1", "--data", csv, "--rows", "final_o", "--cols", "Type", "--tests", "kci,magic", "--out", tmpdir()], io), 2);
  assert.match(io.stderr.join("\n"), /unknown CI test "magic"/);
  assert.equal(await runCli(["level1", "--data", csv, "--rows", "final_o", "--cols", "Nope", "--out", tmpdir()], io), 2);
  assert.match(io.stderr.join("\n"), /Nope/);
});
