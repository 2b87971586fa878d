/**
 * Chi-square and G-square tests on contingency tables, as causal-learn's `Chisq_or_Gsq`
 * (causallearn/utils/cit.py): every column is re-coded with np.unique (each distinct value is a category),
 * the (S, X, Y) table is counted, layers whose S-configuration never occurs are dropped, expected counts
 * are Sx·Sy/S, and the degrees of freedom subtract all-zero rows and columns per layer. dof = 0 → p = 1
 * and no statistic. p-values use the exact χ² upper tail (as the reference's chi2.sf).
 */
import { ComputeError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { chiSquareUpperTail } from "../stats/distributions.ts";
import { uniqueCodes } from "../stats/descriptive.ts";
import { isIncreasing, SubsetRanks } from "../stats/subset-rank.ts";
import { ColumnChecker, columnLabel, getColumn, pairLabel, type PrepareContext } from "./columns.ts";
import { numberOption, optionSchema, type OptionValues } from "./options.ts";
import type { CiQueryFn, CiResult, CiTest } from "./types.ts";

const contingencyFields = {
  maxTableCells: numberOption(20_000_000, "refuse tables with more cells than this (layers × rows × columns); continuous columns make huge tables", { integer: true, positive: true }),
};
export const ContingencyOptions = optionSchema(contingencyFields);
export type ContingencyOptions = OptionValues<typeof contingencyFields>;

/** Memory for cached row layerings of conditioning sets (a layer id and a grouped row index per row, 2 or 4 bytes each, plus group starts). */
const LAYER_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Per-row codes, layer ids and row indices of a prepared test. With at most 65,536 rows every one of them is
 * below 65,536 (a layer id never exceeds the rows, a category code the distinct values), so they are held
 * as Uint16Array: the counting loops read half the bytes (the whole hepar2 PC run ~7 % faster), and one element type per
 * prepared test keeps those loops monomorphic. Larger data use Int32Array.
 */
type RowCodes = Uint16Array | Int32Array;
const NARROW_ROWS = 65_536;

interface CodedColumn { codes: RowCodes; cardinality: number }

interface Layers { layerOf: RowCodes; layers: number; groups?: LayerGroups }

/** Rows of the layers with two or more rows: group g is rows[starts[g] .. starts[g + 1]). */
interface LayerGroups { rows: RowCodes; starts: Int32Array; count: number }

/**
 * Beyond this many layers per row, most layers hold a single row and the grouped count pays. Measured on
 * hepar2 (whole PC run, CPU s, min of 3–4 interleaved runs): 1/32 3.08, 1/8 2.74–2.86, 1/4 2.84, 1/2 2.81,
 * 1/128 3.53; barley and win95pts flat from 1/32 to 1/2. The dense count's one pass over narrow row codes
 * beats the grouped gather until the layers approach the rows.
 */
const GROUPED_LAYERS_PER_ROW = 1 / 4;

function prepareContingency(kind: "chisq" | "gsq", data: Matrix, rawOptions: Partial<ContingencyOptions> | undefined, context: PrepareContext | undefined): CiQueryFn {
  const options = ContingencyOptions.parse(rawOptions, kind);
  const checker = new ColumnChecker(kind, data, context, false);
  const n = data.rows;
  const newRowCodes = n <= NARROW_ROWS ? (size: number): RowCodes => new Uint16Array(size) : (size: number): RowCodes => new Int32Array(size);
  // Each column is re-coded once (lazily: a PC run touches every column, a matrix cell only two).
  const coded: Array<CodedColumn | undefined> = [];
  const codesOf = (j: number): CodedColumn => {
    let c = coded[j];
    if (!c) {
      const u = uniqueCodes(getColumn(data, j));
      const codes = newRowCodes(n);
      codes.set(u.codes);
      c = { codes, cardinality: u.levels.length };
      coded[j] = c;
    }
    return c;
  };
  // The layering of the rows by conditioning configuration, for the most recent conditioning sets
  // (a Map iterates in insertion order, so the first key is the least recently used). PC asks each set
  // once per other neighbour as y, a node's whole neighbourhood apart, so the cache holds as many sets
  // as a fixed memory budget allows.
  const bytesPerRow = 3 * (n <= NARROW_ROWS ? 2 : 4);
  const cacheSize = Math.max(16, Math.min(4096, Math.floor(LAYER_CACHE_BYTES / (bytesPerRow * Math.max(1, n)))));
  const layerCache = new Map<number | string, Layers>();
  const setKeys = new SetKeys(data.cols);
  // The layers of the prefixes of the last set built from scratch: PC enumerates subsets in
  // lexicographic order, so the next set usually shares all but its last member and costs one pass.
  const prefixes = new PrefixLayers(n, newRowCodes);
  // Row-group buffers of evicted sets, for the next set that needs grouping (fresh arrays cost page faults and GC).
  const spareRows: RowCodes[] = [];
  const layersOf = (zs: readonly number[]): Layers => {
    const key = setKeys.key(zs);
    let entry = layerCache.get(key);
    if (entry) {
      layerCache.delete(key);
    } else {
      let reuse: RowCodes | undefined;
      if (layerCache.size >= cacheSize) {
        const oldest = layerCache.keys().next().value!;
        const evicted = layerCache.get(oldest)!;
        reuse = evicted.layerOf;
        if (evicted.groups && spareRows.length < 64) spareRows.push(evicted.groups.rows);
        layerCache.delete(oldest);
      }
      const into = reuse ?? newRowCodes(n);
      const columns = zs.map(codesOf);
      entry = extendLayers(prefixes.upTo(zs, columns, scratch), columns[columns.length - 1]!, into, scratch);
    }
    layerCache.set(key, entry);
    return entry;
  };
  const scratch = new TableScratch();
  // Each row's x · ky + y for the last pair asked: PC asks one pair against many conditioning sets in a row.
  let pairX = -1, pairY = -1;
  const pairBuffer = newRowCodes(n);
  // x · ky + y can exceed 65,535 with two high-cardinality columns: those pairs get 32-bit codes.
  let widePairs: Int32Array | undefined;
  const pairCodes = (x: number, y: number): RowCodes => {
    const ky = codesOf(y).cardinality;
    const buffer = codesOf(x).cardinality * ky <= NARROW_ROWS ? pairBuffer : (widePairs ??= new Int32Array(n));
    if (x !== pairX || y !== pairY) {
      const xc = codesOf(x).codes, yc = codesOf(y).codes;
      for (let i = 0; i < n; i++) buffer[i] = xc[i]! * ky + yc[i]!;
      pairX = x; pairY = y;
    }
    return buffer;
  };
  const zeroLayers = newRowCodes(n);
  return (x0, y0, zs) => {
    checker.check(x0, y0, zs);
    // causal-learn swaps x and y into ascending order and sorts S; the statistic is symmetric anyway.
    const [x, y] = x0 < y0 ? [x0, y0] : [y0, x0];
    const cx = codesOf(x), cy = codesOf(y);
    const kx = cx.cardinality, ky = cy.cardinality;
    const cardinalities = () => [kx, ky, ...zs.map((j) => codesOf(j).cardinality)];
    const entry: Layers | null = zs.length === 0 ? null
      : zs.length === 1 ? { layerOf: codesOf(zs[0]!).codes, layers: codesOf(zs[0]!).cardinality } // re-coded: every code 0..k−1 occurs
      : layersOf(zs);
    const layers = entry?.layers ?? 1;
    const cells = layers * kx * ky;
    if (cells > options.maxTableCells) {
      throw new ComputeError(
        `${kind} ${pairLabel(x0, y0, zs, context)}: the contingency table would have ${cells} cells ` +
          `(${columnLabel(x, context)}: ${kx} categories, ${columnLabel(y, context)}: ${ky}, ${layers} conditioning configurations)`,
        "chi-square/G-square need categorical columns; bin continuous columns first or use kci/hsic/fisherz",
      );
    }
    if (!entry) {
      // Same terms in the same order as tableResult's unconditional table (total = n), through the same loops as the conditional ones.
      if (cells > 4 * n) return tableResult(kind, null, 1, Int32Array.from(cx.codes), Int32Array.from(cy.codes), kx, ky, n, false, cardinalities);
      return layeredResult(kind, zeroLayers, 1, pairCodes(x, y), kx, ky, n, cardinalities, scratch);
    }
    if (zs.length > 1 && layers > n * GROUPED_LAYERS_PER_ROW) {
      entry.groups ??= groupLayers(entry, scratch, spareRows.pop(), newRowCodes); // once per cached conditioning set
      return groupedResult(kind, entry.groups, pairCodes(x, y), cx.codes, cy.codes, kx, ky, n, cardinalities, scratch);
    }
    return layeredResult(kind, entry.layerOf, layers, pairCodes(x, y), kx, ky, n, cardinalities, scratch);
  };
}

/**
 * Cache keys of conditioning sets over `p` columns: an increasing set's subset rank, so a lookup builds no
 * string; any other order (a different layering) or a rank beyond 2^53 gets the joined string.
 */
class SetKeys {
  private readonly ranks: SubsetRanks;
  constructor(p: number) { this.ranks = new SubsetRanks(p); }

  key(zs: readonly number[]): number | string {
    return this.ranks.countUpTo(zs.length) < 2 ** 53 && isIncreasing(zs) ? this.ranks.rank(zs) : zs.join(",");
  }
}

/** Typed buffers that grow to the largest table a prepared test has needed, so queries allocate nothing. */
class TableScratch {
  counts = new Int32Array(0);
  rowSum = new Float64Array(0);
  colSum = new Float64Array(0);
  idOf = new Int32Array(0);
  quad = new Int32Array(0);
  pairs = new Int32Array(0);
  zeros = new Int32Array(0);
  dof = 0;
  ensurePairs(size: number): Int32Array {
    if (this.pairs.length < size) this.pairs = new Int32Array(size);
    return this.pairs;
  }
  /** A layer of 0 for every row (an unconditional table). */
  zeroLayers(size: number): Int32Array {
    if (this.zeros.length < size) this.zeros = new Int32Array(size);
    return this.zeros;
  }
  ensureCounts(size: number): Int32Array {
    if (this.counts.length < size) this.counts = new Int32Array(Math.max(size, 2 * this.counts.length));
    return this.counts;
  }
  ensureIds(size: number): Int32Array {
    if (this.idOf.length < size) this.idOf = new Int32Array(Math.max(size, 2 * this.idOf.length));
    return this.idOf;
  }
  ensureMargins(kx: number, ky: number): void {
    if (this.rowSum.length < kx) this.rowSum = new Float64Array(kx);
    if (this.colSum.length < ky) this.colSum = new Float64Array(ky);
  }
}

/**
 * The layers of the prefixes zs[0..k] of the last conditioning set built, k < |S| − 1. A layer is the
 * row's configuration of the prefix: while the product of the cardinalities is small next to the row
 * count, its mixed-radix code itself (one multiply-add pass per column; configurations that never occur
 * leave empty layers, which the statistic skips); beyond that, renumbered after each column to the
 * configurations that occur, so it never exceeds rows × cardinality however large the product is. Either
 * way layers are in ascending order of the mixed-radix code (causal-learn's np.unique path; its bincount
 * path drops the same empty layers), so the statistic sums in the same order.
 */
class PrefixLayers {
  private members: number[] = [];
  private layers: Layers[] = [];
  private buffers: RowCodes[] = [];
  constructor(private readonly n: number, private readonly newRowCodes: (size: number) => RowCodes) {}

  /** The layers of zs without its last member, reusing the longest prefix shared with the last call. */
  upTo(zs: readonly number[], columns: CodedColumn[], scratch: TableScratch): Layers {
    const last = zs.length - 2;
    let shared = 0;
    while (shared <= last && shared < this.members.length && this.members[shared] === zs[shared]) shared++;
    this.members.length = shared;
    this.layers.length = shared;
    for (let k = shared; k <= last; k++) {
      const column = columns[k]!;
      if (k === 0) {
        this.layers.push({ layerOf: column.codes, layers: column.cardinality }); // re-coded: every code 0..k−1 occurs
      } else {
        this.buffers[k] ??= this.newRowCodes(this.n);
        this.layers.push(extendLayers(this.layers[k - 1]!, column, this.buffers[k]!, scratch));
      }
      this.members.push(zs[k]!);
    }
    return this.layers[last]!;
  }
}

/** The layers of S ∪ {z} from those of S, written into `into` (see PrefixLayers for the two numberings). */
function extendLayers(from: Layers, z: CodedColumn, into: RowCodes, scratch: TableScratch): Layers {
  const n = into.length;
  const source = from.layerOf;
  const { codes, cardinality } = z;
  const range = from.layers * cardinality;
  // Unrenumbered layers cost the statistic a pass over every configuration, so only while they are few.
  if (range <= 1024 && range <= n >> 4) {
    for (let i = 0; i < n; i++) into[i] = source[i]! * cardinality + codes[i]!;
    return { layerOf: into, layers: range };
  }
  if (range > 4 * n + 65_536) {
    if (source !== into) into.set(source);
    return { layerOf: into, layers: renumberBySort(into, codes, cardinality) };
  }
  const idOf = scratch.ensureIds(range);
  idOf.fill(0, 0, range);
  for (let i = 0; i < n; i++) idOf[source[i]! * cardinality + codes[i]!] = 1;
  let next = 0;
  for (let c = 0; c < range; c++) if (idOf[c] === 1) idOf[c] = next++;
  for (let i = 0; i < n; i++) into[i] = idOf[source[i]! * cardinality + codes[i]!]!;
  return { layerOf: into, layers: next };
}

/** Dense ids of (layer, code) pairs in ascending combined order, via a typed-array sort. */
function renumberBySort(layerOf: RowCodes, codes: RowCodes, cardinality: number): number {
  const n = layerOf.length;
  const combined = new Float64Array(n);
  for (let i = 0; i < n; i++) combined[i] = layerOf[i]! * cardinality + codes[i]!;
  const sorted = Float64Array.from(combined).sort();
  const distinct = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (m === 0 || sorted[i] !== distinct[m - 1]) distinct[m++] = sorted[i]!;
  for (let i = 0; i < n; i++) {
    let lo = 0, hi = m - 1;
    const v = combined[i]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    layerOf[i] = lo;
  }
  return m;
}

/** tableResult's count buffers (JavaScript runs one query at a time, so one set serves every caller). */
const tableScratch = new TableScratch();

/** Tables up to this many cells are counted in four interleaved copies (see countCells). */
const QUAD_COUNT_CELLS = 1 << 14;

/** Counts rows into cells[(layer · kx + x) · ky + y] (layerOf null: one layer); see countPairCells. */
function countCells(
  out: Int32Array, cells: number, layerOf: Int32Array | null, block: number, xc: Int32Array, yc: Int32Array, ky: number, n: number,
  scratch: TableScratch,
): void {
  const xy = scratch.ensurePairs(n);
  for (let i = 0; i < n; i++) xy[i] = xc[i]! * ky + yc[i]!;
  countPairCells(out, cells, layerOf ?? scratch.zeroLayers(n), block, xy, n, scratch);
}

/**
 * Counts rows into cells[layer · block + xy] (`xy` = each row's x · ky + y). Real data put most rows in a
 * few cells, and incrementing the same cell row after row makes every increment wait for the last one;
 * four copies filled by rows i, i+1, i+2, i+3 run as four independent chains (2–3× faster on skewed
 * tables), then are summed. Integer counts, so the result is the same either way.
 */
function countPairCells(out: Int32Array, cells: number, layerOf: RowCodes, block: number, xy: RowCodes, n: number, scratch: TableScratch): void {
  if (cells > QUAD_COUNT_CELLS) {
    out.fill(0, 0, cells);
    for (let i = 0; i < n; i++) out[layerOf[i]! * block + xy[i]!]!++;
    return;
  }
  if (scratch.quad.length < 4 * cells) scratch.quad = new Int32Array(Math.max(4 * cells, 2 * scratch.quad.length));
  const quad = scratch.quad;
  quad.fill(0, 0, 4 * cells);
  const q1 = cells, q2 = 2 * cells, q3 = 3 * cells;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    quad[layerOf[i]! * block + xy[i]!]!++;
    quad[q1 + layerOf[i + 1]! * block + xy[i + 1]!]!++;
    quad[q2 + layerOf[i + 2]! * block + xy[i + 2]!]!++;
    quad[q3 + layerOf[i + 3]! * block + xy[i + 3]!]!++;
  }
  for (; i < n; i++) quad[layerOf[i]! * block + xy[i]!]!++;
  for (let c = 0; c < cells; c++) out[c] = quad[c]! + quad[q1 + c]! + quad[q2 + c]! + quad[q3 + c]!;
}

