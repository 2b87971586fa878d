import { UsageError } from "../errors.ts";

/**
 * Background knowledge for PC: forbidden and required directed edges and temporal tiers, by node index.
 * Mirrors causal-learn's BackgroundKnowledge (causallearn/utils/PCUtils/BackgroundKnowledge.py):
 * `isForbidden(a, b)` asks whether a → b is ruled out, `isRequired(a, b)` whether a → b must hold.
 *
 * Tiers: a node in a later tier cannot cause a node in an earlier tier. causal-learn also forbids edges
 * between two nodes of the *same* tier (its rule is `tier(a) >= tier(b)`), which bans every within-tier
 * edge; `forbidWithinTier: true` reproduces that, the default allows within-tier edges as Tetrad does.
 */
export class Knowledge {
  private readonly forbidden = new Set<string>();
  private readonly required = new Set<string>();
  private readonly tier = new Map<number, number>();

  constructor(readonly nodeCount: number, readonly forbidWithinTier = false) {}

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.nodeCount) throw new RangeError(`node index ${i} out of range 0..${this.nodeCount - 1}`);
  }

  /** Rules out from → to. */
  forbid(from: number, to: number): this {
    this.check(from), this.check(to);
    this.forbidden.add(`${from},${to}`);
    return this;
  }

  /** Demands from → to. */
  require(from: number, to: number): this {
    this.check(from), this.check(to);
    this.required.add(`${from},${to}`);
    return this;
  }

  /** Places `node` in tier `tier` (0 = earliest). */
  setTier(node: number, tier: number): this {
    this.check(node);
    if (!Number.isInteger(tier) || tier < 0) throw new RangeError(`tier must be a non-negative integer, got ${tier}`);
    this.tier.set(node, tier);
    return this;
  }

  /** Forbids every edge into each of `targets` (e.g. "no edge into the shared latents"). */
  forbidInto(targets: readonly number[]): this {
    for (const t of targets) for (let i = 0; i < this.nodeCount; i++) if (i !== t) this.forbid(i, t);
    return this;
  }

  isForbidden(from: number, to: number): boolean {
    if (this.forbidden.has(`${from},${to}`)) return true;
    const a = this.tier.get(from), b = this.tier.get(to);
    if (a !== undefined && b !== undefined) return this.forbidWithinTier ? a >= b : a > b;
    return false;
  }

  isRequired(from: number, to: number): boolean {
    return this.required.has(`${from},${to}`);
  }

  /** An edge ruled out in both directions: PC removes it without testing. */
  isBanned(a: number, b: number): boolean {
    return this.isForbidden(a, b) && this.isForbidden(b, a);
  }

  /** A plain description (for graph.json and reports). */
  describe(nodes: readonly string[]): { forbidden: string[][]; required: string[][]; tiers: string[][]; forbidWithinTier: boolean } {
    const pairs = (set: Set<string>) => [...set].map((k) => k.split(",").map((i) => nodes[Number(i)]!)).sort();
    const tiers: string[][] = [];
    for (const [node, t] of [...this.tier].sort((p, q) => p[0] - q[0])) (tiers[t] ??= []).push(nodes[node]!);
    return { forbidden: pairs(this.forbidden), required: pairs(this.required), tiers: Array.from(tiers, (t) => t ?? []), forbidWithinTier: this.forbidWithinTier };
  }
}

/** Knowledge stated with node names. */
export interface KnowledgeSpec {
  /** Directed edges [from, to] that must not appear. */
  forbid?: ReadonlyArray<readonly [string, string]>;
  /** Directed edges [from, to] that must appear (when the skeleton keeps the adjacency). */
  require?: ReadonlyArray<readonly [string, string]>;
  /** Ordered tiers of node names; later tiers cannot cause earlier ones. */
  tiers?: ReadonlyArray<readonly string[]>;
  /** Also forbid edges inside a tier, as causal-learn does (default false). */
  forbidWithinTier?: boolean;
  /** Nodes that receive no edges at all (every x → target forbidden). */
  noEdgesInto?: readonly string[];
}

/**
 * Builds the knowledge of a spec after refusing contradictions that PC would otherwise resolve silently (or
 * into a cyclic "DAG"): self-loops, a pair required both ways, required edges forming a directed cycle, a node
 * in two tiers, and a required edge that is also forbidden (directly, by the tiers or by noEdgesInto).
 */
