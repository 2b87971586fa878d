/**
 * Reading the small JSON files users hand to personax (LLM configs, column mappings, category dictionaries,
 * privacy keys): one place for "cannot read" and "not valid JSON" errors, both ConfigErrors naming the file.
 */
import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.ts";

/** Parses a JSON file; `fix` tells the user what the file should be (e.g. an example). */
export async function readJsonFile(path: string, fix: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(path, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, fix);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, `not valid JSON: ${(error as Error).message}`, fix);
  }
}