/**
 * The conditional statistic over (layer, x, y) counts, as causal-learn's _CalculatePValue: per layer that
 * occurs, expected = Sx·Sy / S, and the degrees of freedom subtract that layer's all-zero rows and columns.
 * Dense: one counting pass over the rows into a layers × x × y table.
 */
function layeredResult(
  kind: "chisq" | "gsq", layerOf: RowCodes, layers: number, xy: RowCodes, kx: number, ky: number, n: number,
  cardinalities: () => number[], scratch: TableScratch,
): CiResult {
  const block = kx * ky;
  const counts = scratch.ensureCounts(layers * block);
  countPairCells(counts, layers * block, layerOf, block, xy, n, scratch);
  scratch.ensureMargins(kx, ky);
  scratch.dof = 0;
  let statistic = 0;
  for (let l = 0; l < layers; l++) {
    const base = l * block;
    let total = 0;
    for (let c = 0; c < block; c++) total += counts[base + c]!;
    // A layer of one row adds exactly 0 to the statistic and to the dof (one non-zero row and column,
    // observed = expected = 1); an empty one is a configuration that never occurs (unrenumbered layers).
    if (total < 2) continue;
    statistic = addLayer(kind, counts, base, kx, ky, total, statistic, scratch);
  }
  return finish(kind, statistic, scratch.dof, n, cardinalities);
}

