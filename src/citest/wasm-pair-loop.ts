/**
 * The hot loop of kernel-sums.ts's one-pass path (score × continuous column) in WebAssembly, with exp()
 * evaluated inline (table of 2^(j/128) + degree-5 polynomial, relative error < 5e-16). Math.exp is a
 * call out of optimized JavaScript (~10 ns); this loop does a pair in a few ns.
 *
 * The module is assembled from bytes below (no toolchain or download needed). It works on "points"
 * sorted by value: point p has value vals[p], category cat[p] and weight w[p]. For every p < q with
 * vals[q] − vals[p] ≤ maxDist it adds, with k = kernel(vals[p], vals[q]):
 *   u[p·kt + cat[q]] += k·w[q];   uT[cat[p]·m + q] += k·w[p]
 * and, when needSq, the same with k² into u2 / u2T; otherwise it returns Σ 2·k²·w[p]·w[q].
 * Kernel kinds: 0 = exp(−h·(a − b)²); 1 = HSIC's exp((−γa² − γb²) + f32(α·f32(f32(a)·f32(b)))).
 */

// --- a tiny WebAssembly assembler -------------------------------------------------------------
const uleb = (n: number): number[] => { const out: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { out.push(b); return out; } out.push(b | 0x80); }
};
const f64c = (x: number): number[] => { const b = new Uint8Array(new Float64Array([x]).buffer); return [0x44, ...b]; };
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f, F64 = 0x7c;
const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], else: [0x05], end: [0x0b], br: (d: number) => [0x0c, d], brIf: (d: number) => [0x0d, d],
  get: (i: number) => [0x20, ...uleb(i)], set: (i: number) => [0x21, ...uleb(i)], tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)], i32add: [0x6a], i32sub: [0x6b], i32mul: [0x6c], i32and: [0x71], i32shl: [0x74], i32shrS: [0x75],
  i32geS: [0x4e], i32ltS: [0x48], i32eqz: [0x45],
  f64: f64c, f64add: [0xa0], f64sub: [0xa1], f64mul: [0xa2], f64neg: [0x9a], f64nearest: [0x9e], f64gt: [0x64], f64lt: [0x63],
  f64load: [0x2b, 3, 0], f64store: [0x39, 3, 0], i32load: [0x28, 2, 0],
  i32truncF64S: [0xaa], f64convertI32S: [0xb7], i64extendI32S: [0xac], i64: (n: number) => [0x42, ...sleb(n)], i64add: [0x7c], i64shl: [0x86],
  f64reinterpretI64: [0xbf], f32demote: [0xb6], f64promote: [0xbb], f32mul: [0x94],
};

// Parameters and locals (indices).
const P = { m: 0, kt: 1, negH: 2, maxDist: 3, vals: 4, cat: 5, w: 6, u: 7, uT: 8, u2: 9, u2T: 10, needSq: 11, kind: 12, negGamma: 13, alpha32: 14, table: 15 };
const L = { p: 16, q: 17, catP: 18, catQ: 19, ki: 20, vp: 21, vq: 22, x: 23, k: 24, k2: 25, wp: 26, wq: 27, limit: 28, sum: 29, r: 30, s: 31, at: 32, rowP: 33, baseT: 34 };
const paramTypes = [I32, I32, F64, F64, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, I32];

const N = 256;
const LN2_HI = 0.693147180369123816490 / N, LN2_LO = 1.90821492927058770002e-10 / N;

/** exp(local x) → local k. Uses locals ki, r, s. */
function emitExp(): number[] {
  return [
    // if x < −745.2: k = 0 else ...
    ...op.get(L.x), ...op.f64(-745.2), ...op.f64lt, ...op.if,
    ...op.f64(0), ...op.set(L.k),
    ...op.else,
    // ki = nearest(x·N/ln2)
    ...op.get(L.x), ...op.f64(N / Math.LN2), ...op.f64mul, ...op.f64nearest, ...op.i32truncF64S, ...op.set(L.ki),
    // r = x − ki·LN2_HI − ki·LN2_LO
    ...op.get(L.x), ...op.get(L.ki), ...op.f64convertI32S, ...op.f64(LN2_HI), ...op.f64mul, ...op.f64sub,
    ...op.get(L.ki), ...op.f64convertI32S, ...op.f64(LN2_LO), ...op.f64mul, ...op.f64sub, ...op.set(L.r),
    // s = 1 + r(1 + r(1/2 + r(1/6 + r/24)))   (|r| ≤ ln2/512: the next term is < 4e-17)
    ...op.get(L.r), ...op.f64(1 / 24), ...op.f64mul, ...op.f64(1 / 6), ...op.f64add,
    ...op.get(L.r), ...op.f64mul, ...op.f64(0.5), ...op.f64add,
    ...op.get(L.r), ...op.f64mul, ...op.f64(1), ...op.f64add,
    ...op.get(L.r), ...op.f64mul, ...op.f64(1), ...op.f64add, ...op.set(L.s),
    // k = table[ki & (N−1)] · s · 2^((ki >> log2 N) + 1000) · 2^−1000   (two steps keep subnormals right)
    ...op.get(P.table), ...op.get(L.ki), ...op.i32(N - 1), ...op.i32and, ...op.i32(3), ...op.i32shl, ...op.i32add, ...op.f64load,
    ...op.get(L.s), ...op.f64mul,
    ...op.get(L.ki), ...op.i32(Math.log2(N)), ...op.i32shrS, ...op.i32(1000 + 1023), ...op.i32add, ...op.i64extendI32S, ...op.i64(52), ...op.i64shl, ...op.f64reinterpretI64,
    ...op.f64mul,
    ...op.i64(-1000 + 1023), ...op.i64(52), ...op.i64shl, ...op.f64reinterpretI64, ...op.f64mul,
    ...op.set(L.k),
    ...op.end,
  ];
}

