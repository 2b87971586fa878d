import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type * as Tf from "@tensorflow/tfjs-core";
import { ComputeError, DataError } from "../errors.ts";
import { requireOptionalPackages } from "../util/optional-package.ts";
import { decodeImage, type RgbImage } from "./image.ts";

/**
 * Face embeddings with @vladmandic/human: its "faceres" description model gives a 1024-d embedding per
 * face. Everything loads from disk, with no network: the models from the package's own `models/`
 * folder through a tfjs load router for a "disk://" scheme (Node's fetch cannot read file://), and the
 * tfjs WASM backend's .wasm binaries from @tensorflow/tfjs-backend-wasm. Human's Node-WASM build
 * (dist/human.node-wasm.js) shares this process's @tensorflow/tfjs-core, so the router registered here
 * is the one it consults.
 */
export const FACE_MODEL = "human-faceres-1024";

/**
 * The packages face embeddings need (about 130 MB): optional peer dependencies of personax, loaded only here
 * (src/util/optional-package.ts), so `npm install personax` stays small and importing the library stays fast.
 */
export const FACE_PACKAGES = ["@vladmandic/human", "@tensorflow/tfjs-core", "@tensorflow/tfjs-converter", "@tensorflow/tfjs-backend-wasm"] as const;
const PURPOSE = "face embeddings (personax embed faces)";

const require = createRequire(import.meta.url);

function humanRoot(): string {
  requireOptionalPackages(FACE_PACKAGES, PURPOSE);
  return resolve(dirname(require.resolve("@vladmandic/human")), "..");
}

/** Where the sample photos shipped with @vladmandic/human live (used by tests and the demo). */
export function humanAssetsDir(): string {
  return join(humanRoot(), "assets");
}

let routerRegistered = false;
function registerDiskRouter(tf: typeof Tf): void {
  if (routerRegistered) return;
  routerRegistered = true;
  // tfjs's router type says IOHandler, but its registry treats a null return as "not mine".
  tf.io.registerLoadRouter(((url: string | string[]) => {
    if (typeof url !== "string" || !url.startsWith("disk://")) return null;
    const file = url.slice("disk://".length);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(file, "utf8"));
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const parts: Buffer[] = [];
          for (const group of manifest) for (const path of group.paths) parts.push(await readFile(join(dirname(file), path)));
          const all = Buffer.concat(parts);
          return [tf.io.getWeightSpecs(manifest), all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
        });
      },
    };
  }) as unknown as Parameters<typeof tf.io.registerLoadRouter>[0]);
}

export interface FaceResult {
  embedding: Float32Array<ArrayBuffer>;
  /** [x, y, width, height] of the face used, in pixels. */
  box: [number, number, number, number];
  score: number;
  /** Faces found in the image (the largest is used). */
  faces: number;
  /** Boxes of every confident face, in detection order. */
  boxes: Array<[number, number, number, number]>;
}

interface HumanLike {
  load(): Promise<void>;
  detect(input: unknown): Promise<{ face: Array<{ box: [number, number, number, number]; score: number; embedding?: number[] }> }>;
  tf: { getBackend(): string };
}

export class FaceEmbedder {
  private constructor(private readonly human: HumanLike, private readonly tf: typeof Tf, readonly minScore: number) {}

  /** Loads the detector, mesh and description models from the package on disk (about 1 s). */
  static async create(options: { minScore?: number } = {}): Promise<FaceEmbedder> {
    const root = humanRoot();
    const tf = (await import("@tensorflow/tfjs-core")) as typeof Tf;
    registerDiskRouter(tf);
    const wasmDir = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/");
    const { Human } = require(join(root, "dist/human.node-wasm.js")) as { Human: new (config: unknown) => HumanLike };
    const human = new Human({
      backend: "wasm", wasmPath: wasmDir, modelBasePath: `disk://${join(root, "models")}/`, debug: false, cacheModels: false,
      body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false },
      face: {
        enabled: true, detector: { maxDetected: 20, rotation: false, minConfidence: 0.2 }, mesh: { enabled: true },
        iris: { enabled: false }, description: { enabled: true }, emotion: { enabled: false }, antispoof: { enabled: false }, liveness: { enabled: false },
      },
    });
    try {
      await human.load();
    } catch (error) {
      throw new ComputeError(`cannot load the face models of @vladmandic/human: ${(error as Error).message}`, "reinstall dependencies with 'npm ci'");
    }
    if (human.tf.getBackend() !== "wasm") throw new ComputeError(`face models run on backend "${human.tf.getBackend()}", expected wasm`);
    return new FaceEmbedder(human, tf, options.minScore ?? 0.5);
  }

  /** The embedding of the largest confident face of an image file. */
  async embedFile(path: string): Promise<FaceResult> {
    return this.embedImage(await decodeImage(path), path);
  }

  async embedImage(image: RgbImage, label = "image"): Promise<FaceResult> {
    const tensor = this.tf.tensor4d(image.rgb, [1, image.height, image.width, 3], "int32");
    let result;
    try {
      result = await this.human.detect(tensor);
    } finally {
      tensor.dispose();
    }
    const faces = result.face.filter((f) => f.score >= this.minScore && f.embedding && f.embedding.length > 0);
    if (!faces.length) {
      const weak = result.face.length ? ` (${result.face.length} candidate(s) below confidence ${this.minScore})` : "";
      throw new DataError(label, 0, undefined, `no face found${weak}`,
        "use a photo with a clearly visible, roughly frontal face, or remove it from the image list");
    }
    const largest = faces.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a));
    return { embedding: Float32Array.from(largest.embedding!), box: largest.box, score: largest.score, faces: faces.length, boxes: faces.map((f) => f.box) };
  }
}