export function knowledgeFromSpec(nodes: readonly string[], spec: KnowledgeSpec): Knowledge {
  const index = (name: string, where: string) => {
    const i = nodes.indexOf(name);
    if (i < 0) throw new UsageError(`${where}: unknown node "${name}"`, `use one of: ${nodes.join(", ")}`);
    return i;
  };
  validateKnowledgeSpec(spec);
  const k = new Knowledge(nodes.length, spec.forbidWithinTier ?? false);
  for (const [a, b] of spec.forbid ?? []) k.forbid(index(a, "forbidden edge"), index(b, "forbidden edge"));
  for (const [a, b] of spec.require ?? []) k.require(index(a, "required edge"), index(b, "required edge"));
  (spec.tiers ?? []).forEach((tier, t) => tier.forEach((name) => k.setTier(index(name, "tiers"), t)));
  k.forbidInto((spec.noEdgesInto ?? []).map((name) => index(name, "no-edges-into")));
  for (const [a, b] of spec.require ?? []) {
    if (k.isForbidden(index(a, ""), index(b, ""))) {
      const ta = (spec.tiers ?? []).findIndex((t) => t.includes(a)), tb = (spec.tiers ?? []).findIndex((t) => t.includes(b));
      const why = (spec.forbid ?? []).some(([x, y]) => x === a && y === b) ? "also forbidden"
        : (spec.noEdgesInto ?? []).includes(b) ? `into "${b}", which receives no edges`
          : ta >= 0 && tb >= 0 ? `against the tiers (${a} is in tier ${ta + 1}, ${b} in tier ${tb + 1}${ta === tb ? ", and edges inside a tier are forbidden" : ""})` : "also forbidden";
      throw new UsageError(`required edge ${a} -> ${b} is ${why}`, "drop one of the two rules");
    }
  }
  return k;
}

/** The contradictions knowledgeFromSpec refuses, checked on the names alone (exit 2 through UsageError). */
export function validateKnowledgeSpec(spec: KnowledgeSpec): void {
  for (const [kind, edges] of [["required", spec.require ?? []], ["forbidden", spec.forbid ?? []]] as const) {
    for (const [a, b] of edges) {
      if (a === b) throw new UsageError(`${kind} edge ${a} -> ${b} is a self-loop`, `a ${kind} edge joins two different nodes: drop "${a}->${b}"`);
    }
  }
  const required = spec.require ?? [];
  for (const [a, b] of required) {
    if (required.some(([x, y]) => x === b && y === a)) {
      throw new UsageError(`required edges ${a} -> ${b} and ${b} -> ${a} contradict each other`, "keep one direction (PC would otherwise keep one silently)");
    }
  }
  const cycle = findCycle(required);
  if (cycle) throw new UsageError(`required edges form a directed cycle: ${cycle.join(" -> ")}`, "drop one of these required edges: a causal graph has no cycles");
  const tierOf = new Map<string, number>();
  (spec.tiers ?? []).forEach((tier, t) => tier.forEach((name) => {
    const other = tierOf.get(name);
    if (other !== undefined && other !== t) {
      throw new UsageError(`node "${name}" is in tier ${other + 1} and in tier ${t + 1}`, "put every node in one tier only");
    }
    tierOf.set(name, t);
  }));
}

/** A directed cycle among the edges (as a closed path of names), or undefined. */
function findCycle(edges: ReadonlyArray<readonly [string, string]>): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 1);
    path.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 1) return [...path.slice(path.indexOf(to)), to];
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of next.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

/** Parses "a->b" (also "a -> b"); used by the CLI's --forbid / --require. */
export function parseEdgeRule(text: string): [string, string] {
  const m = /^\s*(.+?)\s*->\s*(.+?)\s*$/.exec(text);
  if (!m) throw new UsageError(`cannot read the edge rule "${text}"`, `write it as from->to, e.g. "Height->Weight"`);
  return [m[1]!, m[2]!];
}

/** Parses "a,b;c,d" into tiers [["a","b"],["c","d"]]; used by the CLI's --tiers. */
export function parseTiers(text: string): string[][] {
  const tiers = text.split(";").map((t) => t.split(",").map((s) => s.trim()).filter(Boolean)).filter((t) => t.length > 0);
  if (tiers.length === 0) throw new UsageError(`--tiers "${text}" names no nodes`, `write tiers as "a,b;c,d" (earliest tier first)`);
  return tiers;
}
