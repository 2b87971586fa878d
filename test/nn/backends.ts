/** Runs a test body on both linear-algebra paths (nn ops route their GEMMs and fused kernels through it). */
import { test } from "node:test";
import { fallbackLinalg, nativeLinalg, type Linalg } from "../../src/linalg/index.ts";
import { setNnLinalg } from "../../src/nn/index.ts";

export function testBoth(title: string, body: (backend: Linalg) => void | Promise<void>): void {
  for (const [name, backend] of [["native", nativeLinalg()], ["fallback", fallbackLinalg]] as const) {
    test(`[${name}] ${title}`, { skip: backend ? false : "native addon not built" }, async () => {
      const previous = setNnLinalg(backend!);
      try {
        await body(backend!);
      } finally {
        if (previous) setNnLinalg(previous);
      }
    });
  }
}
