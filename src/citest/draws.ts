/**
 * Where RCIT's random numbers come from. Production uses our seeded `Rng`; a test can replay the
 * arrays recorded from the reference run (test/fixtures/README.md, "RCIT with recorded randomness") and
 * must then reproduce the reference statistic and p-value.
 */
import { ComputeError } from "../errors.ts";
import type { Rng } from "../util/rng.ts";

export interface DrawSource {
  /** rows × cols standard normals, row-major (numpy `np.random.normal(size=(rows, cols))`). */
  normal(rows: number, cols: number): Float64Array;
  /** rows × cols uniforms on [0, 1), row-major. */
  uniform(rows: number, cols: number): Float64Array;
}

export function rngDrawSource(rng: Rng): DrawSource {
  return {
    normal: (rows, cols) => rng.normals(rows * cols),
    uniform: (rows, cols) => rng.uniforms(rows * cols),
  };
}

export interface RecordedDraw {
  fn: string;
  size: number[];
  values: unknown;
}

/** Replays recorded draws in call order; a request that does not match the next record throws. */
export function recordedDrawSource(draws: readonly RecordedDraw[]): DrawSource {
  let next = 0;
  const take = (fn: string, rows: number, cols: number): Float64Array => {
    const d = draws[next];
    if (!d) throw new ComputeError(`recorded draws exhausted: call ${next + 1} asked for ${fn} (${rows}, ${cols})`);
    if (d.fn !== fn || d.size[0] !== rows || (d.size[1] ?? 1) !== cols) {
      throw new ComputeError(`recorded draw ${next} is ${d.fn} (${d.size.join(", ")}), but the test asked for ${fn} (${rows}, ${cols})`);
    }
    next++;
    return Float64Array.from((d.values as number[][]).flat(2) as number[]);
  };
  return { normal: (r, c) => take("normal", r, c), uniform: (r, c) => take("uniform", r, c) };
}
