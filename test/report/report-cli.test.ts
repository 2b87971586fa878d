import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { MANIFEST_FILE, readManifest } from "../../src/report/manifest.ts";
import { makeUserRuns } from "./user-runs.ts";

test("personax report builds one self-contained page from level1, discover pc and crl train folders", async () => {
  const dir = mkdtempSync(join(tmpdir(), "report-cli-"));
  try {
    const runs = await makeUserRuns(dir);
    // Each command left a manifest: what ran, parameters, seed, versions, timings.
    const l1 = await readManifest(runs.level1);
    assert.equal(l1.kind, "level1");
    assert.deepEqual(l1.params["tests"], ["fisherz", "chisq"]);
    assert.equal((l1.params["cols"] as string[]).length, 16);
    assert.ok(l1.files.includes("fisherz.json") && l1.files.includes("truth.json"), l1.files.join(","));
    assert.ok(l1.timings["fisherz"]! >= 0 && l1.seconds >= 0);
    assert.match(l1.version.personax, /^\d+\.\d+\.\d+/);
    const pc = await readManifest(runs.pc);
    assert.equal(pc.kind, "discover-pc");
    assert.equal(pc.seed, 1);
    assert.equal(pc.params["bootstrap"], 5);
    const crl = await readManifest(runs.crl);
    assert.equal(crl.kind, "crl-train");
    assert.ok(crl.timings["secondsPerEpoch"]! > 0);

    const out = join(dir, "site", "report.html");
    const io = recordingIo();
    assert.equal(await runCli(["report", "--from", runs.level1, "--from", runs.pc, "--from", runs.crl, "--out", out], io), 0, io.stderr.join("\n"));
    const html = readFileSync(out, "utf8");
    assert.deepEqual([...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]), ["level1", "discover-pc", "crl-train"]);
    // Self-contained: nothing loaded from elsewhere; the script is inline.
    assert.doesNotMatch(html, /<script src=|<link |<img src="(?!data:)|https?:\/\/(?!www\.w3\.org)/);
    assert.match(html, /<script>/);
    // Relative paths, a readable date, no empty header rows.
    assert.ok(!html.includes(dir), "no absolute path of the run folders");
    assert.match(html, /href="\.\.\/l1\/"/);
    assert.match(html, /Generated \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC/);
    assert.doesNotMatch(html, /<tr>(<th>\s*<\/th>)+<\/tr>/);
    // Level I: one heatmap per score source (final + 3 LLMs) per test, truth outlines, p-value histograms.
    assert.equal((html.match(/fisherz · /g) ?? []).length, 4);
    assert.match(html, /true direct link/);
    assert.match(html, /fisherz: p-values/);
    assert.match(html, /false-positive rate/);
    // PC: the graph, its CI tests' p-values; CRL: each loss component, MCC/R², true and learned latent graphs.
    assert.match(html, /p-values of PC&apos;s tests/);
    for (const chart of ["Total loss", "Reconstruction", "Prior NLL", "Sparsity", "CRL recovery of the true latents", "true latent DAG", "learned, matched to the truth"]) {
      assert.ok(html.includes(chart), chart);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("personax report names a folder without a manifest and exits 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "report-bad-"));
  try {
    mkdirSync(join(dir, "empty"));
    const io = recordingIo();
    assert.equal(await runCli(["report", "--from", join(dir, "empty"), "--out", join(dir, "r.html")], io), 2);
    assert.match(io.stderr.join("\n"), new RegExp(`${MANIFEST_FILE}`));
    mkdirSync(join(dir, "odd"));
    writeFileSync(join(dir, "odd", MANIFEST_FILE), JSON.stringify({ format: "personax-run/1", kind: "mystery", params: {} }));
    const io2 = recordingIo();
    assert.equal(await runCli(["report", "--from", join(dir, "odd"), "--out", join(dir, "r.html")], io2), 2);
    assert.match(io2.stderr.join("\n"), /mystery.*known kinds: level1/s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
