import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordingIo } from "../../src/cli/io.ts";
import { discoverySection } from "../../src/demo/discovery-section.ts";

test("the demo's discovery section runs discoverPc into a folder with the true CPDAG beside it and scores PC against it (quick)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "demo-disc-"));
  const artifacts = new Map<string, unknown>();
  const section = await discoverySection.run({ dir, seed: 20260, io: recordingIo(), quick: true, artifacts });
  assert.equal((section.html.match(/<svg/g) ?? []).length, 1, "the true DAG; the learned and true CPDAGs are drawn from the folder");
  assert.deepEqual(section.runs, [join(dir, "discovery")]);
  for (const f of ["personax-run.json", "truth-graph.json", "data.csv"]) assert.ok(existsSync(join(dir, "discovery", f)), f);
  const scores = artifacts.get("discovery") as { shd: number; adjacencyF1: number };
  // 500 rows of strong linear-Gaussian signal: PC should find most adjacencies.
  assert.ok(scores.adjacencyF1 > 0.7, `adjacency F1 ${scores.adjacencyF1}`);
  assert.ok(existsSync(join(dir, "discovery", "graph.json")));
});
