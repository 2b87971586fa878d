// Entry of a CI-test worker thread (see parallel.ts). Plain JavaScript so it starts under any launcher
// (`node --import tsx` in tests, bin/personax.js which registers tsx only in the main thread): tsx's
// tsImport loads the TypeScript implementation whether or not a loader is already active.
import { tsImport } from "tsx/esm/api";

await tsImport("./ci-worker-impl.ts", import.meta.url);
