import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthPersonaTable, type PersonaTruth } from "../../src/synth/persona-table.ts";
import { writeSynthTable } from "../../src/synth/write-synth-table.ts";
import { readTable } from "../../src/dataset/read-table.ts";
import { openStore } from "../../src/dataset/store.ts";

const header = (file: string) => readFileSync(file, "utf8").split("\n")[0]!.split(",");
const fixtureTruth = (name: string) => JSON.parse(readFileSync(`test/fixtures/data/${name}.truth.json`, "utf8")) as PersonaTruth;
const num = (c: Float64Array | string[] | undefined) => c as Float64Array;

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++; sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
  }
  return (sab - (sa * sb) / n) / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
}

test("synthPersonaTable is reproducible from its seed and differs between seeds", () => {
  const a = synthPersonaTable({ flavour: "celeb", n: 300, seed: 5, scale: "llm" });
  const b = synthPersonaTable({ flavour: "celeb", n: 300, seed: 5, scale: "llm" });
  const c = synthPersonaTable({ flavour: "celeb", n: 300, seed: 6, scale: "llm" });
  assert.deepEqual(a.columns, b.columns);
  assert.notDeepEqual(a.columns["final_o"], c.columns["final_o"]);
});

test("celeb tables have the fixture's columns (plus id) and the fixture generator's ground truth", () => {
  const t = synthPersonaTable({ flavour: "celeb", n: 200, seed: 1, scale: "llm" });
  assert.deepEqual(t.names, ["id", ...header("test/fixtures/data/celeb_n1500_s0.csv")]);
  const ref = fixtureTruth("celeb_n1500_s0");
  assert.deepEqual(t.truth.cols, ref.cols);
  assert.deepEqual(t.truth.discrete_cols, ref.discrete_cols);
  assert.deepEqual(t.truth.direct_pairs, ref.direct_pairs);
  assert.deepEqual(t.truth.dependent_pairs, ref.dependent_pairs);
  assert.deepEqual(t.truth.independent_pairs, ref.independent_pairs);
  assert.deepEqual(t.truth.categories["occupation"]!.length, 15);
});

test("athle tables have the fixture's columns and the make_data persona ground truth", () => {
  const t = synthPersonaTable({ flavour: "athle", n: 200, seed: 1, scale: "continuous" });
  assert.deepEqual(t.names, header("test/fixtures/data/athle_n2000_s0.csv"));
  const ref = fixtureTruth("athle_n2000_s0");
  assert.deepEqual(t.truth.direct_pairs, ref.direct_pairs);
  assert.deepEqual(t.truth.dependent_pairs, ref.dependent_pairs);
  assert.deepEqual(t.truth.independent_pairs, ref.independent_pairs);
  assert.equal(t.truth.categories["league"]!.length, 7);
  for (const f of ["final_o", "final_n"]) {
    for (const v of num(t.columns[f])) if (!Number.isNaN(v)) assert.ok(v >= 1 && v <= 10 && Math.abs(v * 10 - Math.round(v * 10)) < 1e-9, `${f}=${v}`);
  }
});

test("LLM scale: scores 0..3 with about 5 % zeros, finals = median of the non-zero LLM scores (3 → middle, 2 → mean, 1 → it)", () => {
  for (const flavour of ["celeb", "athle"] as const) {
    const t = synthPersonaTable({ flavour, n: 4000, seed: 2, scale: "llm" });
    let zeros = 0, total = 0;
    for (const llm of ["gpt", "gemini", "llama"]) for (const v of num(t.columns[`${llm}_e`])) { assert.ok([0, 1, 2, 3].includes(v)); total++; if (v === 0) zeros++; }
    assert.ok(zeros / total > 0.04 && zeros / total < 0.06, `zero rate ${zeros / total}`);
    const fin = num(t.columns["final_e"]);
    // Checked case by case against DESIGN §1.1, not through aggregateFinalScore itself.
    const seen = new Set<number>();
    for (let i = 0; i < t.nRows; i++) {
      const valid = ["gpt", "gemini", "llama"].map((l) => num(t.columns[`${l}_e`])[i]!).filter((v) => v !== 0).sort((a, b) => a - b);
      seen.add(valid.length);
      const expected = valid.length === 3 ? valid[1]! : valid.length === 2 ? (valid[0]! + valid[1]!) / 2 : valid.length === 1 ? valid[0]! : NaN;
      assert.ok(Object.is(fin[i], expected), `${flavour} row ${i}: ${valid} → ${fin[i]}`);
    }
    assert.deepEqual([...seen].sort(), [1, 2, 3], "3, 2 and 1 valid scores all occur");
  }
});

