/**
 * A causal graph over named nodes whose edges carry a mark at each end (tail, arrowhead, circle).
 *
 * Storage mirrors causal-learn's GeneralGraph (causallearn/graph/GeneralGraph.py): an n × n integer
 * matrix where entry [i][j] is the mark *at i* on the edge between i and j: −1 tail, 1 arrowhead,
 * 2 circle, 0 no edge. So i → j is `[i][j] = −1, [j][i] = 1` ("graph[j][i] == 1 && graph[i][j] == −1");
 * i — j is both −1; i ↔ j is both 1. The numbers stay inside this file: callers speak in `Mark`s.
 */
export type Mark = "tail" | "arrow" | "circle";

/** One edge: a → b is `{ atA: "tail", atB: "arrow" }`. */
export interface Edge {
  a: number;
  b: number;
  atA: Mark;
  atB: Mark;
}

const code: Record<Mark, number> = { tail: -1, arrow: 1, circle: 2 };
const markOf = (value: number): Mark | null => (value === -1 ? "tail" : value === 1 ? "arrow" : value === 2 ? "circle" : null);

export class Graph {
  readonly n: number;
  /** marks[i * n + j]: causal-learn code of the mark at i on edge i–j. */
  private readonly marks: Int8Array;

  constructor(readonly nodes: readonly string[], marks?: Int8Array) {
    this.n = nodes.length;
    if (new Set(nodes).size !== nodes.length) throw new RangeError(`node names must be unique: ${nodes.join(", ")}`);
    this.marks = marks ?? new Int8Array(this.n * this.n);
  }

  /** No edges. */
  static empty(nodes: readonly string[]): Graph {
    return new Graph(nodes);
  }

  /** Every pair joined by an undirected edge (PC's starting point). */
  static complete(nodes: readonly string[]): Graph {
    const g = new Graph(nodes);
    for (let i = 0; i < g.n; i++) for (let j = i + 1; j < g.n; j++) g.setEdge(i, j, "tail", "tail");
    return g;
  }

  /** From causal-learn's `cg.G.graph` (see the file comment for the encoding). */
  static fromCausalLearn(matrix: readonly (readonly number[])[], nodes?: readonly string[]): Graph {
    const n = matrix.length;
    const names = nodes ?? Array.from({ length: n }, (_, i) => `X${i + 1}`);
    if (names.length !== n) throw new RangeError(`${names.length} node names for a ${n} × ${n} matrix`);
    const g = new Graph(names);
    for (let i = 0; i < n; i++) {
      if (matrix[i]!.length !== n) throw new RangeError(`row ${i} of the graph matrix has ${matrix[i]!.length} entries, expected ${n}`);
      for (let j = 0; j < n; j++) {
        const v = matrix[i]![j]!;
        if (v !== 0 && markOf(v) === null) throw new RangeError(`graph[${i}][${j}] = ${v} is not a causal-learn endpoint code (0, -1, 1, 2)`);
        if ((v === 0) !== (matrix[j]![i] === 0)) throw new RangeError(`graph[${i}][${j}] and graph[${j}][${i}] disagree on whether the edge exists`);
        g.marks[i * n + j] = v;
      }
    }
    return g;
  }

  /** A DAG from a boolean parent matrix: `adjacency[i][j]` true means i → j. */
  static fromDirectedAdjacency(adjacency: readonly (readonly (boolean | number)[])[], nodes?: readonly string[]): Graph {
    const n = adjacency.length;
    const g = new Graph(nodes ?? Array.from({ length: n }, (_, i) => `X${i + 1}`));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (adjacency[i]![j]) g.setEdge(i, j, "tail", "arrow");
    return g;
  }

  clone(): Graph {
    return new Graph(this.nodes, Int8Array.from(this.marks));
  }

  index(name: string): number {
    const i = this.nodes.indexOf(name);
    if (i < 0) throw new RangeError(`no node named "${name}"; nodes: ${this.nodes.join(", ")}`);
    return i;
  }

  adjacent(i: number, j: number): boolean {
    return this.marks[i * this.n + j] !== 0;
  }

  /** The mark at `at` on the edge between `at` and `other`, or null when they are not adjacent. */
  markAt(at: number, other: number): Mark | null {
    return markOf(this.marks[at * this.n + other]!);
  }

  /** Adds or replaces the edge a–b. */
  setEdge(a: number, b: number, atA: Mark, atB: Mark): void {
    if (a === b) throw new RangeError(`self-loop on node ${this.nodes[a]}`);
    this.marks[a * this.n + b] = code[atA];
    this.marks[b * this.n + a] = code[atB];
  }

