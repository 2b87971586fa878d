import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { openStore } from "../../src/dataset/store.ts";
import { parseLlmConfig } from "../../src/traits/config.ts";

async function cli(...args: string[]) {
  const io = recordingIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

test("personax traits/embed commands reject bad input with exit code 2 and a message that says how to fix it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-traits-cli-"));
  const savedKey = process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_API_KEY; // this test needs the key to be absent
  try {
    const store = join(dir, "s.duckdb");
    const s = await openStore(store);
    await s.insertPersons([{ id: "p1", flavour: "athle", birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null,
      height_cm: null, weight_kg: null, occupation: null, gender: null, league: null }]);
    s.close();
    const example = await cli("traits", "example-config");
    assert.equal(example.code, 0);
    const config = join(dir, "llm.json");
    await writeFile(config, example.out);
    assert.equal(parseLlmConfig(JSON.parse(example.out), config).models.length, 4);

    let r = await cli("traits", "infer", "--store", store, "--config", join(dir, "nope.json"));
    assert.equal(r.code, 2);
    assert.match(r.err, /nope\.json: cannot read the file \(ENOENT\)/);
    r = await cli("traits", "infer", "--store", store, "--config", config, "--protocols", "Number-L4-Inc");
    assert.equal(r.code, 2);
    assert.match(r.err, /--protocols: unknown protocol "Number-L4-Inc"/);
    r = await cli("traits", "infer", "--store", store, "--config", config);
    assert.equal(r.code, 2);
    assert.match(r.err, /no person in .* has a name for the prompts\n  fix: pass --identities names\.csv/);
    await writeFile(join(dir, "names.csv"), "id,name,context\np9,Someone,NBA\n");
    r = await cli("traits", "infer", "--store", store, "--config", config, "--identities", join(dir, "names.csv"));
    assert.equal(r.code, 2);
    assert.match(r.err, /names\.csv, row 2, column "id": person "p9" is not in the store/);
    await writeFile(join(dir, "names.csv"), "id,context\np1,NBA\n");
    r = await cli("traits", "infer", "--store", store, "--config", config, "--identities", join(dir, "names.csv"));
    assert.equal(r.code, 2);
    assert.match(r.err, /names\.csv, row 1, column "name": no such column\n  fix: use one of: id, context/);
    await writeFile(join(dir, "names.csv"), 'id,name,context\np1,Someone,"NBA, Eastern Conference"\n');
    r = await cli("traits", "infer", "--store", store, "--config", config, "--identities", join(dir, "names.csv"), "--models", "gpt");
    assert.equal(r.code, 2);
    assert.match(r.err, /environment variable OPENAI_API_KEY is not set/);
    r = await cli("traits", "infer", "--store", store, "--config", config, "--models", "gpt", "--dry-run");
    assert.equal(r.code, 0, "a dry run needs no key");
    assert.match(r.out, /Someone, a professional athlete \(league: NBA, Eastern Conference\)/);
    assert.match(r.out, /1 tasks: 0 already in the store, 1 to run; estimated \d+ input \+ 350 output tokens ≈ \$0\.00/);
    r = await cli("traits", "agreement", "--store", store);
    assert.equal(r.code, 2);
    assert.match(r.err, /no assessments under protocol Number-L3-Inc/);
    r = await cli("traits", "aggregate", "--store", store, "--protocol", "Number-L9-Inc");
    assert.equal(r.code, 2);
    assert.match(r.err, /--protocol: .*Number-L3-Inc/);
    r = await cli("traits", "aggregate", "--store", store, "--json");
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { protocol: "Number-L3-Inc", assessments: 0, persons: 0 });
    r = await cli("embed", "text", "--store", store);
    assert.equal(r.code, 2);
    assert.match(r.err, /no LLM descriptions under protocol Number-L3-Inc[\s\S]*fix: run 'personax traits infer' first/);
    const missing = join(dir, "typo.duckdb");
    for (const args of [["embed", "text", "--store", missing], ["traits", "aggregate", "--store", missing],
      ["embed", "release", "--store", missing, "--out", join(dir, "rel2", "r2.duckdb"), "--key", join(dir, "k2.json")]]) {
      r = await cli(...args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.err, /typo\.duckdb: no such store/, args.join(" "));
    }
    assert.equal(existsSync(missing), false, "a mistyped store path is not created");
    assert.equal(existsSync(join(dir, "rel2", "r2.duckdb")), false);
    r = await cli("embed", "release", "--store", store, "--out", join(dir, "rel", "r.duckdb"), "--key", join(dir, "rel", "key.json"));
    assert.equal(r.code, 2);
    assert.match(r.err, /is inside the release folder/);
    r = await cli("embed", "faces", "--store", store, "--images", join(dir, "no-such-folder"));
    assert.equal(r.code, 2);
    assert.match(r.err, /no-such-folder: no such file or folder/);
  } finally {
    if (savedKey !== undefined) process.env.OPENAI_API_KEY = savedKey;
    await rm(dir, { recursive: true, force: true });
  }
});
