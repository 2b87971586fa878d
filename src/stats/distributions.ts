/**
 * Upper-tail probabilities computed directly (never as 1 − cdf), so tiny p-values keep their relative
 * precision instead of underflowing to 0 the way scipy's `1 - cdf` does in the reference tools.
 */
import { gammaP, gammaQ } from "./incomplete-gamma.ts";
import erfc from "@stdlib/math-base-special-erfc";

/** Two-sided normal p-value 2·P(Z > |z|), the quantity Fisher-z reports. */
export function normalTwoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** P(X > x) for X ~ Gamma(shape, scale); 1 for x ≤ 0. NaN parameters give NaN. */
export function gammaUpperTail(x: number, shape: number, scale: number): number {
  if (!(shape > 0) || !(scale > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return gammaQ(shape, x / scale);
}

/** P(X ≤ x) for X ~ Gamma(shape, scale) (regularized lower incomplete gamma). */
export function gammaCdf(x: number, shape: number, scale: number): number {
  if (!(shape > 0) || !(scale > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  return gammaP(shape, x / scale);
}

/** P(X > x) for X ~ χ²(dof). */
export function chiSquareUpperTail(x: number, dof: number): number {
  return gammaUpperTail(x, dof / 2, 2);
}
