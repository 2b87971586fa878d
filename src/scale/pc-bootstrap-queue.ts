import { checkReplicates, type EdgeType } from "../discovery/bootstrap.ts";
import type { BootstrapReplicatesJob } from "../discovery/discover.ts";
import type { PcReplicatePayload } from "./compute-jobs.ts";
import { jobId } from "./jobs.ts";
import type { JobQueue, QueueJob } from "./producer.ts";
import { PACKAGE_VERSION } from "./version.ts";

/**
 * A `runReplicates` for discoverPc that sends each bootstrap replicate to the queue as one job. The data
 * goes to Redis once; a replicate's id is its canonical key (data, test, knowledge, PC settings, seed,
 * replicate number, version), and replicate b draws its rows from `Rng(seed).fork(b)` wherever it runs,
 * so the summary equals the local bootstrap's.
 */
export function pcBootstrapOnQueue(queue: JobQueue) {
  return async (job: BootstrapReplicatesJob): Promise<EdgeType[][]> => {
    checkReplicates(job.replicates);
    const columns = job.nodes.map((_, j) => Float64Array.from({ length: job.data.rows }, (_, i) => job.data.data[i * job.data.cols + j]!));
    const data = await queue.putData({ source: "PC bootstrap data", names: job.nodes, rows: job.data.rows, columns });
    const settings = { test: job.test, knowledge: job.knowledge, alpha: job.alpha, depth: job.depth, ucRule: job.ucRule, ucPriority: job.ucPriority, faithful: job.faithful };
    const jobs: Array<QueueJob<PcReplicatePayload>> = Array.from({ length: job.replicates }, (_, b) => ({
      id: jobId("pc-replicate", PACKAGE_VERSION, data, settings, job.seed, b),
      kind: "pc-replicate",
      payload: { data, nodes: job.nodes, ...settings, seed: job.seed, replicate: b },
    }));
    return queue.runAll<EdgeType[]>(jobs, { onResult: (_, __, done) => job.onProgress?.(done, job.replicates) });
  };
}
