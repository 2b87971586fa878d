import type { ComputeJobKind } from "./compute-jobs.ts";

/** Messages between a queue worker and its compute threads (compute-pool.ts ↔ compute-thread.ts). */
export interface ComputeRequest {
  seq: number; kind: ComputeJobKind; payload: unknown;
  /** The shared data the job reads; none for jobs that make their own (CRL runs). */
  dataId?: string; dataBytes?: Uint8Array;
}
export type ComputeReply =
  | { seq: number; ok: true; result: unknown }
  | { seq: number; ok: false; error: { name: string; message: string; code?: string } };

/** The reply code asking for the data to be sent (the thread dropped it, or never had it). */
export const NO_DATA = "E_NO_DATA";
