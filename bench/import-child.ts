/**
 * Child process of bench/import.bench.ts: imports one CSV into a fresh store and prints, as one JSON line,
 * the wall time and this process's peak resident memory (process.resourceUsage().maxRSS, KiB → MiB).
 * Usage: tsx bench/import-child.ts <csv> <store.duckdb> [memoryLimit|-] [--baseline]
 */
import { openStore } from "../src/dataset/store.ts";
import { importFile } from "../src/dataset/import.ts";

const [file, storePath, memoryLimit, mode] = process.argv.slice(2);
const started = performance.now();
const store = await openStore(storePath!, memoryLimit && memoryLimit !== "-" ? { memoryLimit } : {});
let persons = 0;
if (mode !== "--baseline") persons = (await importFile(store, file!)).persons;
store.close();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ persons, seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
