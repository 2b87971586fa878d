import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataError } from "../../src/errors.ts";
import { MLP, Tensor, decodeSafetensors, encodeSafetensors, loadCheckpoint, loadModule, saveCheckpoint } from "../../src/nn/index.ts";
import { Rng } from "../../src/util/rng.ts";

/** A safetensors file built by hand from the format description (independent of encodeSafetensors). */
function handMade(): Uint8Array {
  const header = JSON.stringify({ __metadata__: { format: "pt" }, b: { dtype: "F64", shape: [2], data_offsets: [8, 24] }, a: { dtype: "F32", shape: [1, 2], data_offsets: [0, 8] } });
  const out = new Uint8Array(8 + header.length + 24);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(header.length), true);
  out.set(Buffer.from(header), 8);
  const base = 8 + header.length;
  view.setFloat32(base, 1.5, true);
  view.setFloat32(base + 4, -2, true);
  view.setFloat64(base + 8, 0.25, true);
  view.setFloat64(base + 16, 1e3, true);
  return out;
}

test("decodeSafetensors reads a hand-built file per the format (LE u64 header length, JSON header, F32 and F64 data)", () => {
  const { tensors, metadata } = decodeSafetensors(handMade());
  assert.deepEqual(metadata, { format: "pt" });
  assert.deepEqual(tensors.a!.shape, [1, 2]);
  assert.deepEqual(Array.from(tensors.a!.data), [1.5, -2]);
  assert.deepEqual(Array.from(tensors.b!.data), [0.25, 1000]);
});

test("encodeSafetensors writes an 8-byte-aligned header with F32 entries and round-trips through decode", () => {
  const t = { "layer.weight": Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]), "layer.bias": Tensor.from([0.5, -0.5]) };
  const bytes = encodeSafetensors(t, { epoch: "3" });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0);
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString());
  assert.deepEqual(header["layer.weight"], { dtype: "F32", shape: [2, 3], data_offsets: [8, 32] });
  assert.deepEqual(header["layer.bias"], { dtype: "F32", shape: [2], data_offsets: [0, 8] });
  const back = decodeSafetensors(bytes);
  assert.deepEqual(back.metadata, { epoch: "3" });
  assert.deepEqual(Array.from(back.tensors["layer.weight"]!.data), [1, 2, 3, 4, 5, 6]);
});

test("saveCheckpoint / loadModule restore an MLP exactly (extra tensors ignored when not strict); a mismatched model or a corrupt file gives a DataError naming the file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-nn-"));
  try {
    const path = join(dir, "model.safetensors");
    const mlp = new MLP([4, 6, 2], new Rng(1), { activation: "elu" });
    const head = new MLP([2, 3, 2], new Rng(2));
    await saveCheckpoint(path, { ...mlp.stateDict(), ...Object.fromEntries(head.namedParameters("head.")) }, { note: "test" });
    const again = new MLP([4, 6, 2], new Rng(99), { activation: "elu" });
    assert.notDeepEqual(again.layers[0]!.weight.data, mlp.layers[0]!.weight.data);
    const checkpoint = await loadCheckpoint(path);
    again.loadStateDict(checkpoint.tensors, false);
    mlp.namedParameters().forEach(([name, t]) => assert.deepEqual(again.stateDict()[name]!.data, t.data, name));
    assert.equal(checkpoint.metadata.note, "test");

    const solo = join(dir, "mlp.safetensors");
    await saveCheckpoint(solo, mlp);
    await loadModule(again, solo);
    await assert.rejects(loadModule(new MLP([4, 5, 2], new Rng(1)), solo), (e: unknown) => e instanceof DataError && e.message.includes(solo) && /layers\.0\.weight/.test(e.message));
    const corrupt = join(dir, "corrupt.safetensors");
    const bytes = await readFile(solo);
    await writeFile(corrupt, bytes.subarray(0, bytes.length - 10));
    await assert.rejects(loadCheckpoint(corrupt), (e: unknown) => e instanceof DataError && e.message.includes(corrupt) && /data_offsets/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
