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

export function knowledgeFromSpec(nodes: readonly string[], spec: KnowledgeSpec): Knowledge {
  const index = (name: string, where: string) => {
    const i = nodes.indexOf(name);
    if (i < 0) throw new UsageError(`${where}: unknown node "${name}"`, `use one of: ${nodes.join(", ")}`);
    return i;
  };
  const k = new Knowledge(nodes.length, spec.forbidWithinTier ?? false);
  for (const [a, b] of spec.forbid ?? []) k.forbid(index(a, "forbidden edge"), index(b, "forbidden edge"));
  for (const [a, b] of spec.require ?? []) k.require(index(a, "required edge"), index(b, "required edge"));
  (spec.tiers ?? []).forEach((tier, t) => tier.forEach((name) => k.setTier(index(name, "tiers"), t)));
  k.forbidInto((spec.noEdgesInto ?? []).map((name) => index(name, "no-edges-into")));
  for (const [a, b] of spec.require ?? []) {
    if (k.isForbidden(index(a, ""), index(b, ""))) throw new UsageError(`required edge ${a} -> ${b} is also forbidden`, "drop one of the two rules");
  }
  return k;
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
