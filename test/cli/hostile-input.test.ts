/**
 * Issue 16, items 4–9 (the LLM items are in test/traits/hostile.test.ts): impossible values, contradictory
 * PC knowledge, CRL configs, misleading CSV diagnostics, crashes and hangs, exit codes. Each case runs the
 * CLI and asserts the message (file, row, column, fix), the exit code, and that the store is as it was.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { openStore } from "../../src/dataset/store.ts";
import { storeState } from "../helpers/store-state.ts";

const root = new URL("../..", import.meta.url).pathname;
const CELEB = join(root, "test/fixtures/data/celeb_n1500_s0.csv");
const LINGAUSS = join(root, "test/fixtures/data/lingauss_n500_s0.csv");
let dir: string;
let store: string;
let header: string;
let rows: string[];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "personax-hostile-input-"));
  const lines = (await readFile(CELEB, "utf8")).split("\n");
  header = "id," + lines[0]!;
  rows = lines.slice(1, 6).map((l, i) => `h${i},${l}`);
  // A store with data in it: every failed command below must leave it byte-for-byte as it is.
  store = join(dir, "s.duckdb");
  await writeFile(join(dir, "good.csv"), [header, ...rows].join("\n") + "\n");
  const r = await cli("import", "--store", store, "--file", join(dir, "good.csv"));
  assert.equal(r.code, 0, r.err);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function cli(...args: string[]) {
  const io = recordingIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

let files = 0;
async function csv(lines: string[], ext = ".csv"): Promise<string> {
  const file = join(dir, `f${++files}${ext}`);
  await writeFile(file, lines.join("\n") + "\n");
  return file;
}

/** A celeb row `i` (0-based data row, file row i + 2) with some fields replaced (by column name). */
function row(i: number, changes: Record<string, string> = {}): string {
  const names = header.split(","), fields = rows[i]!.split(",");
  for (const [name, value] of Object.entries(changes)) fields[names.indexOf(name)] = value;
  fields[0] = `new${i}`;
  return fields.join(",");
}

/** Runs a command that must fail: exit code, every pattern in stderr, a fix line, and the store unchanged. */
async function refused(args: string[], code: number, patterns: RegExp[]): Promise<string> {
  const before = await storeState(store);
  const r = await cli(...args);
  assert.equal(r.code, code, `exit code of personax ${args.join(" ")}\n${r.err}`);
  for (const p of patterns) assert.match(r.err, p);
  assert.match(r.err, /\n {2}fix: /, "the message says how to fix it");
  assert.doesNotMatch(r.err, /run with --debug|at .*\.ts:\d+/, "no stack trace, no raw error");
  assert.deepEqual(await storeState(store), before, "the store is as it was");
  return r.err;
}

test("4. impossible values are refused on import with the file, row, column, range and fix; non-finite numbers everywhere", async () => {
  const importing = (file: string, ...more: string[]) => ["import", "--store", store, "--file", file, ...more];
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ "Weight(kg)": "Inf" }, /row 3, column "Weight\(kg\)": "Inf" is not a finite number/],
    [{ "Weight(kg)": "-inf" }, /row 3, column "Weight\(kg\)": "-inf" is not a finite number/],
    [{ "Height(cm)": "-170" }, /row 3, column "Height\(cm\)": -170 is outside 40\.\.280 \(an adult's height in cm\)/],
    [{ "Height(cm)": "1e300" }, /row 3, column "Height\(cm\)": 1e300 is outside 40\.\.280/],
    [{ final_o: "17" }, /row 3, column "final_o": 17 is outside 1\.\.10 \(an aggregated trait score\)/],
    [{ Gender_idx: "7" }, /row 3, column "Gender_idx": 7 is not a code of the released gender codes 0 and 1 \(0, 1\)/],
    [{ Year: "1990", Month: "2", Day: "31" }, /row 3, column "Day": the birth date 1990-2-31 \(year-month-day\) does not exist/],
    [{ Year: "1991", Month: "2", Day: "29" }, /row 3, column "Day": the birth date 1991-2-29/],
  ];
  for (const [changes, pattern] of cases) {
    const file = await csv([header, row(0), row(1, changes)]);
    await refused(importing(file), 2, [pattern, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))]);
  }
  // 29 February of a leap year is a date.
  const leap = await csv([header, row(0, { Year: "1992", Month: "2", Day: "29" })]);
  const s = await openStore(join(dir, "leap.duckdb"));
  s.close();
  assert.equal((await cli(...["import", "--store", join(dir, "leap.duckdb"), "--file", leap])).code, 0);
  // With --categories, a code the dictionary does not list is refused.
  const categories = join(dir, "categories.json");
  await writeFile(categories, JSON.stringify({ occupation: Array.from({ length: 15 }, (_, i) => `job ${i}`) }));
  const unknownCode = await csv([header, row(0), row(1, { Occupation_idx: "23" })]);
  await refused(importing(unknownCode, "--categories", categories), 2,
    [/row 3, column "Occupation_idx": 23 is not a code of the "occupation" dictionary \(0\.\.14\)/, /fix: use a listed code, or add the code to the categories file/]);
  // Level I and PC read CSV files with the same rule.
  const inf = await csv(["a,b", "1,2", "2,inf", "3,1", "4,5", "5,3", "6,2"]);
  await refused(["level1", "--data", inf, "--rows", "a", "--cols", "b", "--tests", "fisherz", "--out", join(dir, "l1-inf")], 2, [/row 3, column "b": "inf" is not a finite number/]);
  assert.equal(existsSync(join(dir, "l1-inf")), false);
});

