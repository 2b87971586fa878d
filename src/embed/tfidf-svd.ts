import { symmetricEigenSmall } from "../stats/symmetric-eigen-small.ts";
import { ComputeError } from "../errors.ts";
import { orthonormalizeColumnsInPlace } from "./gram-schmidt.ts";
import type { Rng } from "../util/rng.ts";

/**
 * The offline text embedding: TF-IDF (scikit-learn's defaults: smooth idf = ln((1 + n)/(1 + df)) + 1,
 * raw term counts, rows L2-normalised) followed by a truncated SVD computed with the randomized range
 * finder of Halko, Martinsson & Tropp (2011) (oversampling 10, 4 power iterations, as sklearn's
 * TruncatedSVD(algorithm="randomized")). All randomness comes from the passed Rng, so a seed gives the
 * same embedding. Component signs are fixed (largest |loading| positive) so reruns agree exactly.
 */
export interface TfidfSvdModel {
  kind: "tfidf-svd";
  vocabulary: string[];
  idf: Float64Array;
  /** k × V, row-major: the right singular vectors. */
  components: Float64Array;
  dim: number;
  singularValues: Float64Array;
}

export interface TfidfSvdOptions {
  dim?: number;
  maxFeatures?: number;
  /** Terms must appear in at least this many documents. */
  minDf?: number;
}

const TOKEN = /[\p{L}\p{N}]{2,}/gu;
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

interface Csr { rows: number; cols: number; indptr: Int32Array; indices: Int32Array; values: Float64Array }

function tfidfMatrix(docs: readonly string[], vocabulary: Map<string, number>, idf: Float64Array): Csr {
  const indptr = new Int32Array(docs.length + 1);
  const indices: number[] = [], values: number[] = [];
  docs.forEach((doc, r) => {
    const counts = new Map<number, number>();
    for (const token of tokenize(doc)) {
      const j = vocabulary.get(token);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const entries = [...counts.entries()].sort((a, b) => a[0] - b[0]);
    let norm = 0;
    for (const [j, c] of entries) norm += (c * idf[j]!) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (const [j, c] of entries) { indices.push(j); values.push((c * idf[j]!) / norm); }
    indptr[r + 1] = indices.length;
  });
  return { rows: docs.length, cols: vocabulary.size, indptr, indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

/** X (sparse n × V) times D (dense V × l) → n × l. */
function mulSparseDense(x: Csr, d: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.rows * l);
  for (let r = 0; r < x.rows; r++) {
    for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) {
      const v = x.values[p]!, j = x.indices[p]!;
      for (let c = 0; c < l; c++) out[r * l + c]! += v * d[j * l + c]!;
    }
  }
  return out;
}

/** Xᵀ (V × n) times D (dense n × l) → V × l. */
function mulSparseTDense(x: Csr, d: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.cols * l);
  for (let r = 0; r < x.rows; r++) {
    for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) {
      const v = x.values[p]!, j = x.indices[p]!;
      for (let c = 0; c < l; c++) out[j * l + c]! += v * d[r * l + c]!;
    }
  }
  return out;
}

export function fitTfidfSvd(docs: readonly string[], rng: Rng, options: TfidfSvdOptions = {}): TfidfSvdModel {
  const minDf = options.minDf ?? 1;
  const df = new Map<string, number>();
  const termCount = new Map<string, number>();
  for (const doc of docs) {
    const tokens = tokenize(doc);
    for (const t of tokens) termCount.set(t, (termCount.get(t) ?? 0) + 1);
    for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  // Keep the most frequent terms (ties by name, for determinism), as sklearn's max_features.
  const terms = [...df.keys()].filter((t) => df.get(t)! >= minDf)
    .sort((a, b) => termCount.get(b)! - termCount.get(a)! || (a < b ? -1 : 1))
    .slice(0, options.maxFeatures ?? 5000)
    .sort();
  const requested = options.dim ?? 64;
  const dim = Math.min(requested, terms.length - 1, docs.length - 1);
  if (dim < 1) throw new ComputeError(`TF-IDF needs at least 2 documents and 2 distinct terms (got ${docs.length} documents, ${terms.length} terms)`,
    "embed more descriptions, or use a provider's embedding model");
  const vocabulary = new Map(terms.map((t, i) => [t, i]));
  const n = docs.length;
  const idf = Float64Array.from(terms, (t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1);
  const x = tfidfMatrix(docs, vocabulary, idf);
  const V = terms.length;
  const l = Math.min(dim + 10, V, n);
  const omega = rng.normals(V * l);
  let q = mulSparseDense(x, omega, l);
  orthonormalizeColumnsInPlace(q, n, l, 2);
  for (let it = 0; it < 4; it++) {
    const z = mulSparseTDense(x, q, l);
    orthonormalizeColumnsInPlace(z, V, l, 2);
    q = mulSparseDense(x, z, l);
    orthonormalizeColumnsInPlace(q, n, l, 2);
  }
  // B = Qᵀ X (l × V), stored transposed as V × l; SVD of B via the eigen-decomposition of B Bᵀ (l × l).
  const bt = mulSparseTDense(x, q, l);
  const bbt = new Float64Array(l * l);
  for (let j = 0; j < V; j++) for (let a = 0; a < l; a++) { const v = bt[j * l + a]!; if (v !== 0) for (let b = 0; b < l; b++) bbt[a * l + b]! += v * bt[j * l + b]!; }
  const eig = symmetricEigenSmall(bbt, l);
  const components = new Float64Array(dim * V);
  const singularValues = new Float64Array(dim);
  for (let c = 0; c < dim; c++) {
    const col = l - 1 - c; // eigenvalues come ascending
    const sigma = Math.sqrt(Math.max(0, eig.values[col]!));
    singularValues[c] = sigma;
    if (sigma < 1e-12) continue;
    // v_c = Bᵀ u_c / σ
    let maxAbs = 0, sign = 1;
    for (let j = 0; j < V; j++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += bt[j * l + a]! * eig.vectors[a * l + col]!;
      s /= sigma;
      components[c * V + j] = s;
      if (Math.abs(s) > maxAbs) { maxAbs = Math.abs(s); sign = s < 0 ? -1 : 1; }
    }
    if (sign < 0) for (let j = 0; j < V; j++) components[c * V + j] = -components[c * V + j]!;
  }
  return { kind: "tfidf-svd", vocabulary: terms, idf, components, dim, singularValues };
}

/** Embeds texts with a fitted model: the TF-IDF row projected on the components (n × dim). */
export function transformTfidfSvd(model: TfidfSvdModel, docs: readonly string[]): Array<Float32Array<ArrayBuffer>> {
  const vocabulary = new Map(model.vocabulary.map((t, i) => [t, i]));
  const x = tfidfMatrix(docs, vocabulary, model.idf);
  const V = model.vocabulary.length;
  return docs.map((_, r) => {
    const out = new Float32Array(model.dim);
    for (let p = x.indptr[r]!; p < x.indptr[r + 1]!; p++) {
      const v = x.values[p]!, j = x.indices[p]!;
      for (let c = 0; c < model.dim; c++) out[c]! += v * model.components[c * V + j]!;
    }
    return out;
  });
}
