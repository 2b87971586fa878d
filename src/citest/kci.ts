/**
 * Kernel-based conditional independence test (KCI), as causal-learn 0.1.4.7 (causallearn/utils/KCI/KCI.py,
 * KCI_UInd / KCI_CInd with the defaults CIT(data, "kci") uses: Gaussian kernels, empirical widths,
 * gamma approximation).
 *
 * Unconditional: z-score x and y (ddof = 1); K = exp(−½·θ·(a − b)²) with θ = 1/w², w = 0.8 (n < 200),
 * 0.5 (n < 1200), 0.3 otherwise (set_width_empirical_hsic); V = Σ Kxc∘Kyc; gamma with
 * mean = tr(Kxc)·tr(Kyc)/n and var = 2·ΣKxc²·ΣKyc²/n². Computed on distinct values (kernel-sums.ts).
 *
 * Conditional: see kci-conditional.ts (dense n × n linear algebra).
 */
import { z } from "zod";
import { gammaUpperTail } from "../stats/distributions.ts";
import { zScore } from "../stats/descriptive.ts";
import { checkQuery, getColumn } from "./columns.ts";
import { kernelSums, NEGLIGIBLE_LOG_KERNEL, type GaussianTagged } from "./kernel-sums.ts";
import { KciConditionalCache, kciConditional } from "./kci-conditional.ts";
import type { CiTest } from "./types.ts";

export const KciOptions = z.object({
  maxConditionalRows: z.number().int().positive().default(3000)
    .describe("conditional KCI needs O(n²) memory and O(n³) time; larger inputs are refused with a clear error"),
  cacheMegabytes: z.number().nonnegative().default(256)
    .describe("memory for conditional KCI's per-conditioning-set matrices, reused across queries (0 = no reuse)"),
  epsilon: z.number().positive().default(1e-3).describe("ridge of the kernel regression on Z (causal-learn's epsilon_x/epsilon_y)"),
});
export type KciOptions = z.infer<typeof KciOptions>;

/** set_width_empirical_hsic: θ = 1/(w²·dim). */
export function kciUnconditionalTheta(n: number, dims = 1): number {
  const w = n < 200 ? 0.8 : n < 1200 ? 0.5 : 0.3;
  return 1 / (w * w) / dims;
}

/**
 * K = exp(−½·θ·(a − b)²). causal-learn evaluates exp(−0.5·d²·θ); we use exp(−h·d²) with h = ½θ, which
 * differs only in the last bit of the exponent (measured ≤ 1e-13 relative on the fixtures).
 */
export function gaussianKernel(theta: number): GaussianTagged {
  const h = 0.5 * theta;
  const k: GaussianTagged = (a, b) => Math.exp(-h * ((a - b) * (a - b)));
  k.gaussianH = h;
  return k;
}

export const kci: CiTest<KciOptions> = {
  name: "kci",
  title: "KCI (kernel-based conditional independence)",
  dataKind: "any",
  conditional: true,
  options: KciOptions,
  reference: "causal-learn 0.1.4.7 causallearn/utils/KCI/KCI.py KCI_UInd / KCI_CInd",
  prepare(data, rawOptions, context) {
    const options = KciOptions.parse(rawOptions ?? {});
    const cache = new KciConditionalCache(data, options.cacheMegabytes * 2 ** 20);
    return (x, y, zs) => {
      checkQuery("kci", data, x, y, zs, context);
      if (zs.length) return kciConditional(data, x, y, zs, options, context, cache);
      const n = data.rows;
      const theta = kciUnconditionalTheta(n);
      const kernel = gaussianKernel(theta);
      // exp(−½θd²) < e^−50 beyond this distance (see NEGLIGIBLE_LOG_KERNEL).
      const maxDistance = Math.sqrt((2 * NEGLIGIBLE_LOG_KERNEL) / theta);
      const s = kernelSums(zScore(getColumn(data, x)), zScore(getColumn(data, y)), kernel, kernel, { x: maxDistance, y: maxDistance }, false);
      const statistic = s.cross;
      const meanApprox = (s.traceXc * s.traceYc) / n;
      const varApprox = (2 * s.sumSqXc * s.sumSqYc) / n / n;
      const shape = meanApprox ** 2 / varApprox;
      const scale = varApprox / meanApprox;
      return {
        test: "kci", statistic, pValue: gammaUpperTail(statistic, shape, scale), n,
        details: { gamma_shape: shape, gamma_scale: scale, kernel_theta: [theta, theta], distinct: [s.distinctX, s.distinctY] },
      };
    };
  },
};
