import type { CiQueryFn } from "../../citest/types.ts";
import { isIncreasing, SubsetRanks } from "../../stats/subset-rank.ts";

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
  // PC's subsets usually are increasing already: then no Set and no sort.
  const set = isIncreasing(S) ? S.slice() : [...new Set(S)].sort((a, b) => a - b);
  return x < y ? { x, y, S: set } : { x: y, y: x, S: set };
}

/** "x;y|s1,s2" with x < y and S sorted, the key causal-learn's CIT_Base caches under. */
export function ciKey(x: number, y: number, S: readonly number[]): string {
  const q = canonicalQuery(x, y, S);
  return `${q.x};${q.y}|${q.S.join(",")}`;
}

/**
 * Integer cache keys for queries over `n` nodes: the unordered pair plus the rank of the conditioning
 * set among all subsets (by size, then the combinatorial number system), so the cache needs no string
 * per query. When that number could exceed 2^53 (very many nodes and large sets) the key is the string
 * `ciKey` instead.
 */
export class QueryKeys {
  private readonly ranks: SubsetRanks;
  /** Largest set size whose keys stay exact integers. */
  private readonly safeSize: number;

  constructor(readonly n: number) {
    this.ranks = new SubsetRanks(n);
    let safe = -1;
    for (let k = 0; k <= n; k++) if (this.ranks.countUpTo(k) * n * n < 2 ** 52) safe = k;
    this.safeSize = safe;
  }

  key(x: number, y: number, S: readonly number[]): number | string {
    if (S.length > this.safeSize) return ciKey(x, y, S);
    const set = isIncreasing(S) ? S : canonicalQuery(x, y, S).S;
    const pair = x < y ? x * this.n + y : y * this.n + x;
    return this.ranks.rank(set) * this.n * this.n + pair;
  }
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
  private readonly cache = new Map<number | string, number>();
  private readonly prefetched = new Map<number | string, number>();
  private keys: QueryKeys | undefined;
  /** Called after each test this runner computes itself (not for cached or prefetched answers); for progress. */
  onCompute: (() => void) | undefined;

  constructor(private readonly query: CiQueryFn, private readonly record = true) {}

  /** Sizes the integer keys for `n` nodes; until then (or for larger indices) keys are strings. */
  setNodeCount(n: number): void {
    this.keys = new QueryKeys(n);
  }

  private keyOf(x: number, y: number, S: readonly number[]): number | string {
    const keys = this.keys;
    if (!keys || x >= keys.n || y >= keys.n || S.some((s) => s >= keys.n)) return ciKey(x, y, S);
    return keys.key(x, y, S);
  }

  pValue(x: number, y: number, S: readonly number[]): number {
    const key = this.keyOf(x, y, S);
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

  /** Whether a query is already known (asked before or prefetched). */
  knows(q: CiKey): boolean {
    const key = this.keyOf(q.x, q.y, q.S);
    return this.cache.has(key) || this.prefetched.has(key);
  }

  prefetch(q: CiKey, p: number): void {
    const key = this.keyOf(q.x, q.y, q.S);
    if (!this.cache.has(key)) this.prefetched.set(key, p);
  }

  /** Distinct queries actually answered (= tests computed). */
  get uniqueTests(): number {
    return this.cache.size;
  }
}
