/**
 * CRL training checkpoints: the model's parameters in a safetensors file (src/nn/checkpoint.ts) with the
 * training state (epoch, curves, optimizer step count, configs) as JSON in its metadata. The latest
 * checkpoint is `<dir>/crl-latest.safetensors`; each save also keeps `crl-epoch-<N>.safetensors`.
 * Adam's moment estimates are not stored (nn's Adam keeps them private): a resumed run restarts them
 * from zero, which perturbs the first few steps only.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../errors.ts";
import { loadModule, saveCheckpoint } from "../nn/checkpoint.ts";
import type { CrlModel } from "./model.ts";

export interface CrlCheckpointState {
  epoch: number;
  curve: unknown[];
  epochs: unknown[];
  optimizerSteps: number;
  config: unknown;
}

const LATEST = "crl-latest.safetensors";

export async function saveCrlCheckpoint(dir: string, model: CrlModel, state: CrlCheckpointState): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `crl-epoch-${state.epoch}.safetensors`);
  await saveCheckpoint(path, model, { personax: "crl", state: JSON.stringify(state) });
  await copyFile(path, join(dir, LATEST));
  return path;
}

/** Loads the latest checkpoint of `dir` into `model`; undefined when there is none. */
export async function loadCrlCheckpoint(dir: string, model: CrlModel): Promise<CrlCheckpointState | undefined> {
  const path = join(dir, LATEST);
  if (!existsSync(path)) return undefined;
  let checkpoint;
  try {
    checkpoint = await loadModule(model, path);
  } catch (error) {
    throw new ConfigError(path, `cannot resume: ${error instanceof Error ? error.message : String(error)}`,
      "resume with the same model config that wrote the checkpoint, or start afresh without --resume");
  }
  const raw = checkpoint.metadata["state"];
  if (checkpoint.metadata["personax"] !== "crl" || !raw) throw new ConfigError(path, "not a PersonaX CRL checkpoint (no training state in its metadata)");
  return JSON.parse(raw) as CrlCheckpointState;
}
