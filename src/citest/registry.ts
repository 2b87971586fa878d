/**
 * Every CI test, by CLI name. Adding a test means one new file plus one line here; the CLI choices,
 * the report legend and PC's test option all come from this object.
 */
import { chisqScipy } from "./chisq-scipy.ts";
import { chisq, gsq } from "./contingency.ts";
import { fisherz } from "./fisherz.ts";
import { hsic, hsicStd } from "./hsic.ts";
import { kci } from "./kci.ts";
import { rcit } from "./rcit.ts";
import type { CiTest } from "./types.ts";

export const ciTests = {
  fisherz,
  chisq,
  "chisq-scipy": chisqScipy,
  gsq,
  kci,
  hsic,
  "hsic-std": hsicStd,
  rcit,
} as const satisfies Record<string, CiTest<any>>;

export type CiTestName = keyof typeof ciTests;
export const ciTestNames = Object.keys(ciTests) as CiTestName[];

/** Looks a test up by name; an unknown name throws and lists the valid ones. */
export function getCiTest(name: string): CiTest<any> {
  const test = (ciTests as Record<string, CiTest<any>>)[name];
  if (!test) throw new RangeError(`unknown CI test "${name}"; valid: ${ciTestNames.join(", ")}`);
  return test;
}
