/**
 * Finite-difference gradient checking for float32 tensors. The scalar objective is Σ wᵢ·outᵢ with fixed
 * random weights w, evaluated in float64 from the output values (so the final reduction adds no float32
 * rounding), and the analytic gradient is obtained by seeding backward() with w. Central differences
 * with step h; float32 storage of intermediates limits agreement to ~1e-4 relative.
 */
import assert from "node:assert/strict";
import { Tensor, noGrad } from "../../src/nn/index.ts";
import { Rng } from "../../src/util/rng.ts";

export interface GradCheckOptions {
  /** Finite-difference step. Default 1e-2 (large enough to beat float32 rounding, small for truncation). */
  h?: number;
  /** Allowed |analytic − numeric| ≤ tol·(1 + |numeric|). Default 2e-3. */
  tol?: number;
  /** At most this many coordinates per input are checked (chosen at random). Default all. */
  maxCoordinates?: number;
}

export function gradCheck(name: string, fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradCheckOptions = {}): void {
  const h = options.h ?? 1e-2, tol = options.tol ?? 2e-3;
  const rng = new Rng(12345);
  for (const x of inputs) { x.requiresGrad = true; x.grad = null; }
  const out = fn(...inputs);
  const weights = Float32Array.from(rng.normals(out.size));
  out.backward(weights);
  const objective = () => noGrad(() => {
    const o = fn(...inputs);
    let s = 0;
    for (let i = 0; i < o.size; i++) s += weights[i]! * o.data[i]!;
    return s;
  });
  inputs.forEach((x, n) => {
    const analytic = x.grad ?? new Float32Array(x.size);
    let coordinates = Array.from({ length: x.size }, (_, i) => i);
    if (options.maxCoordinates && coordinates.length > options.maxCoordinates) coordinates = rng.permutation(x.size).slice(0, options.maxCoordinates);
    for (const i of coordinates) {
      const saved = x.data[i]!;
      x.data[i] = saved + h;
      const up = objective();
      x.data[i] = saved - h;
      const down = objective();
      x.data[i] = saved;
      const numeric = (up - down) / (2 * h);
      assert.ok(Math.abs(analytic[i]! - numeric) <= tol * (1 + Math.abs(numeric)),
        `${name}: input ${n} [${x.shape.join(", ")}] coordinate ${i}: analytic ${analytic[i]} vs numeric ${numeric}`);
    }
  });
}

export function randomTensor(shape: number[], rng: Rng, low = -1, high = 1): Tensor {
  return Tensor.uniform(shape, low, high, rng, true);
}
