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
import { gammaUpperTail } from "../stats/distributions.ts";
import { zScore } from "../stats/descriptive.ts";
import { checkQuery, getColumn } from "./columns.ts";
import { kernelSums, NEGLIGIBLE_LOG_KERNEL, type GaussianTagged } from "./kernel-sums.ts";
import { KciConditionalCache, kciConditional } from "./kci-conditional.ts";
import { numberOption, optionSchema, type OptionValues } from "./options.ts";
import type { CiTest } from "./types.ts";

const kciFields = {
  maxConditionalRows: numberOption(3000, "conditional KCI needs O(n²) memory and O(n³) time; larger inputs are refused with a clear error", { integer: true, positive: true }),
  cacheMegabytes: numberOption(256, "memory for conditional KCI's per-conditioning-set matrices, reused across queries (0 = no reuse)", { min: 0 }),
  epsilon: numberOption(1e-3, "ridge of the kernel regression on Z (causal-learn's epsilon_x/epsilon_y)", { positive: true }),
};
export const KciOptions = optionSchema(kciFields);
export type KciOptions = OptionValues<typeof kciFields>;

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
    const options = KciOptions.parse(rawOptions, "kci");
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
