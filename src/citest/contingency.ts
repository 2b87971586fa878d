/**
 * Chi-square and G-square tests on contingency tables, as causal-learn's `Chisq_or_Gsq`
 * (causallearn/utils/cit.py): every column is re-coded with np.unique (each distinct value is a category),
 * the (S, X, Y) table is counted, layers whose S-configuration never occurs are dropped, expected counts
 * are Sx·Sy/S, and the degrees of freedom subtract all-zero rows and columns per layer. dof = 0 → p = 1
 * and no statistic. p-values use the exact χ² upper tail (as the reference's chi2.sf).
 */
import { z } from "zod";
import { ComputeError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { chiSquareUpperTail } from "../stats/distributions.ts";
import { uniqueCodes } from "../stats/descriptive.ts";
import { ColumnChecker, columnLabel, getColumn, pairLabel, type PrepareContext } from "./columns.ts";
import type { CiQueryFn, CiResult, CiTest } from "./types.ts";

export const ContingencyOptions = z.object({
  maxTableCells: z.number().int().positive().default(20_000_000)
    .describe("refuse tables with more cells than this (layers × rows × columns); continuous columns make huge tables"),
});
export type ContingencyOptions = z.infer<typeof ContingencyOptions>;

/** Conditioning sets whose row layers are kept: PC asks each set with every other neighbour as y in turn. */
const LAYER_CACHE_SIZE = 64;

interface CodedColumn { codes: Int32Array; cardinality: number }

interface Layers { layerOf: Int32Array; layers: number }

function prepareContingency(kind: "chisq" | "gsq", data: Matrix, rawOptions: Partial<ContingencyOptions> | undefined, context: PrepareContext | undefined): CiQueryFn {
  const options = ContingencyOptions.parse(rawOptions ?? {});
  const checker = new ColumnChecker(kind, data, context, false);
  const n = data.rows;
  // Each column is re-coded once (lazily: a PC run touches every column, a matrix cell only two).
  const coded: Array<CodedColumn | undefined> = [];
  const codesOf = (j: number): CodedColumn => {
    let c = coded[j];
    if (!c) {
      const u = uniqueCodes(getColumn(data, j));
      c = { codes: u.codes, cardinality: u.levels.length };
      coded[j] = c;
    }
    return c;
  };
  // The layering of the rows by conditioning configuration, for the most recent conditioning sets
  // (a Map iterates in insertion order, so the first key is the least recently used).
  const layerCache = new Map<string, Layers>();
  const layersOf = (zs: readonly number[]): Layers => {
    const key = zs.join(",");
    let entry = layerCache.get(key);
    if (entry) {
      layerCache.delete(key);
    } else {
      let reuse: Int32Array | undefined;
      if (layerCache.size >= LAYER_CACHE_SIZE) {
        const oldest = layerCache.keys().next().value!;
        reuse = layerCache.get(oldest)!.layerOf;
        layerCache.delete(oldest);
      }
      const layerOf = reuse ?? new Int32Array(n);
      entry = { layerOf, layers: conditioningLayers(zs.map(codesOf), layerOf, scratch) };
    }
    layerCache.set(key, entry);
    return entry;
  };
  const scratch = new TableScratch();
  return (x0, y0, zs) => {
    checker.check(x0, y0, zs);
    // causal-learn swaps x and y into ascending order and sorts S; the statistic is symmetric anyway.
    const [x, y] = x0 < y0 ? [x0, y0] : [y0, x0];
    const cx = codesOf(x), cy = codesOf(y);
    const kx = cx.cardinality, ky = cy.cardinality;
    const cardinalities = () => [kx, ky, ...zs.map((j) => codesOf(j).cardinality)];
    const { layerOf, layers } = zs.length === 0 ? { layerOf: null, layers: 1 } : layersOf(zs);
    const cells = layers * kx * ky;
    if (cells > options.maxTableCells) {
      throw new ComputeError(
        `${kind} ${pairLabel(x0, y0, zs, context)}: the contingency table would have ${cells} cells ` +
          `(${columnLabel(x, context)}: ${kx} categories, ${columnLabel(y, context)}: ${ky}, ${layers} conditioning configurations)`,
        "chi-square/G-square need categorical columns; bin continuous columns first or use kci/hsic/fisherz",
      );
    }
    if (!layerOf) return tableResult(kind, null, 1, cx.codes, cy.codes, kx, ky, n, false, cardinalities);
    return layeredResult(kind, layerOf, layers, cx.codes, cy.codes, kx, ky, n, cardinalities, scratch);
  };
}

/** Typed buffers that grow to the largest table a prepared test has needed, so queries allocate nothing. */
class TableScratch {
  counts = new Int32Array(0);
  rowSum = new Float64Array(0);
  colSum = new Float64Array(0);
  idOf = new Int32Array(0);
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
 * Writes each row's conditioning configuration into `layerOf` and returns the number of layers: only
 * the configurations that occur, numbered in ascending order of their mixed-radix code (causal-learn's
 * np.unique path; its bincount path drops the same empty layers). The code is built one column at a
 * time and renumbered after each, so it never exceeds rows × cardinality however large the product of
 * cardinalities is.
 */
function conditioningLayers(zs: CodedColumn[], layerOf: Int32Array, scratch: TableScratch): number {
  const n = layerOf.length;
  layerOf.set(zs[0]!.codes);
  let layers = zs[0]!.cardinality; // re-coded columns use every code 0..k−1
  for (let k = 1; k < zs.length; k++) {
    const { codes, cardinality } = zs[k]!;
    const range = layers * cardinality;
    if (range > 4 * n + 65_536) {
      layers = renumberBySort(layerOf, codes, cardinality);
      continue;
    }
    const idOf = scratch.ensureIds(range);
    idOf.fill(0, 0, range);
    for (let i = 0; i < n; i++) idOf[layerOf[i]! * cardinality + codes[i]!] = 1;
    let next = 0;
    for (let c = 0; c < range; c++) if (idOf[c] === 1) idOf[c] = next++;
    for (let i = 0; i < n; i++) layerOf[i] = idOf[layerOf[i]! * cardinality + codes[i]!]!;
    layers = next;
  }
  return layers;
}

/** Dense ids of (layer, code) pairs in ascending combined order, via a typed-array sort. */
function renumberBySort(layerOf: Int32Array, codes: Int32Array, cardinality: number): number {
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

/**
 * The conditional statistic over (layer, x, y) counts, as causal-learn's _CalculatePValue: per layer that
 * occurs, expected = Sx·Sy / S, and the degrees of freedom subtract that layer's all-zero rows and columns.
 */
function layeredResult(
  kind: "chisq" | "gsq", layerOf: Int32Array, layers: number, xc: Int32Array, yc: Int32Array, kx: number, ky: number, n: number,
  cardinalities: () => number[], scratch: TableScratch,
): CiResult {
  const block = kx * ky;
  const counts = scratch.ensureCounts(layers * block);
  counts.fill(0, 0, layers * block);
  for (let i = 0; i < n; i++) counts[layerOf[i]! * block + xc[i]! * ky + yc[i]!]!++;
  scratch.ensureMargins(kx, ky);
  const rowSum = scratch.rowSum, colSum = scratch.colSum;
  let statistic = 0, dof = 0;
  for (let l = 0; l < layers; l++) {
    const base = l * block;
    let total = 0;
    for (let c = 0; c < block; c++) total += counts[base + c]!;
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
    dof += (kx - 1 - zeroRows) * (ky - 1 - zeroCols);
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
  }
  if (kind === "gsq") statistic *= 2;
  if (dof === 0) return { test: kind, statistic: null, pValue: 1, dof: 0, n, details: { cardinalities: cardinalities() } };
  return { test: kind, statistic, pValue: chiSquareUpperTail(statistic, dof), dof, n, details: { cardinalities: cardinalities() } };
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
  const counts = new Float64Array(cells);
  if (layerOf) for (let i = 0; i < n; i++) counts[(layerOf[i]! * kx + xc[i]!) * ky + yc[i]!]!++;
  else for (let i = 0; i < n; i++) counts[xc[i]! * ky + yc[i]!]!++;
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