/**
 * The same statistic when most layers hold one row or none (large conditioning sets): only the rows of
 * layers with two or more rows are visited, layer by layer in ascending order, each counted into one
 * x × y block that is cleared again through the same rows. Same per-layer terms in the same order as
 * layeredResult, so the same bits.
 */
function groupedResult(
  kind: "chisq" | "gsq", groups: LayerGroups, xy: RowCodes, xc: RowCodes, yc: RowCodes, kx: number, ky: number, n: number,
  cardinalities: () => number[], scratch: TableScratch,
): CiResult {
  const counts = scratch.ensureCounts(kx * ky);
  counts.fill(0, 0, kx * ky);
  scratch.ensureMargins(kx, ky);
  scratch.dof = 0;
  let statistic = 0;
  const { rows, starts, count } = groups;
  for (let g = 0; g < count; g++) {
    const start = starts[g]!, end = starts[g + 1]!;
    // A layer whose rows share x or share y has one non-zero row or column: each of its terms is exactly 0
    // (expected = observed) and so is its dof, so skipping it leaves the same bits. Most small layers are so.
    const first = rows[start]!;
    const x0 = xc[first]!, y0 = yc[first]!;
    let sameX = true, sameY = true;
    for (let j = start + 1; j < end; j++) {
      const r = rows[j]!;
      sameX &&= xc[r] === x0;
      sameY &&= yc[r] === y0;
    }
    if (sameX || sameY) continue;
    for (let j = start; j < end; j++) counts[xy[rows[j]!]!]!++;
    statistic = addLayer(kind, counts, 0, kx, ky, end - start, statistic, scratch);
    for (let j = start; j < end; j++) counts[xy[rows[j]!]!] = 0;
  }
  return finish(kind, statistic, scratch.dof, n, cardinalities);
}

