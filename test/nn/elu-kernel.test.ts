/** The native ELU forward (one-polynomial expm1 for the negative side) is float32-accurate over its whole input range. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { nativeLinalg } from "../../src/linalg/index.ts";
import { ACTIVATION_CODES } from "../../src/linalg/kernels.ts";

test("native ELU forward is within 1.5e-7 relative of α·expm1(x) on a dense sweep of [−100, 0] and tiny inputs, and exact for x > 0", { skip: nativeLinalg() ? false : "native addon not built" }, () => {
  const k = nativeLinalg()!.kernels;
  const xs: number[] = [];
  for (let x = -100; x <= 0; x += 0.000731) xs.push(x);
  for (let e = -40; e <= 0; e += 0.25) xs.push(-(2 ** e));
  xs.push(0, 1e-30, 0.5, 3, 1e6);
  const inputs = Float32Array.from(xs);
  for (const alpha of [1, 0.5]) {
    const y = inputs.slice();
    k.biasActivation(y, 1, y.length, null, ACTIVATION_CODES.elu, alpha);
    let worst = 0, at = 0;
    inputs.forEach((v, i) => {
      if (v > 0) return assert.equal(y[i], v, `x = ${v} passes through`);
      const expected = alpha * Math.expm1(v);
      const err = expected === 0 ? Math.abs(y[i]!) : Math.abs(y[i]! - expected) / Math.abs(expected);
      if (err > worst) { worst = err; at = v; }
    });
    assert.ok(worst <= 1.5e-7, `α = ${alpha}: worst relative error ${worst} at x = ${at}`);
  }
});