  /** a → b, replacing whatever edge was there. */
  setDirected(a: number, b: number): void {
    this.setEdge(a, b, "tail", "arrow");
  }

  removeEdge(a: number, b: number): void {
    this.marks[a * this.n + b] = 0;
    this.marks[b * this.n + a] = 0;
  }

  /** Nodes adjacent to i, ascending (causal-learn `cg.neighbors`). */
  neighbors(i: number): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.n; j++) if (this.marks[i * this.n + j] !== 0) out.push(j);
    return out;
  }

  degree(i: number): number {
    let d = 0;
    for (let j = 0; j < this.n; j++) if (this.marks[i * this.n + j] !== 0) d++;
    return d;
  }

  maxDegree(): number {
    let m = 0;
    for (let i = 0; i < this.n; i++) m = Math.max(m, this.degree(i));
    return m;
  }

  /** i → j (tail at i, arrowhead at j); causal-learn `is_fully_directed`. */
  isDirected(i: number, j: number): boolean {
    return this.marks[i * this.n + j] === -1 && this.marks[j * this.n + i] === 1;
  }

  /** i — j (tails at both ends); causal-learn `is_undirected`. */
  isUndirected(i: number, j: number): boolean {
    return this.marks[i * this.n + j] === -1 && this.marks[j * this.n + i] === -1;
  }

  isBidirected(i: number, j: number): boolean {
    return this.marks[i * this.n + j] === 1 && this.marks[j * this.n + i] === 1;
  }

  /** Parents of j: nodes i with i → j. */
  parents(j: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (this.isDirected(i, j)) out.push(i);
    return out;
  }

  /** Every edge once, a < b, in row-major order. */
  edges(): Edge[] {
    const out: Edge[] = [];
    for (let a = 0; a < this.n; a++) {
      for (let b = a + 1; b < this.n; b++) {
        const atA = this.markAt(a, b);
        if (atA) out.push({ a, b, atA, atB: this.markAt(b, a)! });
      }
    }
    return out;
  }

  edgeCount(): number {
    let c = 0;
    for (let a = 0; a < this.n; a++) for (let b = a + 1; b < this.n; b++) if (this.adjacent(a, b)) c++;
    return c;
  }

  /**
   * Ordered adjacencies as causal-learn's CausalGraph.find_adj() lists them: first every (c, r) with a
   * tail at r on edge r–c (row-major over r, c), then every (c, r) with an arrowhead at r. The order
   * decides which unshielded triple, triangle and kite the orientation rules visit first.
   */
  causalLearnAdjacencies(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const wanted of [-1, 1]) {
      for (let r = 0; r < this.n; r++) for (let c = 0; c < this.n; c++) if (this.marks[r * this.n + c] === wanted) out.push([c, r]);
    }
    return out;
  }

  /** causal-learn's `cg.G.graph` as nested arrays. */
  toCausalLearn(): number[][] {
    return Array.from({ length: this.n }, (_, i) => Array.from(this.marks.subarray(i * this.n, (i + 1) * this.n)));
  }

  /** The undirected skeleton: every edge becomes tail–tail. */
  skeleton(): Graph {
    const g = Graph.empty(this.nodes);
    for (const e of this.edges()) g.setEdge(e.a, e.b, "tail", "tail");
    return g;
  }

  equals(other: Graph): boolean {
    if (other.n !== this.n) return false;
    for (let k = 0; k < this.marks.length; k++) if (this.marks[k] !== other.marks[k]) return false;
    return true;
  }

  /** "a --> b", "a --- b", "a <-> b", "a o-> b"…, as causal-learn prints edges. */
  edgeString(e: Edge): string {
    const left = { tail: "-", arrow: "<", circle: "o" }[e.atA];
    const right = { tail: "-", arrow: ">", circle: "o" }[e.atB];
    return `${this.nodes[e.a]} ${left}-${right} ${this.nodes[e.b]}`;
  }

  /**
   * Edge strings in causal-learn's form; a directed edge is written tail first ("X1 --> X3" even when the
   * arrow points to the lower index), matching GeneralGraph's edge list.
   */
  edgeStrings(): string[] {
    return this.edges().map((e) => this.edgeString(e.atA === "arrow" && e.atB === "tail" ? { a: e.b, b: e.a, atA: "tail", atB: "arrow" } : e));
  }
}