test("celeb features: ±1 attributes, 0/1 gender, MCAR missing values near the stated rates", () => {
  const t = synthPersonaTable({ flavour: "celeb", n: 5000, seed: 3, scale: "llm" });
  for (const v of num(t.columns["Big_Nose"])) assert.ok(v === -1 || v === 1);
  for (const v of num(t.columns["Gender_idx"])) assert.ok(v === 0 || v === 1);
  const rate = (c: string) => Array.from(num(t.columns[c])).filter(Number.isNaN).length / t.nRows;
  assert.ok(Math.abs(rate("Height(cm)") - 0.12) < 0.02);
  assert.ok(Math.abs(rate("Weight(kg)") - 0.18) < 0.02);
  assert.equal(rate("Gender_idx"), 0);
  const clean = synthPersonaTable({ flavour: "celeb", n: 500, seed: 3, scale: "llm", missing: false });
  for (const f of clean.truth.cols) assert.equal(Array.from(num(clean.columns[f])).filter(Number.isNaN).length, 0, f);
});

test("the stated dependencies are in the data and the stated independencies are not", () => {
  const t = synthPersonaTable({ flavour: "celeb", n: 6000, seed: 4, scale: "continuous", missing: false });
  const height = num(t.columns["Height(cm)"]);
  assert.ok(corr(num(t.columns["final_n"]), height.map((h) => Math.abs(h - 171))) > 0.2);
  assert.ok(corr(num(t.columns["final_e"]), num(t.columns["Gender_idx"])) < -0.1);
  assert.ok(Math.abs(corr(num(t.columns["final_c"]), num(t.columns["Gender_idx"]))) < 0.05);
  assert.ok(Math.abs(corr(num(t.columns["final_a"]), height)) < 0.05);
  const a = synthPersonaTable({ flavour: "athle", n: 6000, seed: 4, scale: "continuous", missing: false });
  assert.ok(corr(num(a.columns["final_o"]), num(a.columns["Birthyear"])) > 0.3);
  assert.ok(Math.abs(corr(num(a.columns["final_a"]), num(a.columns["Birthyear"]))) < 0.05);
});

test("writeSynthTable: CSV, Parquet and store outputs read back as exactly the generated table, truth beside", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-synth-"));
  const t = synthPersonaTable({ flavour: "celeb", n: 400, seed: 9, scale: "llm" });
  for (const ext of ["csv", "parquet", "duckdb"]) {
    const out = await writeSynthTable(t, join(dir, `celeb.${ext}`));
    const back = await readTable(out.file);
    assert.deepEqual(back.names, t.names, ext);
    for (const name of t.names) assert.deepEqual(back.columns[name], t.columns[name], `${ext} ${name}`);
    assert.deepEqual(JSON.parse(await readFile(out.truthFile, "utf8")), t.truth);
  }
  const store = await openStore(join(dir, "celeb.duckdb"), { readOnly: true });
  assert.deepEqual((await store.readCategories("gender")).map((c) => c.label), ["female", "male"]);
  assert.deepEqual((await store.readRuns()).map((r) => r.what), ["import", "synth table"]);
  store.close();
});

test("writeSynthTable with embeddings: the store gets 3 face + 3 text blocks and the truth JSON their latent DAG", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-synth-emb-"));
  const t = synthPersonaTable({ flavour: "athle", n: 120, seed: 2, scale: "llm" });
  const out = await writeSynthTable(t, join(dir, "athle.duckdb"), { embeddingSeed: 3 });
  const store = await openStore(out.file, { readOnly: true });
  const face = await store.readEmbeddings("face");
  assert.deepEqual(face.map((b) => [b.measurement, b.ids.length]), [[0, 120], [1, 120], [2, 120]]);
  assert.equal((await store.readEmbeddings("text")).length, 3);
  store.close();
  const truth = JSON.parse(await readFile(out.truthFile, "utf8"));
  assert.equal(truth.embedding_latents.names.length, truth.embedding_latents.adjacency.length);
  assert.ok(truth.embedding_latents.names.length >= 2 + 4);
  await assert.rejects(writeSynthTable(t, join(dir, "x.csv"), { embeddingSeed: 1 }), /cannot be written to CSV/);
});
