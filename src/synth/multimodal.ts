/**
 * Multimodal data with known latent causal structure, the generative model of PersonaX Level II (DESIGN
 * §1.3) and of the numeric benchmarks of Sun et al. (ICLR 2025, "MMCRL"):
 *
 *   latents  [s, z_1, …, z_M]   a sparse random DAG in index order (an edge i → j only when i < j), also
 *                               across modalities, meeting the structural-sparsity condition by default;
 *                               shared latents s are roots (nothing points into them)
 *   observed x_{m,k} = g_{m,k}(s, z_m, η_{m,k})   for modality m and measurement k = 1..K_m, where
 *                               g_{m,k} is a random 3-layer LeakyReLU MLP and η_{m,k} independent noise
 *
 * Everything random comes from the passed-in `Rng`, so a seed reproduces the data and the truth exactly.
 */
import { z } from "zod";
import { formatZodIssues, UsageError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { Rng } from "../util/rng.ts";

export const ModalitySpec = z.object({
  /** Display name, e.g. "image"; default "m1", "m2", … */
  name: z.string().min(1).optional(),
  /** Number of modality-specific latents z_m. */
  latentDim: z.number().int().min(1),
  /** Number of measurements K_m (e.g. three face images, three LLM descriptions). */
  measurements: z.number().int().min(1).default(1),
  /** Dimension of each observation x_{m,k}. Must be ≥ the mixing input size so g is injective. */
  obsDim: z.number().int().min(1),
});
export type ModalitySpec = z.input<typeof ModalitySpec>;

export const MultimodalSpec = z.object({
  nSamples: z.number().int().min(2),
  modalities: z.array(ModalitySpec).min(1),
  /** Size of the shared latent s that enters every modality's mixing (0 = none). */
  sharedDim: z.number().int().min(0).default(0),
  /** Dimension of the independent noise η_{m,k} of each measurement (the "+ 1 noise" of the benchmarks). */
  noiseDim: z.number().int().min(0).default(1),
  /** Probability of each edge i → j (i < j) of the latent DAG. */
  edgeProbability: z.number().min(0).max(1).default(0.5),
  /** Add one random cross-modal edge if the draw produced none (the identifiability setting needs some). */
  ensureCrossModalEdge: z.boolean().default(true),
  /**
   * Redraw the DAG until it meets a sufficient support condition for Sun et al.'s structural sparsity
   * (ICLR 2025, Condition 4.3, the premise of component-wise identifiability): every modality latent has
   * a cross-modal parent or child, and no latent's set of cross-modal parents and children is contained in
   * another's of the same modality. Otherwise a mixing of the two inside their modality adds no
   * cross-modal edge, and the latents are only identifiable as a block (e.g. a latent without any
   * cross-modal edge is interchangeable with the modality's noise η). Ignored with a single modality.
   */
  structuralSparsity: z.boolean().default(true),
  /** Structural equations: linear-Gaussian, or nonlinear (a random tanh/LeakyReLU function of the parents). */
  mechanism: z.enum(["linear", "nonlinear"]).default("nonlinear"),
  /** Hidden width of each mixing MLP; default = the observation dimension. */
  mixingHidden: z.number().int().min(1).optional(),
  /** LeakyReLU negative slope in the mixing MLPs (keeps every layer invertible). */
  negativeSlope: z.number().gt(0).lt(1).default(0.2),
  /** Standard deviation of the exogenous noise of each latent relative to its parents' contribution. */
  latentNoiseScale: z.number().gt(0).default(1),
  /**
   * Law of the exogenous latent noises and of η (all with unit variance). With Gaussian noises, a sink
   * latent's own noise and its modality's η are interchangeable (any rotation of two independent
   * Gaussians is again two independent Gaussians), which caps component-wise recovery; Laplace or
   * uniform noises remove that symmetry.
   */
  noiseDistribution: z.enum(["gaussian", "laplace", "uniform"]).default("gaussian"),
});
export type MultimodalSpec = z.input<typeof MultimodalSpec>;
type ResolvedSpec = z.output<typeof MultimodalSpec>;

export interface LatentTruth {
  /** n × L, columns in DAG order [s_1.., z_{1,1}.., z_{2,1}.., …], each standardised to mean 0, sd 1. */
  latents: Matrix;
  /** Latent names: S1, S2, … for shared ones, Z11, Z12, … (modality, index) for modality latents. */
  names: string[];
  /** Owner of each latent: -1 for shared, else the 0-based modality index. */
  owner: number[];
  /** adjacency[i][j] = 1 when latent i causes latent j (i < j always). */
  adjacency: number[][];
  /** Edge weights of the structural equations (0 where no edge). */
  weights: number[][];
  /** Column ranges of each modality's latents inside `latents` ([start, end)). */
  modalityLatentRanges: Array<[number, number]>;
  /** Column range of the shared latents. */
  sharedRange: [number, number];
  /** noise[m][k]: n × noiseDim matrix of η_{m,k}. */
  noise: Matrix[][];
}

export interface MultimodalData {
  spec: ResolvedSpec;
  modalityNames: string[];
  /** observations[m][k]: n × obsDim_m matrix of x_{m,k}. */
  observations: Matrix[][];
  truth: LatentTruth;
}

/** Float32 copy of a matrix's data (row-major), the layout the neural-network code trains on. */
export function toFloat32(m: Matrix): Float32Array {
  return Float32Array.from(m.data);
}

/** Generates multimodal observations and their ground truth. */
export function generateMultimodal(specInput: MultimodalSpec, rng: Rng): MultimodalData {
  const parsed = MultimodalSpec.safeParse(specInput);
  if (!parsed.success) {
    throw new UsageError(`invalid multimodal spec: ${formatZodIssues(parsed.error.issues)}`);
  }
  const spec = parsed.data;
  const n = spec.nSamples;
  const modalityNames = spec.modalities.map((m, i) => m.name ?? `m${i + 1}`);
  spec.modalities.forEach((m, i) => {
    const inputDim = spec.sharedDim + m.latentDim + spec.noiseDim;
    if (m.obsDim < inputDim) {
      throw new UsageError(
        `modality ${modalityNames[i]}: obsDim ${m.obsDim} is smaller than the mixing input (${inputDim} = shared + latents + noise)`,
        "use obsDim ≥ sharedDim + latentDim + noiseDim so the mixing is injective",
      );
    }
    if (spec.mixingHidden !== undefined && spec.mixingHidden < inputDim) {
      throw new UsageError(
        `mixingHidden ${spec.mixingHidden} is smaller than modality ${modalityNames[i]}'s mixing input (${inputDim})`,
        "use mixingHidden ≥ sharedDim + latentDim + noiseDim so the mixing is injective",
      );
    }
  });

  // Latent layout and names.
  const names: string[] = [];
  const owner: number[] = [];
  for (let j = 0; j < spec.sharedDim; j++) { names.push(`S${j + 1}`); owner.push(-1); }
  const modalityLatentRanges: Array<[number, number]> = [];
  spec.modalities.forEach((m, mi) => {
    const start = names.length;
    for (let j = 0; j < m.latentDim; j++) { names.push(`Z${mi + 1}${j + 1}`); owner.push(mi); }
    modalityLatentRanges.push([start, names.length]);
  });
  const nLatents = names.length;

  const graphRng = rng.fork(1);
  // The condition is about cross-modal edges: a single modality has none to meet it with.
  const adjacency = spec.structuralSparsity && spec.modalities.length > 1 ? sparseIdentifiableDag(owner, spec, graphRng) : randomDag(owner, spec, graphRng);
  const weights = adjacency.map((row) => row.map((a) => (a ? signedWeight(graphRng) : 0)));
  const latents = sampleLatents(n, adjacency, weights, spec, rng.fork(2));

  const observations: Matrix[][] = [];
  const noise: Matrix[][] = [];
  const mixRng = rng.fork(3);
  const noiseRng = rng.fork(4);
  spec.modalities.forEach((m, mi) => {
    const [z0, z1] = modalityLatentRanges[mi]!;
    const inputDim = spec.sharedDim + m.latentDim + spec.noiseDim;
    const hidden = spec.mixingHidden ?? m.obsDim;
    const perMeasurement: Matrix[] = [];
    const perNoise: Matrix[] = [];
    for (let k = 0; k < m.measurements; k++) {
      const eta = noiseMatrix(n, spec.noiseDim, spec.noiseDistribution, noiseRng);
      const input = new Float64Array(n * inputDim);
      for (let i = 0; i < n; i++) {
        let c = 0;
        for (let j = 0; j < spec.sharedDim; j++) input[i * inputDim + c++] = latents.data[i * nLatents + j]!;
        for (let j = z0; j < z1; j++) input[i * inputDim + c++] = latents.data[i * nLatents + j]!;
        for (let j = 0; j < spec.noiseDim; j++) input[i * inputDim + c++] = eta.data[i * spec.noiseDim + j]!;
      }
      const mlp = randomMixingMlp([inputDim, hidden, hidden, m.obsDim], mixRng);
      perMeasurement.push(applyMixing(mlp, { rows: n, cols: inputDim, data: input }, spec.negativeSlope));
      perNoise.push(eta);
    }
    observations.push(perMeasurement);
    noise.push(perNoise);
  });

  return {
    spec,
    modalityNames,
    observations,
    truth: {
      latents,
      names,
      owner,
      adjacency,
      weights,
      modalityLatentRanges,
      sharedRange: [0, spec.sharedDim],
      noise,
    },
  };
}

const MAX_DAG_DRAWS = 100_000;

/** Draws `randomDag` until it meets `meetsStructuralSparsity` (see MultimodalSpec.structuralSparsity). */
function sparseIdentifiableDag(owner: number[], spec: ResolvedSpec, rng: Rng): number[][] {
  for (let draw = 0; draw < MAX_DAG_DRAWS; draw++) {
    const adjacency = randomDag(owner, spec, rng);
    if (meetsStructuralSparsity(adjacency, owner)) return adjacency;
  }
  throw new UsageError(
    `no latent DAG meeting the structural-sparsity condition in ${MAX_DAG_DRAWS} draws (edge probability ${spec.edgeProbability})`,
    "use more modalities or fewer latents per modality, change edgeProbability, or set structuralSparsity: false",
  );
}

/**
 * True when every modality latent has a cross-modal neighbour and, within each modality, no latent's
 * cross-modal neighbourhood (parents and children in other modalities, told apart) is a subset of
 * another's. With generic nonlinear mechanisms this makes any non-permutation mixing inside a modality
 * add cross-modal edges, as Condition 4.3 of Sun et al. requires. Shared latents are not modality latents.
 */
export function meetsStructuralSparsity(adjacency: number[][], owner: number[]): boolean {
  const L = owner.length;
  const neighbourhood = (i: number): Set<number> => {
    const set = new Set<number>();
    for (let k = 0; k < L; k++) {
      if (owner[k] === -1 || owner[k] === owner[i]) continue;
      if (adjacency[k]![i]) set.add(k); // parent k
      if (adjacency[i]![k]) set.add(L + k); // child k
    }
    return set;
  };
  const sets = owner.map((o, i) => (o === -1 ? undefined : neighbourhood(i)));
  for (let i = 0; i < L; i++) {
    const a = sets[i];
    if (!a) continue;
    if (a.size === 0) return false;
    for (let j = 0; j < L; j++) {
      const b = sets[j];
      if (j === i || !b || owner[j] !== owner[i]) continue;
      if ([...a].every((v) => b.has(v))) return false;
    }
  }
  return true;
}

/** Random DAG in index order; nothing points into a shared latent (they are the roots by definition). */
function randomDag(owner: number[], spec: ResolvedSpec, rng: Rng): number[][] {
  const L = owner.length;
  const adjacency = Array.from({ length: L }, () => new Array<number>(L).fill(0));
  const crossCandidates: Array<[number, number]> = [];
  let crossEdges = 0;
  for (let j = 0; j < L; j++) {
    if (owner[j] === -1) continue;
    for (let i = 0; i < j; i++) {
      const cross = owner[i] !== -1 && owner[i] !== owner[j];
      if (cross) crossCandidates.push([i, j]);
      if (rng.uniform() < spec.edgeProbability) {
        adjacency[i]![j] = 1;
        if (cross) crossEdges++;
      }
    }
  }
  if (spec.ensureCrossModalEdge && crossEdges === 0 && crossCandidates.length > 0) {
    const [i, j] = crossCandidates[rng.int(crossCandidates.length)]!;
    adjacency[i]![j] = 1;
  }
  return adjacency;
}

/** Weight magnitude in [0.5, 1.5] with a random sign: bounded away from 0 so every edge is detectable. */
function signedWeight(rng: Rng): number {
  return (rng.uniform() < 0.5 ? -1 : 1) * rng.uniformIn(0.5, 1.5);
}

function sampleLatents(n: number, adjacency: number[][], weights: number[][], spec: ResolvedSpec, rng: Rng): Matrix {
  const L = adjacency.length;
  const data = new Float64Array(n * L);
  const column = new Float64Array(n);
  for (let j = 0; j < L; j++) {
    const parents: number[] = [];
    for (let i = 0; i < j; i++) if (adjacency[i]![j]) parents.push(i);
    for (let r = 0; r < n; r++) {
      let signal = 0;
      for (const p of parents) {
        const v = data[r * L + p]!;
        // Nonlinear mechanism: a bounded saturating term plus a kinked one, so no parent acts linearly.
        signal += weights[p]![j]! * (spec.mechanism === "linear" ? v : Math.tanh(v) + 0.5 * leaky(v, 0.2));
      }
      column[r] = signal + spec.latentNoiseScale * drawNoise(spec.noiseDistribution, rng);
    }
    // Standardise each latent as it is generated (before its children use it): a valid SEM whose
    // variables all have unit scale, so deep chains neither explode nor vanish.
    standardiseInPlace(column);
    for (let r = 0; r < n; r++) data[r * L + j] = column[r]!;
  }
  return { rows: n, cols: L, data };
}

interface MixingMlp {
  layers: Array<{ inDim: number; outDim: number; weight: Float64Array; bias: Float64Array }>;
}

/**
 * Random MLP with Gaussian weights scaled by 1/sqrt(fan_in); each square-or-wider layer has full column
 * rank with probability 1, so with an invertible LeakyReLU between layers the map is injective.
 * Layers whose smallest singular value is tiny relative to the largest are redrawn (ill-conditioned
 * mixings make the benchmark about numerical noise, not about identifiability).
 */
function randomMixingMlp(sizes: number[], rng: Rng): MixingMlp {
  const layers: MixingMlp["layers"] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inDim = sizes[l]!;
    const outDim = sizes[l + 1]!;
    let weight = new Float64Array(inDim * outDim);
    for (let attempt = 0; attempt < 20; attempt++) {
      for (let i = 0; i < weight.length; i++) weight[i] = rng.normal() / Math.sqrt(inDim);
      if (columnConditionOk(weight, inDim, outDim)) break;
      weight = new Float64Array(inDim * outDim);
    }
    const bias = new Float64Array(outDim);
    for (let i = 0; i < outDim; i++) bias[i] = 0.1 * rng.normal();
    layers.push({ inDim, outDim, weight, bias });
  }
  return { layers };
}

