import type { CiQueryFn } from "../../citest/types.ts";

/** One call PC made to the CI test, as PC passed it (x, y unsorted), with whether the cache answered. */
export interface CiRecord {
  x: number;
  y: number;
  S: number[];
  p: number;
  cached: boolean;
}

/** A canonical query: x < y, S sorted and de-duplicated. */
export interface CiKey {
  x: number;
  y: number;
  S: number[];
}

export function canonicalQuery(x: number, y: number, S: readonly number[]): CiKey {
  const set = [...new Set(S)].sort((a, b) => a - b);
  return x < y ? { x, y, S: set } : { x: y, y: x, S: set };
}

/** "x;y|s1,s2" with x < y and S sorted, the key causal-learn's CIT_Base caches under. */
export function ciKey(x: number, y: number, S: readonly number[]): string {
  const q = canonicalQuery(x, y, S);
  return `${q.x};${q.y}|${q.S.join(",")}`;
}

/**
 * Runs CI queries for PC through a p-value cache keyed by the canonical (x, y, S) and logs every call.
 * As causal-learn's CIT does, the test itself always receives the canonical form (x < y, S sorted), so
 * a test that is not perfectly symmetric in x and y still gives one answer per key.
 *
 * `prefetch` stores p-values computed elsewhere (worker threads) without marking them as seen: the log's
 * `cached` flag still means "this key was already asked earlier in the sequential order", so parallel and
 * sequential runs produce the same log.
 */
export class CiRunner {
  readonly log: CiRecord[] = [];
  private readonly cache = new Map<string, number>();
  private readonly prefetched = new Map<string, number>();
  /** Called after each test this runner computes itself (not for cached or prefetched answers); for progress. */
  onCompute: (() => void) | undefined;

  constructor(private readonly query: CiQueryFn, private readonly record = true) {}

  pValue(x: number, y: number, S: readonly number[]): number {
    const key = ciKey(x, y, S);
    let p = this.cache.get(key);
    const cached = p !== undefined;
    if (p === undefined) {
      p = this.prefetched.get(key);
      if (p === undefined) {
        const q = canonicalQuery(x, y, S);
        p = this.query(q.x, q.y, q.S).pValue;
        this.onCompute?.();
      } else {
        this.prefetched.delete(key);
      }
      this.cache.set(key, p);
    }
    if (this.record) this.log.push({ x, y, S: [...S], p, cached });
    return p;
  }

  /** Whether a key is already known (asked before or prefetched). */
  knows(key: string): boolean {
    return this.cache.has(key) || this.prefetched.has(key);
  }

  prefetch(key: string, p: number): void {
    if (!this.cache.has(key)) this.prefetched.set(key, p);
  }

  /** Distinct queries actually answered (= tests computed). */
  get uniqueTests(): number {
    return this.cache.size;
  }
}