/** Adds one layer's terms to the running statistic (returned) and its degrees of freedom to scratch.dof. */
function addLayer(
  kind: "chisq" | "gsq", counts: Int32Array, base: number, kx: number, ky: number, total: number, statistic: number, scratch: TableScratch,
): number {
  const rowSum = scratch.rowSum, colSum = scratch.colSum;
  rowSum.fill(0, 0, kx); colSum.fill(0, 0, ky);
  for (let a = 0; a < kx; a++) {
    const row = base + a * ky;
    for (let b = 0; b < ky; b++) {
      const c = counts[row + b]!;
      rowSum[a]! += c; colSum[b]! += c;
    }
  }
  let zeroRows = 0, zeroCols = 0;
  for (let a = 0; a < kx; a++) if (rowSum[a] === 0) zeroRows++;
  for (let b = 0; b < ky; b++) if (colSum[b] === 0) zeroCols++;
  scratch.dof += (kx - 1 - zeroRows) * (ky - 1 - zeroCols);
  for (let a = 0; a < kx; a++) {
    const ra = rowSum[a]!;
    if (ra === 0) continue;
    const row = base + a * ky;
    for (let b = 0; b < ky; b++) {
      const cb = colSum[b]!;
      if (cb === 0) continue;
      const expected = (ra * cb) / total;
      const c = counts[row + b]!;
      if (kind === "chisq") statistic += ((c - expected) * (c - expected)) / expected;
      else if (c > 0) statistic += c * Math.log(c / expected);
    }
  }
  return statistic;
}

