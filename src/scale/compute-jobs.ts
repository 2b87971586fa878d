/**
 * The CPU-bound job kinds, as pure functions of their payload and the shared data they name. They run on
 * a worker's compute threads (compute-thread.ts) and compute exactly what the local code path computes,
 * so a result does not depend on where it was computed.
 */
import { runCell, type CellOutcome, type CellTask } from "../citest/level1.ts";
import { Level1Columns } from "../citest/level1-fast.ts";
import type { NumericTable } from "../citest/table.ts";
import { bootstrapReplicate, type EdgeType } from "../discovery/bootstrap.ts";
import { prepareRegistryTest } from "../discovery/ci-tests.ts";
import { knowledgeFromSpec, type KnowledgeSpec } from "../discovery/knowledge.ts";
import type { UcPriority, UcRule } from "../discovery/pc/colliders.ts";
import { fromColumns, type Matrix } from "../linalg/matrix.ts";
import { Rng } from "../util/rng.ts";
import type { CaseRunSpec, CaseRunSummary } from "./crl-sweep.ts";
import type { NamedColumns } from "./data-blob.ts";

export interface Level1CellPayload { data: string; task: CellTask }

export interface PcReplicatePayload {
  /** Blob of the complete-row data matrix, one column per node. */
  data: string;
  nodes: string[];
  test: string;
  testOptions?: Record<string, unknown>;
  knowledge?: KnowledgeSpec;
  alpha?: number;
  depth?: number;
  ucRule?: UcRule;
  ucPriority?: UcPriority | -1;
  faithful?: boolean;
  seed: number;
  replicate: number;
}

/** Shared data decoded once per thread, with what each job kind derives from it. */
export class SharedData {
  private tableCache?: { table: NumericTable; columns: Level1Columns };
  private matrixCache?: Matrix;
  constructor(readonly data: NamedColumns) {}

  table(): { table: NumericTable; columns: Level1Columns } {
    if (!this.tableCache) {
      const table: NumericTable = { source: this.data.source, names: this.data.names, rows: this.data.rows,
        columns: new Map(this.data.names.map((n, i) => [n, this.data.columns[i]!])) };
      this.tableCache = { table, columns: new Level1Columns(table) };
    }
    return this.tableCache;
  }

  matrix(): Matrix {
    this.matrixCache ??= fromColumns(this.data.columns);
    return this.matrixCache;
  }
}

export function runLevel1CellJob(payload: Level1CellPayload, shared: SharedData): CellOutcome {
  const { table, columns } = shared.table();
  return runCell(table, payload.task, columns);
}

export function runPcReplicateJob(p: PcReplicatePayload, shared: SharedData): EdgeType[] {
  const knowledge = p.knowledge ? knowledgeFromSpec(p.nodes, p.knowledge) : undefined;
  return bootstrapReplicate(shared.matrix(), p.nodes, (d) => prepareRegistryTest(p.test, d, p.testOptions, p.nodes),
    { alpha: p.alpha, depth: p.depth, knowledge, ucRule: p.ucRule, ucPriority: p.ucPriority, faithful: p.faithful }, new Rng(p.seed), p.replicate);
}

/** A CRL run of a synthetic case: draws its own data from the seed, so it needs no shared data. */
async function runCrlCaseJob(spec: CaseRunSpec): Promise<CaseRunSummary> {
  // Loaded on the first CRL job: threads that serve only Level I and PC jobs never load the training code.
  const { runCaseSpec } = await import("./crl-sweep.ts");
  return runCaseSpec(spec);
}

/** CPU job kinds by name; each reads the shared data blob its payload names (if it names one). */
export const computeJobs = {
  "level1-cell": (payload: unknown, shared?: SharedData) => runLevel1CellJob(payload as Level1CellPayload, needData(shared)),
  "pc-replicate": (payload: unknown, shared?: SharedData) => runPcReplicateJob(payload as PcReplicatePayload, needData(shared)),
  "crl-run": (payload: unknown) => runCrlCaseJob(payload as CaseRunSpec),
} as const satisfies Record<string, (payload: unknown, shared?: SharedData) => unknown>;

function needData(shared: SharedData | undefined): SharedData {
  if (!shared) throw new Error("job payload names no data");
  return shared;
}
export type ComputeJobKind = keyof typeof computeJobs;