const addr8 = (base: number, index: number) => [...op.get(base), ...op.get(index), ...op.i32(3), ...op.i32shl, ...op.i32add];

function emitBody(kind: 0 | 1, needSq: boolean): number[] {
  const f32 = (local: number) => [...op.get(local), ...op.f32demote];
  return [
    ...op.i32(0), ...op.set(L.p),
    ...op.block, ...op.loop, // outer over p
    ...op.get(L.p), ...op.get(P.m), ...op.i32geS, ...op.brIf(1),
    ...addr8(P.vals, L.p), ...op.f64load, ...op.set(L.vp),
    ...addr8(P.w, L.p), ...op.f64load, ...op.set(L.wp),
    ...op.get(P.cat), ...op.get(L.p), ...op.i32(2), ...op.i32shl, ...op.i32add, ...op.i32load, ...op.set(L.catP),
    ...op.get(L.vp), ...op.get(P.maxDist), ...op.f64add, ...op.set(L.limit),
    ...op.get(L.p), ...op.get(P.kt), ...op.i32mul, ...op.set(L.rowP),
    ...op.get(L.catP), ...op.get(P.m), ...op.i32mul, ...op.set(L.baseT),
    ...op.get(L.p), ...op.i32(1), ...op.i32add, ...op.set(L.q),
    ...op.block, ...op.loop, // inner over q
    ...op.get(L.q), ...op.get(P.m), ...op.i32geS, ...op.brIf(1),
    ...addr8(P.vals, L.q), ...op.f64load, ...op.tee(L.vq), ...op.get(L.limit), ...op.f64gt, ...op.brIf(1),
    // exponent (each kind gets its own specialised function, so no branch per pair)
    ...(kind === 0
      ? [...op.get(L.vp), ...op.get(L.vq), ...op.f64sub, ...op.tee(L.x), ...op.get(L.x), ...op.f64mul, ...op.get(P.negH), ...op.f64mul, ...op.set(L.x)]
      : [...op.get(P.negGamma), ...op.get(L.vp), ...op.get(L.vp), ...op.f64mul, ...op.f64mul,
        ...op.get(P.negGamma), ...op.get(L.vq), ...op.get(L.vq), ...op.f64mul, ...op.f64mul, ...op.f64add,
        ...f32(P.alpha32), ...f32(L.vp), ...f32(L.vq), ...op.f32mul, ...op.f32mul, ...op.f64promote, ...op.f64add, ...op.set(L.x)]),
    ...emitExp(),
    ...addr8(P.w, L.q), ...op.f64load, ...op.set(L.wq),
    ...op.get(P.cat), ...op.get(L.q), ...op.i32(2), ...op.i32shl, ...op.i32add, ...op.i32load, ...op.set(L.catQ),
    // u[p·kt + catQ] += k·wq
    ...op.get(L.rowP), ...op.get(L.catQ), ...op.i32add, ...op.set(L.at),
    ...addr8(P.u, L.at), ...addr8(P.u, L.at), ...op.f64load, ...op.get(L.k), ...op.get(L.wq), ...op.f64mul, ...op.f64add, ...op.f64store,
    // uT[catP·m + q] += k·wp
    ...op.get(L.baseT), ...op.get(L.q), ...op.i32add, ...op.set(L.ki),
    ...addr8(P.uT, L.ki), ...addr8(P.uT, L.ki), ...op.f64load, ...op.get(L.k), ...op.get(L.wp), ...op.f64mul, ...op.f64add, ...op.f64store,
    ...op.get(L.k), ...op.get(L.k), ...op.f64mul, ...op.set(L.k2),
    ...(needSq
      ? [...addr8(P.u2, L.at), ...addr8(P.u2, L.at), ...op.f64load, ...op.get(L.k2), ...op.get(L.wq), ...op.f64mul, ...op.f64add, ...op.f64store,
        ...addr8(P.u2T, L.ki), ...addr8(P.u2T, L.ki), ...op.f64load, ...op.get(L.k2), ...op.get(L.wp), ...op.f64mul, ...op.f64add, ...op.f64store]
      : [...op.get(L.sum), ...op.get(L.k2), ...op.get(L.wp), ...op.f64mul, ...op.get(L.wq), ...op.f64mul, ...op.f64add, ...op.set(L.sum)]),
    ...op.get(L.q), ...op.i32(1), ...op.i32add, ...op.set(L.q), ...op.br(0),
    ...op.end, ...op.end, // inner loop, block
    ...op.get(L.p), ...op.i32(1), ...op.i32add, ...op.set(L.p), ...op.br(0),
    ...op.end, ...op.end, // outer loop, block
    ...op.get(L.sum), ...op.f64(2), ...op.f64mul,
    ...op.end,
  ];
}

