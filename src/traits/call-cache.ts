import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * The runner's cache of LLM calls, kept IN the dataset store (table `llm_calls`). Write-ahead: each request
 * is inserted with status "sent" BEFORE it goes out; its reply then fills the row as "received" BEFORE it is
 * parsed, so paid output survives a crash, a kill or a parser bug, and parsing sets the final status. A row
 * still "sent" when a run starts is a request an earlier run had in flight when it stopped: its reply is
 * lost (the provider may have billed it), the row becomes "lost" and the task is asked again. A request that
 * failed (HTTP error, timeout) becomes "error". A task (one person × model × protocol × repeat) is complete
 * when it has a row with a final status, and a rerun makes no new call for it.
 */
export type CallStatus = "sent" | "lost" | "error" | "received" | "ok" | "invalid" | "refused";

/** Rows that hold a reply (the others record requests without one). */
export const REPLY_STATUSES: readonly CallStatus[] = ["received", "ok", "invalid", "refused"];

export interface CallRow {
  callKey: string;
  llm: string;
  provider: string;
  model: string;
  protocol: string;
  protocolVersion: number;
  paramsHash: string;
  personId: string;
  repeat: number;
  /** 1-based attempt within the task (a validation retry is a new attempt). */
  attempt: number;
  rawReply: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface StoredCall extends CallRow {
  id: number;
  status: CallStatus;
  error: string | null;
  /** The last attempt of a task that ended "invalid" is final; earlier invalid attempts were retried. */
  final: boolean;
  /** When the reply was stored (read back from the table; unset on a call built in memory). */
  createdAt?: Date;
}

export const LLM_CALLS_DDL = `
CREATE SEQUENCE IF NOT EXISTS llm_calls_id START 1;
CREATE TABLE IF NOT EXISTS llm_calls (
  id BIGINT PRIMARY KEY DEFAULT nextval('llm_calls_id'),
  call_key VARCHAR NOT NULL,
  llm VARCHAR NOT NULL,
  provider VARCHAR NOT NULL,
  model VARCHAR NOT NULL,
  protocol VARCHAR NOT NULL,
  protocol_version INTEGER NOT NULL,
  params_hash VARCHAR NOT NULL,
  person_id VARCHAR NOT NULL,
  repeat INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  raw_reply VARCHAR NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd DOUBLE NOT NULL,
  status VARCHAR NOT NULL,
  error VARCHAR,
  final BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);`;

export class CallCache {
  /** One statement at a time on the shared connection; workers run concurrently. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly connection: DuckDBConnection) {}

  static async open(connection: DuckDBConnection): Promise<CallCache> {
    // Checked first so that a store opened read-only (e.g. for reporting) can still be read.
    const exists = await connection.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'llm_calls'`);
    if (Number(exists.getRows()[0]![0]) === 0) await connection.run(LLM_CALLS_DDL);
    return new CallCache(connection);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Inserts a request as "sent" (no reply yet) and returns its row id. Called before the request goes out. */
  recordRequest(row: Omit<CallRow, "rawReply" | "inputTokens" | "outputTokens" | "costUsd">): Promise<number> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        `INSERT INTO llm_calls (call_key, llm, provider, model, protocol, protocol_version, params_hash, person_id, repeat, attempt,
           raw_reply, input_tokens, output_tokens, cost_usd, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', 0, 0, 0, 'sent') RETURNING id`,
        [row.callKey, row.llm, row.provider, row.model, row.protocol, row.protocolVersion, row.paramsHash, row.personId, row.repeat, row.attempt],
      );
      return Number(reader.getRows()[0]![0]);
    });
  }

  /** Stores the reply of a sent request as "received". Called before any parsing. */
  recordReply(id: number, reply: Pick<CallRow, "rawReply" | "inputTokens" | "outputTokens" | "costUsd">): Promise<void> {
    return this.serial(async () => {
      await this.connection.run(`UPDATE llm_calls SET raw_reply = $1, input_tokens = $2, output_tokens = $3, cost_usd = $4, status = 'received' WHERE id = $5`,
        [reply.rawReply, reply.inputTokens, reply.outputTokens, reply.costUsd, id]);
    });
  }

  /** A sent request that got no reply (HTTP error, timeout, cut connection). */
  recordFailure(id: number, message: string): Promise<void> {
    return this.serial(async () => {
      await this.connection.run(`UPDATE llm_calls SET status = 'error', error = $1 WHERE id = $2`, [message, id]);
    });
  }

  /** Removes the record of a request the server refused with an error status (nothing was billed). */
  forgetRequest(id: number): Promise<void> {
    return this.serial(async () => {
      await this.connection.run(`DELETE FROM llm_calls WHERE id = $1 AND status = 'sent'`, [id]);
    });
  }

  /** Marks the requests an earlier run left "sent" as "lost"; returns them (their replies never reached the store). */
  markLostRequests(): Promise<Array<{ callKey: string; llm: string; personId: string }>> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(`UPDATE llm_calls SET status = 'lost' WHERE status = 'sent' RETURNING call_key, llm, person_id`);
      return reader.getRowObjectsJS().map((r) => ({ callKey: String(r.call_key), llm: String(r.llm), personId: String(r.person_id) }));
    });
  }

  /** Gives the calls of a task the current display name of its model (the config's `name`). */
  relabel(callKey: string, llm: string): Promise<void> {
    return this.serial(async () => {
      await this.connection.run(`UPDATE llm_calls SET llm = $1 WHERE call_key = $2`, [llm, callKey]);
    });
  }

  setOutcome(id: number, status: "ok" | "invalid" | "refused", error: string | null, final: boolean): Promise<void> {
    return this.serial(async () => {
      await this.connection.run(`UPDATE llm_calls SET status = $1, error = $2, final = $3 WHERE id = $4`, [status, error, final, id]);
    });
  }

  /** Every stored call, oldest first (optionally only those of the given keys). */
  calls(filter?: { llm?: string; protocol?: string }): Promise<StoredCall[]> {
    return this.serial(async () => {
      const where: string[] = [];
      const params: string[] = [];
      if (filter?.llm) { params.push(filter.llm); where.push(`llm = $${params.length}`); }
      if (filter?.protocol) { params.push(filter.protocol); where.push(`protocol = $${params.length}`); }
      const reader = await this.connection.runAndReadAll(
        `SELECT * FROM llm_calls ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY id`, params);
      return reader.getRowObjectsJS().map((r) => ({
        id: Number(r.id), callKey: String(r.call_key), llm: String(r.llm), provider: String(r.provider), model: String(r.model),
        protocol: String(r.protocol), protocolVersion: Number(r.protocol_version), paramsHash: String(r.params_hash),
        personId: String(r.person_id), repeat: Number(r.repeat), attempt: Number(r.attempt), rawReply: String(r.raw_reply),
        inputTokens: Number(r.input_tokens), outputTokens: Number(r.output_tokens), costUsd: Number(r.cost_usd),
        status: String(r.status) as CallStatus, error: r.error === null ? null : String(r.error), final: Boolean(r.final),
        createdAt: r.created_at instanceof Date ? r.created_at : undefined,
      }));
    });
  }

  /** Calls that hold a reply, grouped by task key. */
  async byKey(): Promise<Map<string, StoredCall[]>> {
    const grouped = new Map<string, StoredCall[]>();
    for (const call of await this.calls()) {
      if (!REPLY_STATUSES.includes(call.status)) continue;
      const list = grouped.get(call.callKey) ?? [];
      list.push(call);
      grouped.set(call.callKey, list);
    }
    return grouped;
  }

  /** Total tokens and spend recorded so far. */
  async totals(): Promise<{ calls: number; inputTokens: number; outputTokens: number; costUsd: number }> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        `SELECT count(*) AS n, coalesce(sum(input_tokens), 0) AS i, coalesce(sum(output_tokens), 0) AS o, coalesce(sum(cost_usd), 0) AS c FROM llm_calls`);
      const r = reader.getRowObjectsJS()[0]!;
      return { calls: Number(r.n), inputTokens: Number(r.i), outputTokens: Number(r.o), costUsd: Number(r.c) };
    });
  }
}
