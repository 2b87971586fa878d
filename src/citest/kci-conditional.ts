import { ComputeError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import type { PrepareContext } from "./columns.ts";
import { pairLabel } from "./columns.ts";
import type { CiResult } from "./types.ts";
import type { KciOptions } from "./kci.ts";

export function kciConditional(data: Matrix, x: number, y: number, zs: readonly number[], _options: KciOptions, context?: PrepareContext): CiResult {
  throw new ComputeError(`kci ${pairLabel(x, y, zs, context)}: conditional KCI is not available yet (n = ${data.rows})`);
}
