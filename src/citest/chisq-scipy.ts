/**
 * SciPy's chi-square test of a two-way table: `scipy.stats.chi2_contingency(pd.crosstab(x, y))` with its
 * defaults (Pearson statistic, Yates continuity correction when dof = 1). Unconditional only. The table
 * has one row/column per observed value, so there are no empty rows or columns.
 */
import { ComputeError } from "../errors.ts";
import { chiSquareUpperTail } from "../stats/distributions.ts";
import { uniqueCodes } from "../stats/descriptive.ts";
import { checkQuery, getColumn, pairLabel } from "./columns.ts";
import { booleanOption, numberOption, optionSchema, type OptionValues } from "./options.ts";
import type { CiTest } from "./types.ts";

const chisqScipyFields = {
  correction: booleanOption(true, "Yates continuity correction when dof = 1 (scipy's default)"),
  maxTableCells: numberOption(20_000_000, "refuse larger tables", { integer: true, positive: true }),
};
const ChisqScipyOptions = optionSchema(chisqScipyFields);
export type ChisqScipyOptions = OptionValues<typeof chisqScipyFields>;

export const chisqScipy: CiTest<ChisqScipyOptions> = {
  name: "chisq-scipy",
  title: "Chi-square (SciPy chi2_contingency, Yates on 2×2)",
  dataKind: "discrete",
  conditional: false,
  options: ChisqScipyOptions,
  reference: "scipy 1.10.1 scipy.stats.chi2_contingency on pandas.crosstab",
  prepare(data, rawOptions, context) {
    const options = ChisqScipyOptions.parse(rawOptions, "chisq-scipy");
    return (x, y, zs) => {
      if (zs.length) {
        throw new ComputeError(`chisq-scipy ${pairLabel(x, y, zs, context)}: this test is unconditional only`, "use chisq or gsq for conditional tests");
      }
      checkQuery("chisq-scipy", data, x, y, zs, context, { nonConstant: false });
      const n = data.rows;
      const ux = uniqueCodes(getColumn(data, x)), uy = uniqueCodes(getColumn(data, y));
      const kx = ux.levels.length, ky = uy.levels.length;
      if (kx * ky > options.maxTableCells) {
        throw new ComputeError(
          `chisq-scipy ${pairLabel(x, y, zs, context)}: the table would have ${kx * ky} cells`,
          "bin continuous columns first or use kci/hsic/fisherz",
        );
      }
      const observed = new Float64Array(kx * ky);
      for (let i = 0; i < n; i++) observed[ux.codes[i]! * ky + uy.codes[i]!]!++;
      const dof = (kx - 1) * (ky - 1);
      const details = { table_shape: [kx, ky], yates: false };
      if (dof === 0) return { test: "chisq-scipy", statistic: 0, pValue: 1, dof: 0, n, details };
      const yates = options.correction && dof === 1;
      let statistic = 0;
      for (let a = 0; a < kx; a++) {
        for (let b = 0; b < ky; b++) {
          const expected = (ux.counts[a]! * uy.counts[b]!) / n;
          let o = observed[a * ky + b]!;
          if (yates) {
            const diff = expected - o;
            o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
          }
          statistic += ((o - expected) * (o - expected)) / expected;
        }
      }
      return { test: "chisq-scipy", statistic, pValue: chiSquareUpperTail(statistic, dof), dof, n, details: { ...details, yates } };
    };
  },
};
