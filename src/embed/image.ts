import { readFile } from "node:fs/promises";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { DataError } from "../errors.ts";

/** A decoded image: interleaved 8-bit RGB, row-major. */
export interface RgbImage { width: number; height: number; rgb: Uint8Array }

/**
 * Decodes a JPEG or PNG file (recognised by its bytes, not its name). Anything else, a truncated file or
 * an absurdly large image is a DataError naming the file.
 */
export async function decodeImage(path: string): Promise<RgbImage> {
  let bytes: Buffer;
  try { bytes = await readFile(path); } catch (error) {
    throw new DataError(path, 0, undefined, `cannot read the image (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, "check the path in the image list");
  }
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let width: number, height: number, rgba: Uint8Array;
  try {
    if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, maxResolutionInMP: 50, maxMemoryUsageInMB: 1024 });
      ({ width, height } = img);
      rgba = img.data;
    } else if (isPng) {
      const img = PNG.sync.read(bytes);
      ({ width, height } = img);
      rgba = img.data;
    } else {
      throw new Error("not a JPEG or PNG file");
    }
  } catch (error) {
    throw new DataError(path, 0, undefined, `unreadable image: ${(error as Error).message}`, "re-save the photo as JPEG or PNG");
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height * 4; i += 4) { rgb[j++] = rgba[i]!; rgb[j++] = rgba[i + 1]!; rgb[j++] = rgba[i + 2]!; }
  return { width, height, rgb };
}

/** A rectangular crop (clamped to the image). */
export function cropImage(image: RgbImage, x: number, y: number, width: number, height: number): RgbImage {
  const x0 = Math.max(0, Math.floor(x)), y0 = Math.max(0, Math.floor(y));
  const w = Math.min(image.width - x0, Math.floor(width)), h = Math.min(image.height - y0, Math.floor(height));
  const rgb = new Uint8Array(w * h * 3);
  for (let r = 0; r < h; r++) rgb.set(image.rgb.subarray(((y0 + r) * image.width + x0) * 3, ((y0 + r) * image.width + x0 + w) * 3), r * w * 3);
  return { width: w, height: h, rgb };
}
