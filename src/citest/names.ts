/**
 * The CI tests' CLI names, in the registry's order. A module of its own, with no imports, so `--help` texts
 * can list the tests without loading them (and zod, the special functions and linear algebra with them);
 * registry.ts holds the tests and the type check there makes its keys exactly these names.
 */
const NAMES = ["fisherz", "chisq", "chisq-scipy", "gsq", "kci", "hsic", "hsic-std", "rcit"] as const;

export type CiTestName = (typeof NAMES)[number];
export const ciTestNames: CiTestName[] = [...NAMES];
