import { test } from "node:test";
import assert from "node:assert/strict";
import { JobQueue } from "../../src/scale/producer.ts";
import { parseSeedList, runCaseSweepLocally, runCaseSweepOnQueue, sweepStats, type CaseRunSpec, type CaseRunSummary } from "../../src/scale/crl-sweep.ts";
import { redisAndWorkers, startWorker, waitForLog } from "./workers.ts";

const shared = redisAndWorkers();
const skip = shared.skip;

/** A small sweep: case a at n = 400, 4 epochs, seeds 1–3 (seconds of training each). */
const specs: CaseRunSpec[] = [1, 2, 3].map((seed) => ({ caseId: "a", seed, mode: "default", nSamples: 400, train: { epochs: 4, batchSize: 128 } }));

/** A run's summary without its wall-clock times (the only part that differs between runs and machines). */
function withoutTimes(run: CaseRunSummary) {
  const { secondsPerEpoch: _s, curves, ...rest } = run;
  const point = <T extends { seconds: number }>({ seconds: _t, ...p }: T) => p;
  return { ...rest, curve: curves.curve.map(point), epochs: curves.epochs.map(point), best: curves.best && point(curves.best), final: point(curves.final), stoppedEarly: curves.stoppedEarly };
}

test("a CRL sweep over seeds through two queue workers equals the local runs (scores and every loss of every epoch)", { skip }, async () => {
  shared.workers.push(startWorker(shared.redis.url, { concurrency: 1 }), startWorker(shared.redis.url, { concurrency: 1 }));
  const local = await runCaseSweepLocally(specs);
  await Promise.all(shared.workers.map((w) => waitForLog(w, /serving/)));
  const queue = await JobQueue.open({ redisUrl: shared.redis.url });
  try {
    const finished: number[] = [];
    const remote = await runCaseSweepOnQueue(queue, specs, (run) => finished.push(run.seed));
    assert.deepStrictEqual(remote.map(withoutTimes), local.map(withoutTimes));
    assert.deepStrictEqual([...finished].sort(), [1, 2, 3]);
    assert.ok(local.every((r) => typeof r.mcc === "number" && r.curves.epochs.length === 4), "the runs trained and were scored");
    assert.deepStrictEqual(sweepStats(remote, "mcc"), sweepStats(local, "mcc"));
  } finally {
    await queue.close();
  }
  await Promise.all(shared.workers.map((w) => w.stop()));
  const done = shared.workers.map((w) => w.completed());
  assert.equal(done[0]! + done[1]!, specs.length, `jobs per worker: ${done.join(", ")}`);
});

test("personax crl bench-case --seeds --queue prints the local sweep's scores and their mean, spread and worst seed", { skip }, async () => {
  const { runCli } = await import("../../src/cli/run-cli.ts");
  const { recordingIo } = await import("../../src/cli/io.ts");
  const worker = startWorker(shared.redis.url, { concurrency: 1 });
  try {
    const args = ["crl", "bench-case", "a", "--seeds", "1-2", "--n", "400", "--epochs", "4", "--batch-size", "128", "--json"];
    const local = recordingIo();
    assert.equal(await runCli(args, local), 0, local.stderr.join("\n"));
    await waitForLog(worker, /serving/);
    const queued = recordingIo();
    assert.equal(await runCli([...args, "--queue", shared.redis.url], queued), 0, queued.stderr.join("\n"));
    const scores = (io: ReturnType<typeof recordingIo>) => {
      const out = JSON.parse(io.stdout.join("\n")) as { seeds: number[]; stats: unknown; runs: CaseRunSummary[] };
      return { seeds: out.seeds, stats: out.stats, runs: out.runs.map(({ secondsPerEpoch: _, ...r }) => r) };
    };
    const l = scores(local);
    assert.deepStrictEqual(scores(queued), l);
    assert.deepStrictEqual(l.seeds, [1, 2]);
    assert.equal((l.stats as { mcc: { runs: number } }).mcc.runs, 2);
    const both = recordingIo();
    assert.equal(await runCli(["crl", "bench-case", "a", "--seed", "3", "--seeds", "1-2"], both), 2);
    assert.match(both.stderr.join("\n"), /--seed and --seeds/);
  } finally {
    await worker.stop();
  }
});

test("seed lists: single seeds, ranges, mixed; bad ones named", () => {
  assert.deepStrictEqual(parseSeedList("1-3,10"), [1, 2, 3, 10]);
  assert.deepStrictEqual(parseSeedList(" 7 "), [7]);
  assert.throws(() => parseSeedList("5-2"), /runs backwards/);
  assert.throws(() => parseSeedList("1,x"), /"x" is not a seed/);
  assert.throws(() => parseSeedList("1,1"), /a seed twice/);
  assert.throws(() => parseSeedList(""), /no seed/);
});