function assemble(): Uint8Array {
  const type = section(1, vec([[0x60, ...vec(paramTypes.map((t) => [t])), ...vec([[F64]])]]));
  const imports = section(2, vec([[...str("env"), ...str("mem"), 0x02, 0x00, ...uleb(1)]]));
  // Four functions: run_<kind>_<needSq>.
  const variants: Array<[0 | 1, boolean]> = [[0, false], [0, true], [1, false], [1, true]];
  const funcs = section(3, vec(variants.map(() => uleb(0))));
  const exports = section(7, vec(variants.map(([k, sq], i) => [...str(`run_${k}_${sq ? 1 : 0}`), 0x00, ...uleb(i)])));
  // Locals after the 16 params: indices 16..20 i32 (p q catP catQ ki), 21..31 f64, 32..34 i32 (at rowP baseT).
  const bodies = variants.map(([k, sq]) => [...vec([[...uleb(5), I32], [...uleb(11), F64], [...uleb(3), I32]]), ...emitBody(k, sq)]);
  const code = section(10, vec(bodies.map((body) => [...uleb(body.length), ...body])));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

type RunFn = (...args: number[]) => number;
/** The few WebAssembly globals used here (the project's TypeScript lib has no DOM/WebAssembly types). */
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: { memory: { buffer: ArrayBuffer }; exports: Record<string, unknown> } | undefined;

function instance(bytesNeeded: number) {
  const pages = Math.ceil(bytesNeeded / 65536) + 1;
  if (!compiled || compiled.memory.buffer.byteLength < pages * 65536) {
    const memory = new wasm.Memory({ initial: pages });
    const module = new wasm.Module(assemble());
    const inst = new wasm.Instance(module, { env: { mem: memory } });
    compiled = { memory, exports: inst.exports };
  }
  return compiled;
}

export interface PairLoopInput {
  values: Float64Array; categories: Int32Array; weights: Float64Array; kt: number; maxDistance: number; needSq: boolean;
  kernel: { kind: "gaussian"; h: number } | { kind: "hsic32"; gamma: number; alpha32: number };
}

/** Runs the pair loop; returns u, uT (and u2, u2T when needSq) as new arrays plus Σ 2k²·w·w when !needSq. */
export function wasmPairLoop(input: PairLoopInput): { u: Float64Array; uT: Float64Array; u2?: Float64Array; u2T?: Float64Array; sumK2Off: number } {
  const m = input.values.length, kt = input.kt;
  const table = 0, vals = table + N * 8, w = vals + m * 8, u = w + m * 8, uT = u + m * kt * 8;
  const u2 = uT + m * kt * 8, u2T = u2 + (input.needSq ? m * kt * 8 : 0), cat = u2T + (input.needSq ? m * kt * 8 : 0);
  const end = cat + m * 4;
  const { memory, exports } = instance(end);
  const run = exports[`run_${input.kernel.kind === "gaussian" ? 0 : 1}_${input.needSq ? 1 : 0}`] as RunFn;
  const buf = memory.buffer;
  const t = new Float64Array(buf, table, N);
  for (let j = 0; j < N; j++) t[j] = 2 ** (j / N);
  new Float64Array(buf, vals, m).set(input.values);
  new Float64Array(buf, w, m).set(input.weights);
  new Int32Array(buf, cat, m).set(input.categories);
  new Float64Array(buf, u, m * kt * (input.needSq ? 4 : 2)).fill(0);
  const k = input.kernel;
  const sumK2Off = run(m, kt, k.kind === "gaussian" ? -k.h : 0, input.maxDistance, vals, cat, w, u, uT, u2, u2T,
    input.needSq ? 1 : 0, k.kind === "gaussian" ? 0 : 1, k.kind === "hsic32" ? -k.gamma : 0, k.kind === "hsic32" ? k.alpha32 : 0, table);
  return {
    u: new Float64Array(buf.slice(u, u + m * kt * 8)),
    uT: new Float64Array(buf.slice(uT, uT + m * kt * 8)),
    ...(input.needSq ? { u2: new Float64Array(buf.slice(u2, u2 + m * kt * 8)), u2T: new Float64Array(buf.slice(u2T, u2T + m * kt * 8)) } : {}),
    sumK2Off,
  };
}
