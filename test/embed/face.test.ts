import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { FaceEmbedder, FACE_MODEL, humanAssetsDir } from "../../src/embed/face.ts";
import { cropImage, decodeImage } from "../../src/embed/image.ts";
import { embedFacesIntoStore, readImageList } from "../../src/embed/face-store.ts";
import { openStore } from "../../src/dataset/store.ts";
import { DataError } from "../../src/errors.ts";

// Sample photos shipped inside the @vladmandic/human package (assets/).
const HUMAN_ASSETS = humanAssetsDir();
const SAMPLES = join(HUMAN_ASSETS, "samples.jpg");      // a contact sheet of several people
const FACE_ID = join(HUMAN_ASSETS, "screenshot-faceid.jpg"); // one face
const AVATAR = join(HUMAN_ASSETS, "screenshot-vrm.jpg");     // a 3-D avatar: no human face
const GROUP = join(HUMAN_ASSETS, "screenshot-facedetect.jpg"); // several faces
// Two different people on the contact sheet (face boxes found by the detector on the full sheet).
const PERSON_A = [178, 0, 101, 96], PERSON_B = [414, 13, 74, 73];

let embedder: FaceEmbedder;
before(async () => { embedder = await FaceEmbedder.create(); });

const cosine = (a: Float32Array, b: Float32Array) => {
  let s = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { s += a[i]! * b[i]!; na += a[i]! ** 2; nb += b[i]! ** 2; }
  return s / Math.sqrt(na * nb);
};

test("FaceEmbedder gives a 1024-d embedding of the largest face of a real photo, deterministically", async () => {
  const first = await embedder.embedFile(FACE_ID);
  assert.equal(first.embedding.length, 1024);
  assert.ok(first.embedding.every(Number.isFinite));
  assert.ok(first.score > 0.9);
  const again = await embedder.embedFile(FACE_ID);
  assert.deepEqual(again.embedding, first.embedding);
});

test("FaceEmbedder uses the largest of several faces", async () => {
  const result = await embedder.embedFile(GROUP);
  assert.ok(result.faces > 1, `faces: ${result.faces}`);
  const area = (b: number[]) => b[2]! * b[3]!;
  assert.equal(area(result.box), Math.max(...result.boxes.map(area)));
  assert.ok(result.boxes.some((b) => area(b) < area(result.box)));
});

test("FaceEmbedder: two crops of one person are close, two people are far apart (sample contact sheet)", async () => {
  const sheet = await decodeImage(SAMPLES);
  const crop = async (b: number[], margin: number) =>
    (await embedder.embedImage(cropImage(sheet, b[0]! - margin, b[1]! - margin, b[2]! + 2 * margin, b[3]! + 2 * margin))).embedding;
  const a1 = await crop(PERSON_A, 30), a2 = await crop(PERSON_A, 60), b1 = await crop(PERSON_B, 30);
  // Measured: same person ≈ 0.96, different people ≈ 0.35.
  assert.ok(cosine(a1, a2) > 0.85, `same person: ${cosine(a1, a2)}`);
  assert.ok(cosine(a1, b1) < 0.6, `different people: ${cosine(a1, b1)}`);
});

test("FaceEmbedder reports 'no face found' and unreadable images as DataErrors naming the file", async () => {
  await assert.rejects(embedder.embedFile(AVATAR), (e: unknown) => e instanceof DataError && /screenshot-vrm\.jpg: no face found/.test(e.message));
  const dir = await mkdtemp(join(tmpdir(), "personax-face-"));
  try {
    const gray = new PNG({ width: 64, height: 64 });
    gray.data.fill(128);
    await writeFile(join(dir, "gray.png"), PNG.sync.write(gray));
    await assert.rejects(embedder.embedFile(join(dir, "gray.png")), /gray\.png: no face found/);
    await writeFile(join(dir, "notes.jpg"), "this is not an image");
    await assert.rejects(embedder.embedFile(join(dir, "notes.jpg")), /notes\.jpg: unreadable image: not a JPEG or PNG file/);
    await writeFile(join(dir, "cut.jpg"), (await import("node:fs")).readFileSync(FACE_ID).subarray(0, 2000));
    await assert.rejects(embedder.embedFile(join(dir, "cut.jpg")), /cut\.jpg: unreadable image/);
    await assert.rejects(embedder.embedFile(join(dir, "missing.jpg")), /missing\.jpg: cannot read the image \(ENOENT\)/);
  } finally { await rm(dir, { recursive: true, force: true }); }
});

test("embedFacesIntoStore() writes one measurement per image of a person and skips faceless images with a report", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-faces-"));
  const store = await openStore(":memory:");
  try {
    await mkdir(join(dir, "p1")); await mkdir(join(dir, "p2"));
    await copyFile(FACE_ID, join(dir, "p1", "a.jpg"));
    await copyFile(FACE_ID, join(dir, "p1", "b.jpg"));
    await copyFile(AVATAR, join(dir, "p2", "a.jpg"));
    await store.insertPersons(["p1", "p2"].map((id) => ({ id, flavour: "celeb", birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null,
      height_cm: null, weight_kg: null, occupation: null, gender: null, league: null })));
    const images = await readImageList(dir);
    assert.deepEqual(images.map((i) => i.personId), ["p1", "p1", "p2"]);
    const summary = await embedFacesIntoStore(store, images, { embedder });
    assert.equal(summary.written, 2);
    assert.equal(summary.failures.length, 1);
    assert.match(summary.failures[0]!.message, /no face found/);
    const csv = join(dir, "images.csv");
    await writeFile(csv, "id,image\np2,p1/a.jpg\np2,p1/b.jpg\n");
    assert.deepEqual(await readImageList(csv), [{ personId: "p2", path: join(dir, "p1", "a.jpg") }, { personId: "p2", path: join(dir, "p1", "b.jpg") }]);
    // Read as a table: quoted fields keep their commas, ids stay text ("007" is not 7).
    await writeFile(csv, 'id,image\n007,"my photos, 2019/a.jpg"\n');
    assert.deepEqual(await readImageList(csv), [{ personId: "007", path: join(dir, "my photos, 2019", "a.jpg") }]);
    await writeFile(csv, "person,image\np2,p1/a.jpg\n");
    await assert.rejects(readImageList(csv), /images\.csv, row 1, column "id": no such column\n  fix: use one of: person, image/);
    await writeFile(csv, "id,image\np2,\n");
    await assert.rejects(readImageList(csv), /images\.csv, row 2, column "image": empty image path/);
    const blocks = await store.readEmbeddings("face");
    assert.deepEqual(blocks.map((b) => [b.measurement, b.model, b.ids.join(), b.dim]), [[0, FACE_MODEL, "p1", 1024], [1, FACE_MODEL, "p1", 1024]]);
  } finally {
    store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
