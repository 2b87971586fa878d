/**
 * Must-show 2 of issue 2 through the CLI: `synth` → `import` → HF `export` → `import` round-trips the data
 * exactly, and the commands follow the CLI contract (--help, --json, exit code 2 on bad input).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { openStore } from "../../src/dataset/store.ts";
import { readTable } from "../../src/dataset/read-table.ts";
import { snapshot } from "../dataset/snapshot.ts";

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = recordingIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

test("synth table → import → export --hf → import round-trips both datasets exactly", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-cli-rt-"));
  for (const flavour of ["celeb", "athle"]) {
    const r = await cli(["synth", "table", "--flavour", flavour, "--n", "700", "--seed", "3", "--out", join(dir, `${flavour}.csv`), "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).rows, 700);
    const i = await cli(["import", "--store", join(dir, "a.duckdb"), "--file", join(dir, `${flavour}.csv`), "--categories", join(dir, `${flavour}.truth.json`), "--json"]);
    assert.equal(i.code, 0, i.err);
    assert.equal(JSON.parse(i.out).persons, 700);
    const e = await cli(["export", "--store", join(dir, "a.duckdb"), "--hf", join(dir, `hf-${flavour}`), "--flavour", flavour, "--rows-per-shard", "300"]);
    assert.equal(e.code, 0, e.err);
    assert.match(e.out, /in 3 shard\(s\)/);
    const back = await cli(["import", "--store", join(dir, "b.duckdb"), "--file", join(dir, `hf-${flavour}`)]);
    assert.equal(back.code, 0, back.err);
  }
  const a = await openStore(join(dir, "a.duckdb"), { readOnly: true });
  const b = await openStore(join(dir, "b.duckdb"), { readOnly: true });
  const [sa, sb] = [await snapshot(a), await snapshot(b)];
  assert.ok(JSON.parse(sa["persons"]!).length === 1400 && JSON.parse(sa["categories"]!).length === 15 + 2 + 7);
  assert.deepEqual(sb, sa);
  // And the table a Level I analysis reads is the generated one.
  const generated = await readTable(join(dir, "celeb.csv"));
  const reread = await readTable(b, { flavour: "celeb" });
  for (const name of generated.names) assert.deepEqual(reread.columns[name], generated.columns[name], name);
  a.close(); b.close();
});

test("store info lists tables, datasets and runs (text and --json)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-cli-info-"));
  assert.equal((await cli(["synth", "table", "--flavour", "athle", "--n", "50", "--out", join(dir, "s.duckdb")])).code, 0);
  const text = await cli(["store", "info", join(dir, "s.duckdb")]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /datasets: athle 50/);
  assert.match(text.out, /run 2: synth table/);
  const json = JSON.parse((await cli(["store", "info", join(dir, "s.duckdb"), "--json"])).out);
  assert.equal(json.counts.persons, 50);
});

test("bad input exits 2 with the file, row, column and fix; bad options exit 2 naming the option", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-cli-bad-"));
  await writeFile(join(dir, "bad.csv"), "id,final_o,final_c,final_e,final_a,final_n,Birthyear,Birthmonth,Birthday,Type,Latitude,Longitude,Height,Weight\n1,7,6,6,7,4,1997,2,16,0,39.1,-112.0,tall,108\n");
  const r = await cli(["import", "--store", join(dir, "s.duckdb"), "--file", join(dir, "bad.csv")]);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.csv, row 2, column "Height": "tall" is not a number/);
  assert.match(r.err, /fix: /);
  const o = await cli(["synth", "table", "--flavour", "dog", "--out", join(dir, "x.csv")]);
  assert.equal(o.code, 2);
  assert.match(o.err, /--flavour/);
  const two = await cli(["export", "--store", join(dir, "s.duckdb"), "--csv", "a.csv", "--hf", "d"]);
  assert.equal(two.code, 2);
  const h = await cli(["--help"]);
  for (const name of ["synth", "import", "export", "store"]) assert.match(h.out, new RegExp(`\\n  ${name}`));
  for (const command of [["synth", "table"], ["import"], ["export"], ["store", "info"]]) {
    const help = await cli([...command, "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.out, new RegExp(`Usage: personax ${command.join(" ")}`));
  }
});
