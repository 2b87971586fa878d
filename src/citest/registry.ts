/**
 * Every CI test, by CLI name, with what runners need to know about it. Adding a test means one new file, one
 * line here and its name in names.ts (the `satisfies` below fails until the two agree); the CLI choices, the report legend, PC's test option, Level I's scheduling and seeding all
 * come from this object, so no runner switches on a test's name.
 */
import { UsageError } from "../errors.ts";
import { chisqScipy } from "./chisq-scipy.ts";
import { chisq, gsq } from "./contingency.ts";
import { fisherz } from "./fisherz.ts";
import { hsic, hsicStd } from "./hsic.ts";
import { kci } from "./kci.ts";
import { chisqCell, fisherzCell, gsqCell, type Level1Columns } from "./level1-fast.ts";
import { ciTestNames, type CiTestName } from "./names.ts";
import { rcit } from "./rcit.ts";
import type { CiResult, CiTest } from "./types.ts";

/** What a runner needs to know about a test beyond its contract. */
export interface CiTestTraits {
  /**
   * Draws random numbers (its options take a `seed`): runners give each query its own seed, so a result never
   * depends on the order, the thread or the other queries of a run (PC: derived from the query; Level I: per cell).
   */
  randomized: boolean;
  /**
   * "kernel": O(m²) in the distinct (x, y) value pairs; Level I runs large batches of them on worker threads.
   * "linear": about linear in the rows; always run in the calling thread.
   */
  cost: "linear" | "kernel";
  /**
   * Level I fast path: one unconditional cell straight from the matrix's shared column codes, equal bit for bit
   * to the general path; undefined (or returning undefined) means the general path answers.
   */
  level1Cell?: (columns: Level1Columns, row: string, col: string) => CiResult | undefined;
}

export type RegisteredCiTest<O = any> = CiTest<O> & CiTestTraits;

const entry = <O>(test: CiTest<O>, traits: CiTestTraits): RegisteredCiTest<O> => ({ ...test, ...traits });

export const ciTests = {
  fisherz: entry(fisherz, { randomized: false, cost: "linear", level1Cell: fisherzCell }),
  chisq: entry(chisq, { randomized: false, cost: "linear", level1Cell: chisqCell }),
  "chisq-scipy": entry(chisqScipy, { randomized: false, cost: "linear" }),
  gsq: entry(gsq, { randomized: false, cost: "linear", level1Cell: gsqCell }),
  kci: entry(kci, { randomized: false, cost: "kernel" }),
  hsic: entry(hsic, { randomized: false, cost: "kernel" }),
  "hsic-std": entry(hsicStd, { randomized: false, cost: "kernel" }),
  rcit: entry(rcit, { randomized: true, cost: "linear" }),
} as const satisfies Record<CiTestName, RegisteredCiTest>;

export { ciTestNames, type CiTestName };

/** Looks a test up by name; an unknown name is a UsageError (exit code 2) that lists the valid ones. */
export function getCiTest(name: string): RegisteredCiTest {
  const test = Object.hasOwn(ciTests, name) ? (ciTests as Record<string, RegisteredCiTest>)[name] : undefined;
  if (!test) throw new UsageError(`unknown CI test "${name}"`, `use one of: ${ciTestNames.join(", ")}`);
  return test;
}
