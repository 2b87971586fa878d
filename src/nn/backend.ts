/**
 * Which linear-algebra path the nn code runs on. Defaults to the active one (native unless absent or
 * PERSONAX_NATIVE=0); tests switch explicitly with `setNnLinalg(fallbackLinalg)` to check both paths.
 */
import { activeLinalg, type Linalg } from "../linalg/linalg.ts";
import type { Kernels } from "../linalg/kernels.ts";

let current: Linalg | undefined;

export function nnLinalg(): Linalg {
  return (current ??= activeLinalg());
}

export function kernels(): Kernels {
  return nnLinalg().kernels;
}

/** Routes every later nn operation through `linalg`; returns the previous backend. */
export function setNnLinalg(linalg: Linalg): Linalg | undefined {
  const previous = current;
  current = linalg;
  return previous;
}