function finish(kind: "chisq" | "gsq", statistic: number, dof: number, n: number, cardinalities: () => number[]): CiResult {
  if (kind === "gsq") statistic *= 2;
  if (dof === 0) return { test: kind, statistic: null, pValue: 1, dof: 0, n, details: { cardinalities: cardinalities() } };
  return { test: kind, statistic, pValue: chiSquareUpperTail(statistic, dof), dof, n, details: { cardinalities: cardinalities() } };
}

/** The rows of each layer holding two or more rows, layer by layer in ascending order (a counting sort). */
function groupLayers({ layerOf, layers }: Layers, scratch: TableScratch, spareRows: RowCodes | undefined, newRowCodes: (size: number) => RowCodes): LayerGroups {
  const n = layerOf.length;
  const size = scratch.ensureCounts(layers);
  size.fill(0, 0, layers);
  for (let i = 0; i < n; i++) size[layerOf[i]!]!++;
  const at = scratch.ensureIds(layers);
  at.fill(-1, 0, layers);
  let count = 0, kept = 0;
  for (let l = 0; l < layers; l++) if (size[l]! >= 2) { at[l] = kept; kept += size[l]!; count++; }
  const starts = new Int32Array(count + 1);
  for (let l = 0, g = 0; l < layers; l++) if (size[l]! >= 2) starts[++g] = starts[g - 1]! + size[l]!;
  // A whole row's worth, so that it can serve any set once this one is evicted.
  const rows = spareRows ?? newRowCodes(n);
  for (let i = 0; i < n; i++) {
    const l = layerOf[i]!;
    if (at[l]! >= 0) rows[at[l]!++] = i;
  }
  return { rows, starts, count };
}

