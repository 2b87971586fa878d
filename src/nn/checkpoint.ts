/**
 * Checkpoints in the safetensors format (huggingface/safetensors, docs "format"): an 8-byte little-endian
 * unsigned header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__": {string: string}}, then the raw little-endian tensor bytes (offsets relative to the end
 * of the header). The header is space-padded to a multiple of 8 bytes, as the reference writer does, so
 * files open in Python with safetensors.torch.load_file and the state dict loads into the torch model.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { DataError } from "../errors.ts";
import { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}
export interface Checkpoint {
  tensors: Record<string, StoredTensor>;
  metadata: Record<string, string>;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const BYTES = { F32: 4, F64: 8 } as const;

/** Serialises tensors (a state dict or a Module) to safetensors bytes. Values are stored as F32. */
export function encodeSafetensors(source: Record<string, Tensor> | Module, metadata: Record<string, string> = {}): Uint8Array {
  const tensors = source instanceof Module ? source.stateDict() : source;
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    header[name] = { dtype: "F32", shape: [...t.shape], data_offsets: [offset, offset + 4 * t.size] };
    offset += 4 * t.size;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name]!;
    if (littleEndian) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, 4 * t.size), at);
    else for (let i = 0; i < t.size; i++) view.setFloat32(at + 4 * i, t.data[i]!, true);
    at += 4 * t.size;
  }
  return out;
}

/** Parses safetensors bytes (F32 or F64 tensors; F64 is converted to float32). `file` names the source in errors. */
export function decodeSafetensors(bytes: Uint8Array, file = "checkpoint"): Checkpoint {
  const bad = (problem: string, tensor?: string): never => {
    throw new DataError(file, 0, tensor, problem, "use a checkpoint written by saveCheckpoint or safetensors.torch.save_file (F32/F64 tensors)");
  };
  if (bytes.length < 8) bad(`file has ${bytes.length} bytes, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) bad(`header length ${headerLength} exceeds the file size ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString("utf8")) as Record<string, unknown>;
  } catch (error) {
    return bad(`header is not valid JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const tensors: Record<string, StoredTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") { metadata = entry as Record<string, string>; continue; }
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const width = BYTES[dtype as keyof typeof BYTES];
    if (!width) bad(`dtype ${dtype} is not supported (F32 or F64)`, name);
    if (!Array.isArray(shape) || !Array.isArray(offsets)) bad("entry lacks shape or data_offsets", name);
    const size = shape.reduce((p, d) => p * d, 1);
    const [begin, end] = offsets;
    if (end - begin !== size * width || dataStart + end > bytes.length || begin < 0) {
      bad(`data_offsets [${begin}, ${end}] do not hold ${size} ${dtype} values inside the file`, name);
    }
    const data = new Float32Array(size);
    const base = dataStart + begin;
    for (let i = 0; i < size; i++) data[i] = width === 4 ? view.getFloat32(base + 4 * i, true) : view.getFloat64(base + 8 * i, true);
    tensors[name] = { shape, data };
  }
  return { tensors, metadata };
}

/** Writes a checkpoint atomically (temporary file, then rename). */
export async function saveCheckpoint(path: string, source: Record<string, Tensor> | Module, metadata: Record<string, string> = {}): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, encodeSafetensors(source, metadata));
  await rename(temporary, path);
}

export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  return decodeSafetensors(await readFile(path), path);
}

/** Loads a checkpoint file into a module (strict: same names and shapes). */
export async function loadModule(module: Module, path: string): Promise<Checkpoint> {
  const checkpoint = await loadCheckpoint(path);
  try {
    module.loadStateDict(checkpoint.tensors, true, path);
  } catch (error) {
    throw new DataError(path, 0, undefined, (error as Error).message.replace(`${path}: `, ""), "load the checkpoint into the model it was saved from");
  }
  return checkpoint;
}