test("5. contradictory background knowledge is refused by discover pc with exit 2, before anything is written", async () => {
  const pc = (...rules: string[]) => ["discover", "pc", "--data", LINGAUSS, "--cols", "X1,X2,X3,X4", ...rules, "--out", join(dir, "pc-k")];
  await refused(pc("--require", "X1->X2", "--require", "X2->X3", "--require", "X3->X1"), 2, [/required edges form a directed cycle: X1 -> X2 -> X3 -> X1/]);
  await refused(pc("--require", "X1->X2", "--require", "X2->X1"), 2, [/required edges X1 -> X2 and X2 -> X1 contradict each other/]);
  await refused(pc("--require", "X3->X3"), 2, [/required edge X3 -> X3 is a self-loop/]);
  await refused(pc("--forbid", "X2->X2"), 2, [/forbidden edge X2 -> X2 is a self-loop/]);
  await refused(pc("--tiers", "X1,X2;X2,X3"), 2, [/node "X2" is in tier 1 and in tier 2/, /fix: put every node in one tier only/]);
  await refused(pc("--tiers", "X1;X2", "--require", "X2->X1"), 2, [/required edge X2 -> X1 is against the tiers \(X2 is in tier 2, X1 in tier 1\)/]);
  assert.equal(existsSync(join(dir, "pc-k")), false, "no output folder for a refused run");
});