/**
 * The statistic, dof and p-value from codes (x and y codes 0..k−1, layer per row). Shared by PC queries
 * and Level I's per-column codes (level1-fast.ts), so both give bit-identical answers.
 */
export function tableResult(
  kind: "chisq" | "gsq", layerOf: Int32Array | null, layers: number, xc: Int32Array, yc: Int32Array,
  kx: number, ky: number, n: number, conditional: boolean, cardinalities: () => number[],
): CiResult {
  const cells = layers * kx * ky;
  if (layers === 1 && cells > 4 * n) return sparseUnconditional(kind, xc, yc, kx, ky, n, cardinalities);
  const counts = new Int32Array(cells);
  countCells(counts, cells, layerOf, kx * ky, xc, yc, ky, n, tableScratch);
  let statistic = 0, dof = 0;
  const rowSum = new Float64Array(kx), colSum = new Float64Array(ky);
  for (let l = 0; l < layers; l++) {
    rowSum.fill(0); colSum.fill(0);
    const base = l * kx * ky;
    let total = 0;
    for (let a = 0; a < kx; a++) {
      for (let b = 0; b < ky; b++) {
        const c = counts[base + a * ky + b]!;
        rowSum[a]! += c; colSum[b]! += c; total += c;
      }
    }
    let zeroRows = 0, zeroCols = 0;
    for (let a = 0; a < kx; a++) if (rowSum[a] === 0) zeroRows++;
    for (let b = 0; b < ky; b++) if (colSum[b] === 0) zeroCols++;
    dof += (kx - 1 - zeroRows) * (ky - 1 - zeroCols);
    for (let a = 0; a < kx; a++) {
      if (rowSum[a] === 0) continue;
      for (let b = 0; b < ky; b++) {
        if (colSum[b] === 0) continue;
        // Unconditional: outer(row, col) / n; conditional: Sx·Sy / S (same formula with total = S).
        const expected = conditional ? (rowSum[a]! * colSum[b]!) / total : (rowSum[a]! * colSum[b]!) / n;
        const c = counts[base + a * ky + b]!;
        if (kind === "chisq") statistic += ((c - expected) * (c - expected)) / expected;
        else if (c > 0) statistic += c * Math.log(c / expected);
      }
    }
  }
  if (kind === "gsq") statistic *= 2;
  if (dof === 0) return { test: kind, statistic: null, pValue: 1, dof: 0, n, details: { cardinalities: cardinalities() } };
  return { test: kind, statistic, pValue: chiSquareUpperTail(statistic, dof), dof, n, details: { cardinalities: cardinalities() } };
}

