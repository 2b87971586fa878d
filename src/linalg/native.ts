/**
 * Loads the OpenBLAS/LAPACKE addon built from native/ by `npm ci` (scripts/build-native.mjs). Returns the
 * kernels, or the reason they are unavailable; never throws, because the fallback can always take over.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Kernels } from "./kernels.ts";

const addonPath = fileURLToPath(new URL("../../native/build/Release/personax_linalg.node", import.meta.url));

export type NativeLoad = { kernels: Kernels; path: string } | { kernels: undefined; reason: string };

export function loadNativeKernels(): NativeLoad {
  if (!existsSync(addonPath)) return { kernels: undefined, reason: `addon not built (${addonPath} missing)` };
  try {
    const addon = createRequire(import.meta.url)(addonPath) as Kernels;
    return { kernels: addon, path: addonPath };
  } catch (error) {
    return { kernels: undefined, reason: `addon failed to load: ${(error as Error).message.split("\n")[0]}` };
  }
}
