/**
 * HSIC test with the gamma approximation, as `hsic_test` of the conditional_independence package
 * (uhlerlab/conditional_independence @ aa4b511, ci_tests/nonparametric/hsic.py, utils/kernels.py).
 *
 * `hsic` is faithful: Gaussian kernel k(a, b) = exp(−γa² − γb² + 2γab) with sig = 1/√2 (γ ≈ 1) on the RAW
 * values, where the reference computes the cross term 2γab with float32 `sgemm`; we emulate that as
 * 2·fround(fround(a)·fround(b)) so non-integer columns match to ~1e-9. `hsic-std` is our variant on
 * z-scored values (ddof = 1) with a float64 kernel exp(−(a − b)²), which is scale-free.
 * Statistic = Σ Kxc∘Kyc / n²; mean and variance from the reference's Theorems 3–4; p from the gamma upper tail.
 */
import { ComputeError } from "../errors.ts";
import { gammaUpperTail } from "../stats/distributions.ts";
import { zScore } from "../stats/descriptive.ts";
import { checkQuery, getColumn, pairLabel } from "./columns.ts";
import { kernelSums, NEGLIGIBLE_LOG_KERNEL, type GaussianTagged, type KernelSums, type ScalarKernel } from "./kernel-sums.ts";
import { numberOption, optionSchema, type OptionValues } from "./options.ts";
import type { CiTest } from "./types.ts";

const hsicFields = {
  sig: numberOption(1 / Math.sqrt(2), "kernel width σ: k = exp(−(a − b)²/(2σ²))", { positive: true }),
};
const HsicOptions = optionSchema(hsicFields);
export type HsicOptions = OptionValues<typeof hsicFields>;

/** The reference kernel with its float32 cross term (utils/kernels.py rbf_kernel). */
export function float32CrossKernel(sig: number): GaussianTagged {
  const precision = 1 / sig ** 2;
  const gamma = precision / 2;
  const alpha32 = Math.fround(2.0 * gamma);
  const k: GaussianTagged = (a, b) => Math.exp((-gamma * (a * a) + -gamma * (b * b)) + Math.fround(alpha32 * Math.fround(Math.fround(a) * Math.fround(b))));
  k.hsic32 = { gamma, alpha32 }; // lets kernel-sums run the same arithmetic in its WebAssembly loop
  return k;
}

export function plainGaussianKernel(sig: number): ScalarKernel {
  const gamma = 1 / (2 * sig * sig);
  const k: GaussianTagged = (a, b) => Math.exp(-gamma * ((a - b) * (a - b)));
  k.gaussianH = gamma;
  return k;
}

/**
 * Distance beyond which the kernel is below e^−50. With the float32 cross term the exponent carries an
 * error up to 2·|a|·|b|·2⁻²³, so the bound adds that for the largest |value| in the column.
 */
function negligibleDistance(values: Float64Array, sig: number, float32Cross: boolean): number {
  const gamma = 1 / (2 * sig * sig);
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]!));
  const noise = float32Cross ? 2 * maxAbs * maxAbs * 2 ** -23 * 2 * gamma : 0;
  return Math.sqrt((NEGLIGIBLE_LOG_KERNEL + noise) / gamma);
}

/** Statistic, gamma parameters and p-value from the kernel sums (hsic_test_vector). */
export function hsicFromSums(s: KernelSums): { statistic: number; pValue: number; meanApprox: number; varApprox: number } {
  const n = s.n;
  const statistic = s.cross / (n * n);
  const muX = (s.sumX - s.traceX) / (n * (n - 1));
  const muY = (s.sumY - s.traceY) / (n * (n - 1));
  const meanApprox = (1 / n) * (1 + muX * muY - muX - muY);
  const varCoef = (2 * (n - 4) * (n - 5)) / (n * (n - 1) * (n - 2) * (n - 3));
  const varApprox = (varCoef * (s.crossSq - s.crossSqDiag)) / (n * n);
  const shape = meanApprox ** 2 / varApprox;
  const scale = varApprox / meanApprox;
  return { statistic, pValue: gammaUpperTail(statistic, shape, scale), meanApprox, varApprox };
}

function makeHsic(name: "hsic" | "hsic-std"): CiTest<HsicOptions> {
  const standardized = name === "hsic-std";
  return {
    name,
    title: standardized ? "HSIC (standardized data, gamma approximation)" : "HSIC (raw data, fixed width, gamma approximation)",
    dataKind: "any",
    conditional: false,
    options: HsicOptions,
    reference: standardized
      ? "PersonaX variant of conditional_independence hsic_test on z-scored data"
      : "conditional_independence 0.1a.4 ci_tests/nonparametric/hsic.py hsic_test",
    prepare(data, rawOptions, context) {
      const options = HsicOptions.parse(rawOptions, name);
      const kernel = standardized ? plainGaussianKernel(options.sig) : float32CrossKernel(options.sig);
      return (x, y, zs) => {
        if (zs.length) {
          throw new ComputeError(`${name} ${pairLabel(x, y, zs, context)}: HSIC is unconditional here`, "use kci or rcit for conditional tests");
        }
        checkQuery(name, data, x, y, zs, context);
        if (data.rows < 6) {
          throw new ComputeError(`${name} ${pairLabel(x, y, zs, context)}: HSIC's variance formula needs at least 6 rows, got ${data.rows}`);
        }
        let cx = getColumn(data, x), cy = getColumn(data, y);
        if (standardized) { cx = zScore(cx); cy = zScore(cy); }
        const sums = kernelSums(cx, cy, kernel, kernel, { x: negligibleDistance(cx, options.sig, !standardized), y: negligibleDistance(cy, options.sig, !standardized) });
        const r = hsicFromSums(sums);
        return {
          test: name, statistic: r.statistic, pValue: r.pValue, n: data.rows,
          details: { mean_approx: r.meanApprox, var_approx: r.varApprox, distinct: [sums.distinctX, sums.distinctY] },
        };
      };
    },
  };
}

export const hsic = makeHsic("hsic");
export const hsicStd = makeHsic("hsic-std");
