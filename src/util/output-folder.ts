import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** An output folder that remembers what was written into it, so commands can list their files. */
export interface OutputFolder {
  readonly dir: string;
  /** Paths written so far, in order. */
  readonly written: string[];
  put(name: string, content: string | Uint8Array): Promise<string>;
}

/** Creates `dir` (recursively) and returns a writer that records every file it puts there. */
export async function openOutputFolder(dir: string): Promise<OutputFolder> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  return {
    dir,
    written,
    async put(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      written.push(path);
      return path;
    },
  };
}
