import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { openStore } from "../../src/dataset/store.ts";
import { generateMultimodal } from "../../src/synth/multimodal.ts";
import { Rng } from "../../src/util/rng.ts";
import { readCrlLatents } from "../../src/crl/store-io.ts";

test("personax crl bench-case a --json trains on a synthetic case and reports MCC/R²", async () => {
  const io = recordingIo();
  const code = await runCli(["crl", "bench-case", "a", "--seed", "2", "--n", "300", "--epochs", "2", "--json"], io);
  assert.equal(code, 0, io.stderr.join("\n"));
  const out = JSON.parse(io.stdout.join(""));
  assert.equal(out.case, "a");
  assert.equal(out.epochs, 2);
  assert.ok(out.mcc > 0 && out.mcc <= 1);
  assert.ok(Number.isFinite(out.r2));
});

test("personax crl bench-case rejects an unknown case and a bad mode with exit code 2", async () => {
  const io = recordingIo();
  assert.equal(await runCli(["crl", "bench-case", "z", "--n", "100", "--epochs", "1"], io), 2);
  assert.match(io.stderr.join("\n"), /a, b, c, d, e/);
  assert.equal(await runCli(["crl", "bench-case", "a", "--mode", "fast"], recordingIo()), 2);
});

test("personax crl train --config (synthetic) writes latents, curves and the PC graph; crl eval scores them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crl-cli-"));
  try {
    const config = {
      data: { synthetic: { case: "a", seed: 3, nSamples: 400 } },
      model: { hidden: [16, 8] },
      train: { epochs: 3, evalEvery: 3, batchSize: 128 },
      out: "run",
    };
    writeFileSync(join(dir, "crl.json"), JSON.stringify(config));
    const io = recordingIo();
    assert.equal(await runCli(["crl", "train", "--config", join(dir, "crl.json"), "--json"], io), 0, io.stderr.join("\n"));
    const summary = JSON.parse(io.stdout.join(""));
    assert.equal(summary.rows, 400);
    assert.equal(summary.epochs, 3);
    for (const f of ["latents.csv", "curves.json", "loss.png", "pc-graph.json", "pc-graph.svg", "run.json"]) assert.ok(existsSync(join(dir, "run", f)), f);
    const header = readFileSync(join(dir, "run", "latents.csv"), "utf8").split("\n")[0];
    assert.equal(header, "id,split,m1_z1,m1_z2,m2_z1,m2_z2");

    const evalIo = recordingIo();
    assert.equal(await runCli(["crl", "eval", "--run", join(dir, "run"), "--json"], evalIo), 0, evalIo.stderr.join("\n"));
    const scored = JSON.parse(evalIo.stdout.join(""));
    assert.equal(scored.rows, 40);
    // The same latents and truth as the trainer's last evaluation (up to the CSV's float32 round trip).
    assert.ok(Math.abs(scored.mcc - summary.final.mcc) < 1e-6, `${scored.mcc} vs ${summary.final.mcc}`);
    assert.ok(Number.isInteger(scored.shd));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("personax crl train on a store's embeddings writes the latents back into crl_latents", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crl-store-"));
  try {
    const storePath = join(dir, "p.duckdb");
    const n = 120;
    const data = generateMultimodal({ nSamples: n, sharedDim: 1, modalities: [{ name: "face", latentDim: 2, obsDim: 6, measurements: 2 }, { name: "text", latentDim: 2, obsDim: 6, measurements: 3 }] }, new Rng(1));
    const store = await openStore(storePath);
    const ids = Array.from({ length: n }, (_, i) => `p${String(i).padStart(4, "0")}`);
    const rows = data.observations.flatMap((ms, m) => ms.flatMap((x, k) => ids.map((id, i) => ({
      person_id: id, kind: (m === 0 ? "face" : "text") as "face" | "text", measurement: k, model: "toy", vector: Float32Array.from(x.data.subarray(i * 6, (i + 1) * 6)),
    }))));
    // One person without text embeddings: left out of the CRL data.
    await store.writeEmbeddings(rows.filter((r) => !(r.person_id === "p0007" && r.kind === "text")));
    store.close();
    writeFileSync(join(dir, "crl.json"), JSON.stringify({
      data: { store: "p.duckdb", modalities: [{ name: "face", kind: "face", latentDim: 2 }, { name: "text", kind: "text", latentDim: 2 }] },
      model: { sharedDim: 1, hidden: [8] },
      train: { epochs: 2, evalEvery: 2, batchSize: 0 },
      out: "out",
    }));
    const io = recordingIo();
    assert.equal(await runCli(["crl", "train", "--config", join(dir, "crl.json"), "--json"], io), 0, io.stderr.join("\n"));
    const summary = JSON.parse(io.stdout.join(""));
    assert.equal(summary.rows, n - 1);
    assert.ok(summary.storeRunId > 0);
    const reopened = await openStore(storePath, { readOnly: true });
    try {
      const back = await readCrlLatents(reopened, summary.storeRunId);
      assert.equal(back.ids.length, n - 1);
      assert.ok(!back.ids.includes("p0007"));
      assert.deepEqual(back.names, ["S1", "face_z1", "face_z2", "text_z1", "text_z2"].sort());
    } finally {
      reopened.close();
    }
    const evalIo = recordingIo();
    assert.equal(await runCli(["crl", "eval", "--run", join(dir, "out")], evalIo), 2);
    assert.match(evalIo.stderr.join("\n"), /--truth/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("personax crl train names the config problem", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crl-badcfg-"));
  try {
    writeFileSync(join(dir, "crl.json"), JSON.stringify({ data: { synthetic: { case: "a" } }, train: { epochs: -1 } }));
    const io = recordingIo();
    assert.equal(await runCli(["crl", "train", "--config", join(dir, "crl.json")], io), 2);
    assert.match(io.stderr.join("\n"), /train\.epochs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
