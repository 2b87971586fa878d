/**
 * CRL training checkpoints: the model's parameters in a safetensors file (src/nn/checkpoint.ts) with the
 * training state (epoch, curves, optimizer step count, configs) as JSON in its metadata. The latest
 * checkpoint is `<dir>/crl-latest.safetensors`; each save also keeps `crl-epoch-<N>.safetensors`. Adam's
 * state (step count, first and second moments) goes beside it in `crl-latest.adam.safetensors` (tensors
 * `m.<i>`, `v.<i>` in parameter order, the step in the metadata), so a resumed run continues exactly.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../errors.ts";
import { loadCheckpoint, loadModule, saveCheckpoint } from "../nn/checkpoint.ts";
import type { AdamState } from "../nn/optim.ts";
import { Tensor } from "../nn/tensor.ts";
import type { CrlModel } from "./model.ts";

export interface CrlCheckpointState {
  epoch: number;
  curve: unknown[];
  epochs: unknown[];
  optimizerSteps: number;
  config: unknown;
}

const LATEST = "crl-latest.safetensors";
const LATEST_ADAM = "crl-latest.adam.safetensors";

export async function saveCrlCheckpoint(dir: string, model: CrlModel, state: CrlCheckpointState, optimizer?: AdamState): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `crl-epoch-${state.epoch}.safetensors`);
  if (optimizer) {
    const tensors: Record<string, Tensor> = {};
    optimizer.m.forEach((m, i) => { tensors[`m.${i}`] = new Tensor(m, [m.length]); });
    optimizer.v.forEach((v, i) => { tensors[`v.${i}`] = new Tensor(v, [v.length]); });
    const adamPath = join(dir, `crl-epoch-${state.epoch}.adam.safetensors`);
    await saveCheckpoint(adamPath, tensors, { personax: "crl-adam", step: String(optimizer.step), count: String(optimizer.m.length) });
    await copyFile(adamPath, join(dir, LATEST_ADAM));
  }
  await saveCheckpoint(path, model, { personax: "crl", state: JSON.stringify(state) });
  await copyFile(path, join(dir, LATEST));
  return path;
}

/** The Adam state saved beside the latest checkpoint of `dir`; undefined when there is none. */
export async function loadCrlOptimizerState(dir: string): Promise<AdamState | undefined> {
  const path = join(dir, LATEST_ADAM);
  if (!existsSync(path)) return undefined;
  const { tensors, metadata } = await loadCheckpoint(path);
  const count = Number(metadata["count"]);
  const step = Number(metadata["step"]);
  if (metadata["personax"] !== "crl-adam" || !Number.isInteger(count) || !Number.isInteger(step)) {
    throw new ConfigError(path, "not a PersonaX CRL optimizer state (metadata lacks personax=crl-adam, step, count)");
  }
  const pick = (name: string) => {
    const t = tensors[name];
    if (!t) throw new ConfigError(path, `optimizer state lacks tensor ${name}`, "delete the checkpoint directory and train afresh");
    return t.data;
  };
  return { step, m: Array.from({ length: count }, (_, i) => pick(`m.${i}`)), v: Array.from({ length: count }, (_, i) => pick(`v.${i}`)) };
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