/** weight is inDim × outDim (x · W). Checks the Gram matrix WᵀW-side conditioning via Gram–Schmidt. */
function columnConditionOk(weight: Float64Array, inDim: number, outDim: number): boolean {
  // Rows of W (length outDim) are the images of the input basis vectors; injectivity needs them
  // independent. Modified Gram–Schmidt gives the ratio of the smallest to the largest residual norm.
  if (outDim < inDim) return true;
  const basis: Float64Array[] = [];
  let minNorm = Infinity;
  let maxNorm = 0;
  for (let i = 0; i < inDim; i++) {
    const v = Float64Array.from(weight.subarray(i * outDim, (i + 1) * outDim));
    maxNorm = Math.max(maxNorm, Math.hypot(...v));
    for (const b of basis) {
      let dot = 0;
      for (let c = 0; c < outDim; c++) dot += v[c]! * b[c]!;
      for (let c = 0; c < outDim; c++) v[c] = v[c]! - dot * b[c]!;
    }
    const norm = Math.hypot(...v);
    minNorm = Math.min(minNorm, norm);
    if (norm === 0) return false;
    for (let c = 0; c < outDim; c++) v[c] = v[c]! / norm;
    basis.push(v);
  }
  return minNorm / maxNorm > 0.1;
}

function applyMixing(mlp: MixingMlp, input: Matrix, slope: number): Matrix {
  let current = input.data;
  let rows = input.rows;
  mlp.layers.forEach((layer, index) => {
    const out = new Float64Array(rows * layer.outDim);
    const last = index === mlp.layers.length - 1;
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < layer.outDim; o++) {
        let s = layer.bias[o]!;
        for (let i = 0; i < layer.inDim; i++) s += current[r * layer.inDim + i]! * layer.weight[i * layer.outDim + o]!;
        out[r * layer.outDim + o] = last ? s : leaky(s, slope);
      }
    }
    current = out;
  });
  const outDim = mlp.layers[mlp.layers.length - 1]!.outDim;
  return { rows, cols: outDim, data: current };
}

function leaky(v: number, slope: number): number {
  return v >= 0 ? v : slope * v;
}

/** A unit-variance draw: N(0, 1), Laplace(0, 1/√2) or U(−√3, √3). */
function drawNoise(law: "gaussian" | "laplace" | "uniform", rng: Rng): number {
  switch (law) {
    case "gaussian": return rng.normal();
    case "laplace": {
      const u = rng.uniform() - 0.5;
      return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u)) / Math.SQRT2;
    }
    case "uniform": return Math.sqrt(3) * (2 * rng.uniform() - 1);
  }
}

function noiseMatrix(rows: number, cols: number, law: "gaussian" | "laplace" | "uniform", rng: Rng): Matrix {
  if (law === "gaussian") return { rows, cols, data: rng.normals(rows * cols) };
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = drawNoise(law, rng);
  return { rows, cols, data };
}

function standardiseInPlace(values: Float64Array): void {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1)) || 1;
  for (let i = 0; i < n; i++) values[i] = (values[i]! - mean) / sd;
}
