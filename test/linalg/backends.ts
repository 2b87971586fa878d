/** Both linear-algebra paths, so one test process checks every numeric contract on each. */
import { fallbackLinalg, nativeLinalg, type Linalg } from "../../src/linalg/index.ts";

/** [name, backend | undefined]: tests use `{ skip }` when the addon is not built, so the gap is visible. */
export const backends: Array<[string, Linalg | undefined]> = [["native", nativeLinalg()], ["fallback", fallbackLinalg]];
export const skipNative = (b: Linalg | undefined) => (b ? false : "native addon not built (npm ci builds it when OpenBLAS is installed)");
