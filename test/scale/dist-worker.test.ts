import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runLevel1 } from "../../src/citest/level1.ts";
import { readCsvTable } from "../../src/citest/table.ts";
import { JobQueue } from "../../src/scale/producer.ts";
import { level1OnQueue } from "../../src/scale/level1-queue.ts";
import { redisAvailable, startRedis } from "./redis-server.ts";

const root = new URL("../../", import.meta.url).pathname;
const built = existsSync(join(root, "dist", "cli", "main.js"));
const skip = !redisAvailable() ? "redis-server is not installed (scripts/setup-system.sh installs it)"
  : !built ? "no dist/ build (npm ci and npm run build make it)" : false;

test("the installed form: `personax worker` from the compiled dist/ (no tsx) runs its compute threads from dist/ and equals a local run", { skip }, async () => {
  const redis = await startRedis();
  // PERSONAX_DIST=1: bin/personax.js runs dist/cli/main.js and registers no TypeScript loader, as when installed from npm.
  const child = spawn(process.execPath, ["bin/personax.js", "worker", "--redis", redis.url, "--concurrency", "1", "--lock-duration", "4000", "--stalled-interval", "1000"],
    { cwd: root, env: { ...process.env, PERSONAX_DIST: "1", NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "", stdout = "";
  child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
  child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const queue = await JobQueue.open({ redisUrl: redis.url });
  try {
    const data = readCsvTable(join(root, "test", "fixtures", "data", "athle_n500_s0.csv"));
    const spec = { data, rows: ["final_o", "final_c"], cols: ["Height", "Weight"], tests: ["kci", "fisherz"], seed: 5 };
    const local = await runLevel1({ ...spec, workers: 0 });
    const remote = await runLevel1({ ...spec, runCells: level1OnQueue(queue) });
    const cells = (r: typeof local) => r.tests.map(({ seconds: _, ...rest }) => rest);
    assert.deepStrictEqual(cells(remote), cells(local));
  } finally {
    await queue.close();
    child.kill("SIGTERM");
    await exited;
    await redis.stop();
  }
  assert.match(stdout, /^8 jobs done, 0 failed/m, stderr);
  assert.doesNotMatch(stderr, /tsx|\.ts:\d/, "the compiled worker loaded TypeScript");
});
