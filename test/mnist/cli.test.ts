import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { assembleReport } from "../../src/report/build.ts";

test("personax crl bench-mnist --method mcl --json trains one replicate and saves the truth with --out", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mnist-cli-"));
  try {
    const io = recordingIo();
    const code = await runCli(["crl", "bench-mnist", "--method", "mcl", "--seed", "3", "--n", "120", "--epochs", "1", "--out", dir, "--json"], io);
    assert.equal(code, 0, io.stderr.join("\n"));
    const out = JSON.parse(io.stdout.join(""));
    assert.deepEqual(Object.keys(out).slice(0, 6), ["method", "seed", "mcc", "r2", "r2HeldOut", "secondsPerEpoch"]);
    assert.equal(out.method, "mcl");
    assert.equal(out.seed, 3);
    assert.ok(out.mcc > 0 && out.mcc <= 1);
    for (const f of ["truth.csv", "dag.json", "split.json", "samples.png", "latents.csv", "result.json"]) assert.ok(existsSync(join(dir, f)), f);
    assert.ok(!existsSync(join(dir, "traversal-digit_z1.png")), "MCL has no decoder to traverse");
    const dag = JSON.parse(readFileSync(join(dir, "dag.json"), "utf8"));
    assert.deepEqual(dag.latents, ["Z11", "Z12", "Z21", "Z22"]);
    assert.equal(readFileSync(join(dir, "truth.csv"), "utf8").trim().split("\n").length, 121);
    assert.equal(JSON.parse(readFileSync(join(dir, "split.json"), "utf8")).test.length, 12);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("personax crl bench-mnist --method personax --out also writes one latent traversal grid per learned latent, and personax report draws the folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mnist-cli-"));
  try {
    const io = recordingIo();
    assert.equal(await runCli(["crl", "bench-mnist", "--method", "personax", "--seed", "1", "--n", "100", "--epochs", "1", "--out", dir], io), 0, io.stderr.join("\n"));
    assert.match(io.stdout.join(""), /MCC \d\.\d{3}/);
    for (const latent of ["digit_z1", "digit_z2", "item_z1", "item_z2"]) assert.ok(existsSync(join(dir, `traversal-${latent}.png`)), latent);
    // The folder is a run the report draws: scores beside the paper's row, the samples and every traversal inlined.
    assert.equal(JSON.parse(readFileSync(join(dir, "personax-run.json"), "utf8")).kind, "crl-mnist");
    const report = join(dir, "report.html");
    await assembleReport([{ run: dir }], { out: report, title: "variant MNIST" });
    const html = readFileSync(report, "utf8");
    assert.match(html, /Variant MNIST: personax, seed 1/);
    assert.match(html, /the paper \(mean of its runs\)<\/td><td[^>]*>0\.92</);
    assert.equal(html.match(/<img src="data:image\/png;base64,/g)?.length, 5, "samples + four traversal grids");
    for (const latent of ["digit_z1", "digit_z2", "item_z1", "item_z2"]) assert.match(html, new RegExp(`traversal of ${latent}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("personax crl bench-mnist rejects an unknown method with exit code 2 and lists the methods", async () => {
  const io = recordingIo();
  assert.equal(await runCli(["crl", "bench-mnist", "--method", "pca", "--n", "100"], io), 2);
  assert.match(io.stderr.join("\n"), /personax/);
  assert.match(io.stderr.join("\n"), /betavae/);
});