/**
 * The unconditional statistic when most cells are empty (a continuous column makes k ≈ n categories):
 * only occupied cells are visited. χ² = Σ_occupied c²/e − n, since Σ_all (c − e)²/e = Σ c²/e − 2n + n;
 * G² = 2 Σ_occupied c·ln(c/e). Used only when cells > 4n, where χ² ≫ n and the rearrangement costs no
 * precision that matters (≤ 1e-13 relative).
 */
function sparseUnconditional(
  kind: "chisq" | "gsq", xc: Int32Array, yc: Int32Array, kx: number, ky: number, n: number,
  cardinalities: () => number[],
): CiResult {
  // Occupied cells only (at most n of them), found by sorting the cell keys: neither a mostly-empty
  // kx × ky array (its first touches page-fault) nor a Map of numbers (slow before the JIT warms up).
  const rowSum = new Float64Array(kx), colSum = new Float64Array(ky);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = xc[i]! * ky + yc[i]!;
    rowSum[xc[i]!]!++;
    colSum[yc[i]!]!++;
  }
  keys.sort();
  const occupied = new Float64Array(n), occupiedCount = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (m > 0 && keys[i] === occupied[m - 1]) occupiedCount[m - 1]!++;
    else { occupied[m] = keys[i]!; occupiedCount[m++] = 1; }
  }
  let zeroRows = 0, zeroCols = 0;
  for (let a = 0; a < kx; a++) if (rowSum[a] === 0) zeroRows++;
  for (let b = 0; b < ky; b++) if (colSum[b] === 0) zeroCols++;
  const dof = (kx - 1 - zeroRows) * (ky - 1 - zeroCols);
  let statistic = 0;
  for (let e = 0; e < m; e++) {
    const at = occupied[e]!, c = occupiedCount[e]!;
    const a = Math.floor(at / ky), b = at - a * ky;
    const expected = (rowSum[a]! * colSum[b]!) / n;
    statistic += kind === "chisq" ? (c * c) / expected : c * Math.log(c / expected);
  }
  statistic = kind === "chisq" ? statistic - n : 2 * statistic;
  if (dof === 0) return { test: kind, statistic: null, pValue: 1, dof: 0, n, details: { cardinalities: cardinalities() } };
  return { test: kind, statistic, pValue: chiSquareUpperTail(statistic, dof), dof, n, details: { cardinalities: cardinalities() } };
}

export const chisq: CiTest<ContingencyOptions> = {
  name: "chisq",
  title: "Chi-square (contingency table)",
  dataKind: "discrete",
  conditional: true,
  options: ContingencyOptions,
  reference: "causal-learn 0.1.4.7 causallearn/utils/cit.py Chisq_or_Gsq (chisq)",
  prepare: (data, options, context) => prepareContingency("chisq", data, options, context),
};

export const gsq: CiTest<ContingencyOptions> = {
  name: "gsq",
  title: "G-square (likelihood ratio, contingency table)",
  dataKind: "discrete",
  conditional: true,
  options: ContingencyOptions,
  reference: "causal-learn 0.1.4.7 causallearn/utils/cit.py Chisq_or_Gsq (gsq)",
  prepare: (data, options, context) => prepareContingency("gsq", data, options, context),
};
