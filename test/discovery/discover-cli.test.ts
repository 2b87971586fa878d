import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordingIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { fixtureRoot } from "./fixtures.ts";

const csv = join(fixtureRoot, "data/lingauss_n2000_s0.csv");
const fixture = JSON.parse(readFileSync(join(fixtureRoot, "pc/lingauss_n2000_s0_fisherz_bk.json"), "utf8"));

test("personax discover pc --forbid/--require writes graph.json (causal-learn matrix, edges, tests by name) equal to the causal-learn fixture, plus dot/svg/png/summary", async () => {
  const out = mkdtempSync(join(tmpdir(), "pc-cli-"));
  const io = recordingIo();
  const code = await runCli(["discover", "pc", "--data", csv, "--cols", "X1,X2,X3,X4,X5,X6", "--test", "fisherz", "--alpha", "0.05",
    "--forbid", "X3->X1", "--require", "X2->X5", "--faithful", "--out", out], io);
  assert.equal(code, 0, io.stderr.join("\n"));
  const json = JSON.parse(readFileSync(join(out, "graph.json"), "utf8"));
  assert.deepEqual(json.nodes, fixture.nodes);
  assert.deepEqual(json.matrix, fixture.graph);
  assert.deepEqual(json.edges.map((e: { text: string }) => e.text).sort(), [...fixture.edges].sort());
  assert.equal(json.tests.length, fixture.ci_tests.length);
  assert.deepEqual(json.tests[6], { x: "X2", y: "X3", S: [], p: json.tests[6].p, cached: false });
  for (const f of ["graph.dot", "graph.svg", "graph.png", "matrix.csv", "summary.md"]) assert.ok(existsSync(join(out, f)), f);
  assert.match(readFileSync(join(out, "graph.svg"), "utf8"), /<svg/);
  assert.deepEqual([...readFileSync(join(out, "graph.png")).subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  assert.match(io.stdout.join("\n"), /X2 --> X5/);
});

test("personax discover pc --bootstrap 5 --seed 1 writes edge frequencies and a consensus graph, reproducibly", async () => {
  const runs = [];
  for (let k = 0; k < 2; k++) {
    const out = mkdtempSync(join(tmpdir(), "pc-boot-"));
    const code = await runCli(["discover", "pc", "--data", csv, "--bootstrap", "5", "--seed", "1", "--out", out], recordingIo());
    assert.equal(code, 0);
    runs.push(JSON.parse(readFileSync(join(out, "bootstrap.json"), "utf8")));
    assert.ok(existsSync(join(out, "consensus.svg")));
  }
  assert.deepEqual(runs[0], runs[1]);
  const x1x3 = runs[0].pairs.find((p: { a: string; b: string }) => p.a === "X1" && p.b === "X3");
  assert.equal(x1x3.frequency.none, 0); // a strong edge survives every resample
  for (const p of runs[0].pairs) assert.ok(Math.abs(Object.values(p.frequency as Record<string, number>).reduce((s, v) => s + v, 0) - 1) < 1e-12);
});

test("personax discover pc names an unknown column and exits 2", async () => {
  const io = recordingIo();
  const code = await runCli(["discover", "pc", "--data", csv, "--cols", "X1,Nope", "--out", mkdtempSync(join(tmpdir(), "pc-bad-"))], io);
  assert.equal(code, 2);
  assert.match(io.stderr.join("\n"), /Nope/);
  const twice = recordingIo();
  assert.equal(await runCli(["discover", "pc", "--data", csv, "--cols", "X1,X2,X1", "--out", mkdtempSync(join(tmpdir(), "pc-bad-"))], twice), 2);
  assert.match(twice.stderr.join("\n"), /column "X1" is listed twice\n  fix: name each column once in --cols/);
  const rule = recordingIo();
  assert.equal(await runCli(["discover", "pc", "--data", csv, "--uc-rule", "2", "--uc-priority", "1", "--out", mkdtempSync(join(tmpdir(), "pc-bad-"))], rule), 2);
  assert.match(rule.stderr.join("\n"), /collider rule 2 \(definite maxP\) supports priorities 2, 3 and 4, got 1\n  fix: pass --uc-priority 2, 3 or 4/);
});

test("personax discover pc --data store.duckdb --flavour picks one dataset of a store that holds both; without it the error names --flavour (exit 2)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pc-store-"));
  const store = join(dir, "both.duckdb");
  for (const file of ["data/athle_n500_s0.csv", "data/celeb_n1500_s0.csv"]) {
    const io = recordingIo();
    assert.equal(await runCli(["import", "--store", store, "--file", join(fixtureRoot, file)], io), 0, io.stderr.join("\n"));
  }
  const cols = "Height,Weight,Birthyear,final_o";
  const bad = recordingIo();
  assert.equal(await runCli(["discover", "pc", "--data", store, "--cols", cols, "--out", join(dir, "x")], bad), 2);
  assert.match(bad.stderr.join("\n"), /holds both datasets[\s\S]*--flavour celeb\|athle/);
  const io = recordingIo();
  const code = await runCli(["discover", "pc", "--data", store, "--flavour", "athle", "--cols", cols, "--out", join(dir, "pc"), "--json"], io);
  assert.equal(code, 0, io.stderr.join("\n"));
  const summary = JSON.parse(io.stdout.join("\n"));
  assert.deepEqual(summary.nodes, cols.split(","));
  assert.equal(summary.rowsUsed + summary.rowsDropped, 500, "only the 500 athletes are read");
});
