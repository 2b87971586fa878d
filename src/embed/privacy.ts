import { randomInt } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError, formatZodIssues } from "../errors.ts";
import { readJsonFile } from "../dataset/json-file.ts";
import { Rng } from "../util/rng.ts";
import { orthonormalizeColumnsInPlace } from "./gram-schmidt.ts";

/**
 * The release's obfuscation of embeddings (DESIGN §1.1): a random orthogonal matrix per embedding kind,
 * v' = Q v. Orthogonal maps keep every distance and inner product, so analyses on the released
 * vectors are unchanged, while the published numbers no longer live in the embedding model's own
 * coordinates; the key holder can invert it exactly (v = Qᵀ v'). Q is Haar-distributed: the QR of a
 * Gaussian matrix with the signs of R's diagonal moved into Q (Mezzadri 2007).
 *
 * The key file holds one seed per kind and is written OUTSIDE the release folder; whoever has it can
 * rebuild Q. New keys draw their seeds from the OS's cryptographic generator (a key must not be
 * guessable), then all of Q's randomness comes from the seeded Rng.
 */
export const PrivacyKey = z.object({
  version: z.literal(1),
  transform: z.literal("orthogonal"),
  kinds: z.record(z.string(), z.object({ seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), dim: z.number().int().min(1) })),
});
export type PrivacyKey = z.infer<typeof PrivacyKey>;

export function newPrivacyKey(dims: Record<string, number>, seeds?: Record<string, number>): PrivacyKey {
  const kinds: PrivacyKey["kinds"] = {};
  for (const [kind, dim] of Object.entries(dims)) {
    kinds[kind] = { seed: seeds?.[kind] ?? randomInt(0, 2 ** 48 - 1), dim };
  }
  return { version: 1, transform: "orthogonal", kinds };
}

export async function readPrivacyKey(file: string): Promise<PrivacyKey> {
  const json = await readJsonFile(file, "pass the key file written by 'personax embed release'");
  const parsed = PrivacyKey.safeParse(json);
  if (!parsed.success) throw new ConfigError(file, `not a privacy key: ${formatZodIssues(parsed.error.issues)}`, "pass the key file written by 'personax embed release'");
  return parsed.data;
}

export async function writePrivacyKey(file: string, key: PrivacyKey): Promise<void> {
  await writeFile(file, JSON.stringify(key, null, 2) + "\n", { mode: 0o600 });
}

/**
 * A Haar-random d × d orthogonal matrix (row-major) from a seed: Gaussian columns, one modified Gram-Schmidt
 * pass. Keep it bit-for-bit stable: existing keys must rebuild the same Q.
 */
export function randomOrthogonal(dim: number, rng: Rng): Float64Array {
  const q = rng.normals(dim * dim); // columns are the vectors being orthonormalised
  orthonormalizeColumnsInPlace(q, dim, dim, 1);
  return q;
}

export class OrthogonalTransform {
  private constructor(readonly dim: number, private readonly q: Float64Array) {}

  static fromKey(key: PrivacyKey, kind: string): OrthogonalTransform {
    const entry = key.kinds[kind];
    if (!entry) throw new ConfigError("privacy key", `has no transform for embedding kind "${kind}"`, "create a new key for this release");
    return new OrthogonalTransform(entry.dim, randomOrthogonal(entry.dim, new Rng(entry.seed)));
  }

  /** v' = Q v */
  apply(vector: ArrayLike<number>): Float32Array<ArrayBuffer> {
    return this.multiply(vector, false);
  }

  /** v = Qᵀ v' */
  invert(vector: ArrayLike<number>): Float32Array<ArrayBuffer> {
    return this.multiply(vector, true);
  }

  private multiply(vector: ArrayLike<number>, transpose: boolean): Float32Array<ArrayBuffer> {
    const d = this.dim;
    if (vector.length !== d) throw new ConfigError("privacy key", `transform is ${d}-dimensional but the vector has ${vector.length} values`);
    const out = new Float32Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (transpose ? this.q[j * d + i]! : this.q[i * d + j]!) * vector[j]!;
      out[i] = s;
    }
    return out;
  }
}