test("6. crl train: strict config (unknown field + nearest name), duplicate modalities, too few persons, constant embeddings, latentDim > inputDim fail before writing anything", async () => {
  const crlStore = join(dir, "crl.duckdb");
  const s = await openStore(crlStore);
  const ids = Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, "0")}`);
  await s.insertPersons(ids.map((id) => ({ id, flavour: "celeb", birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null,
    height_cm: null, weight_kg: null, occupation: null, gender: null, league: null })));
  const vector = (i: number, k: number, constant: boolean) => Float32Array.from({ length: 4 }, (_, j) => (constant ? 0.5 : Math.sin(i * 7.1 + j * 3.3 + k)));
  await s.writeEmbeddings(ids.flatMap((id, i) => [
    { person_id: id, kind: "face" as const, measurement: 0, model: "toy", vector: vector(i, 0, false) },
    { person_id: id, kind: "text" as const, measurement: 0, model: "toy", vector: vector(i, 1, true) },
  ]));
  s.close();
  const before = await storeState(crlStore);
  let configs = 0;
  const train = async (config: Record<string, unknown>, patterns: RegExp[]) => {
    const path = join(dir, `crl${++configs}.json`);
    await writeFile(path, JSON.stringify({ out: `crl-out-${configs}`, ...config }));
    const r = await cli("crl", "train", "--config", path);
    assert.equal(r.code, 2, r.err);
    for (const p of patterns) assert.match(r.err, p);
    assert.match(r.err, /\n {2}fix: /);
    assert.deepEqual(await storeState(crlStore), before, "the store is as it was (no orphan runs row, no latents)");
    assert.equal(existsSync(join(dir, `crl-out-${configs}`)), false, "no output folder");
  };
  const face = { name: "face", kind: "face", latentDim: 2 };
  await train({ data: { synthetic: { case: "a" } }, train: { epoch: 5000 } }, [/train\.epoch: unknown field \(did you mean "epochs"\?\)/]);
  await train({ data: { store: "crl.duckdb", modalities: [{ ...face, latnetDim: 3 }] } }, [/data\.modalities\[0\]\.latnetDim: unknown field \(did you mean "latentDim"\?\)/]);
  await train({ data: { store: "crl.duckdb", modalities: [face, { ...face }] } }, [/data\.modalities\[1\]\.name: modality name "face" is already used by modalities\[0\]/]);
  await train({ data: { store: "crl.duckdb", modalities: [{ ...face, latentDim: 9 }] } }, [/data\.modalities\[0\] \("face"\): latentDim 9 is larger than its input size 4/]);
  await train({ data: { store: "crl.duckdb", modalities: [face, { name: "text", kind: "text", latentDim: 2 }] } },
    [/every embedding of modality "text" is the same vector/]);
  await train({ data: { store: "crl.duckdb", modalities: [face] } }, [/12 persons are too few: the run needs at least 20 training rows and 10 evaluation rows/]);
});

test("7. CSV diagnostics name the real problem, the row and the fix: ragged rows, semicolons, duplicate headers (import, level1, pc)", async () => {
  const ragged = await csv([header, row(0), row(1) + ",99", row(2)]);
  const fields = header.split(",").length;
  for (const args of [["import", "--store", store, "--file", ragged],
    ["level1", "--data", ragged, "--rows", "final_o", "--cols", "Latitude", "--tests", "fisherz", "--out", join(dir, "l1-r")],
    ["discover", "pc", "--data", ragged, "--cols", "Latitude,Longitude", "--out", join(dir, "pc-r")]]) {
    const err = await refused(args, 2, [new RegExp(`row 3: this row has ${fields + 1} fields, the header has ${fields}`), /fix: quote fields that contain a ","/]);
    assert.doesNotMatch(err, /UTF-8|no such column/);
  }
  const semicolons = await csv([header.replaceAll(",", ";"), row(0).replaceAll(",", ";")]);
  for (const args of [["import", "--store", store, "--file", semicolons], ["level1", "--data", semicolons, "--rows", "final_o", "--cols", "Latitude", "--out", join(dir, "l1-s")]]) {
    await refused(args, 2, [/row 1: the header is one column with semicolons in it: the file is ";"-separated, not comma-separated/, /fix: save it with commas between fields/]);
  }
  const duplicate = await csv([header + ",Height(cm)", row(0) + ",180"]);
  for (const args of [["import", "--store", store, "--file", duplicate], ["level1", "--data", duplicate, "--rows", "final_o", "--cols", "Latitude", "--out", join(dir, "l1-d")]]) {
    const err = await refused(args, 2, [new RegExp(`row 1, column "Height\\(cm\\)": the header names this column twice \\(fields 2 and ${fields + 1}\\)`), /fix: rename or delete one of the two columns/]);
    assert.doesNotMatch(err, /Height\(cm\)_1/);
  }
  const short = await csv([header, row(0), row(1).split(",").slice(0, 10).join(",")]);
  await refused(["import", "--store", store, "--file", short], 2, [new RegExp(`row 3: this row has 10 fields, the header has ${fields}`), /fix: fill in the missing fields/]);
});

test("8. no crash, hang or raw system error: header-only CSV, a store under /proc, --out on a file, an unwritable folder, a closed pipe", async () => {
  const headerOnly = await csv(["final_o,Latitude"]);
  await refused(["level1", "--data", headerOnly, "--rows", "final_o", "--cols", "Latitude", "--out", join(dir, "l1-h")], 2, [/row 2: the file has a header but no data rows/]);
  await refused(["import", "--store", "/proc/personax/s.duckdb", "--file", join(dir, "good.csv")], 2, [/a store cannot live under \/proc/]);
  const aFile = join(dir, "i-am-a-file");
  await writeFile(aFile, "x");
  const good = await csv(["a,b", ...Array.from({ length: 30 }, (_, i) => `${i},${(i * 7) % 11}`)]);
  await refused(["level1", "--data", good, "--rows", "a", "--cols", "b", "--tests", "fisherz", "--out", aFile], 2,
    [/i-am-a-file: cannot create the folder: a file is in the way \(a folder was expected there\) \(EEXIST\)\n {2}fix: choose another path, or remove that file/]);
  await refused(["import", "--store", join(aFile, "s.duckdb"), "--file", good], 2, [/cannot create or write the store here: a part of the folder path is a file/]);

  // An unwritable folder: as root every folder is writable, so the CLI runs as "nobody" there.
  const locked = join(dir, "locked");
  await mkdir(locked);
  await chmod(dir, 0o755);
  await chmod(locked, 0o555);
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const denied = spawnSync(process.execPath, [join(root, "bin/personax.js"), "import", "--store", join(locked, "s.duckdb"), "--file", good],
    { cwd: root, encoding: "utf8", ...asNobody, env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json") } });
  assert.equal(denied.status, 2, denied.stderr);
  assert.match(denied.stderr, /locked\/s\.duckdb: cannot create or write the store here: permission denied/);
  assert.doesNotMatch(denied.stderr, /EACCES: permission denied, |at .*\.ts:\d+/);

  // `| head -c 0` closes the pipe before personax writes: no EPIPE stack trace, personax's own status.
  const piped = spawnSync("bash", ["-c", `node ${join(root, "bin/personax.js")} traits example-config | head -c 0; echo "status=\${PIPESTATUS[0]}" >&2`],
    { cwd: root, encoding: "utf8" });
  assert.doesNotMatch(piped.stderr, /EPIPE|Error|at /, piped.stderr);
  assert.match(piped.stderr, /status=0/);
});

test("9. exit codes: every Level I cell failing is exit 2 with the reason; PC on constant data is exit 2, not 1", async () => {
  const constant = await csv(["a,b,c", ...Array.from({ length: 30 }, (_, i) => `${i},3,${(i * 5) % 7}`)]);
  await refused(["level1", "--data", constant, "--rows", "a", "--cols", "b", "--tests", "fisherz,kci", "--out", join(dir, "l1-c")], 2,
    [/every one of the 2 Level I cells failed; the first: fisherz .*b.* is constant/]);
  assert.equal(existsSync(join(dir, "l1-c")), false);
  await refused(["discover", "pc", "--data", constant, "--cols", "a,b,c", "--out", join(dir, "pc-c")], 2, [/is constant/]);
});
