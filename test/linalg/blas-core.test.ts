/** Which OpenBLAS kernels run, and that native GEMMs stay accurate whichever they are (tested under each kernel set the environment selects). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { nativeLinalg } from "../../src/linalg/index.ts";
import { Rng } from "../../src/util/rng.ts";
import { skipNative } from "./backends.ts";

function coreOfChild(env: NodeJS.ProcessEnv): string {
  const script = `import { nativeLinalg } from "./src/linalg/index.ts"; console.log(nativeLinalg()?.blasCore());`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: new URL("../..", import.meta.url).pathname, env, encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

test("blasCore() names the kernels OpenBLAS runs, which OPENBLAS_CORETYPE selects when the addon loads", { skip: skipNative(nativeLinalg()) }, () => {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  assert.match(coreOfChild(env), /^\w+$/, "OpenBLAS's own choice for this CPU");
  assert.equal(coreOfChild({ ...env, OPENBLAS_CORETYPE: "Haswell" }), "Haswell");
  assert.equal(coreOfChild({ ...env, OPENBLAS_CORETYPE: "Sandybridge" }), "Sandybridge");
});

test("native sgemm and dgemm match the float64 product on a grid of shapes, transposes, strides, alpha and beta (small-matrix and blocked kernels)", { skip: skipNative(nativeLinalg()) }, () => {
  const k = nativeLinalg()!.kernels;
  const rng = new Rng(12);
  const shapes = [[1, 1, 1], [1, 7, 3], [5, 1, 9], [3, 4, 0], [7, 9, 13], [16, 16, 16], [17, 33, 65], [64, 64, 64], [65, 63, 130], [200, 70, 300], [513, 129, 257]];
  for (const [m, n, kk] of shapes as Array<[number, number, number]>) {
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]]) {
        const pad = 3; // leading dimensions longer than the rows
        const aRows = ta ? kk : m, aCols = ta ? m : kk, bRows = tb ? n : kk, bCols = tb ? kk : n;
        const lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        const a = Float64Array.from(rng.normals(Math.max(1, aRows * lda)));
        const b = Float64Array.from(rng.normals(Math.max(1, bRows * ldb)));
        const c0 = Float64Array.from(rng.normals(m * ldc));
        const expected = Float64Array.from(c0);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < kk; p++) s += (ta ? a[p * lda + i]! : a[i * lda + p]!) * (tb ? b[j * ldb + p]! : b[p * ldb + j]!);
          expected[i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c0[i * ldc + j]!);
        }
        const what = `${m}×${n}×${kk} ${ta ? "T" : "N"}${tb ? "T" : "N"} alpha ${alpha} beta ${beta}`;
        const c32 = Float32Array.from(c0);
        k.sgemm(ta, tb, m, n, kk, alpha, Float32Array.from(a), lda, Float32Array.from(b), ldb, beta, c32, ldc);
        const c64 = Float64Array.from(c0);
        k.dgemm(ta, tb, m, n, kk, alpha, a, lda, b, ldb, beta, c64, ldc);
        const scale = Math.sqrt(kk + 1) * Math.max(1, Math.abs(alpha)) + 1;
        for (let i = 0; i < m; i++) for (let j = 0; j < ldc; j++) {
          const at = i * ldc + j;
          if (j >= n) { // outside the result: untouched
            assert.equal(c64[at], c0[at], `${what}: dgemm wrote past n`);
            assert.equal(c32[at], Math.fround(c0[at]!), `${what}: sgemm wrote past n`);
            continue;
          }
          assert.ok(Math.abs(c64[at]! - expected[at]!) < 1e-12 * scale, `${what}: dgemm [${i}, ${j}] ${c64[at]} vs ${expected[at]}`);
          assert.ok(Math.abs(c32[at]! - expected[at]!) < 2e-5 * scale, `${what}: sgemm [${i}, ${j}] ${c32[at]} vs ${expected[at]}`);
        }
      }
    }
  }
});
