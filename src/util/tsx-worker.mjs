// Worker-thread entry used only when running TypeScript from the source tree (see worker-entry.ts): loads
// the worker module named by the last argv entry through tsx. tsImport works whether or not a tsx loader
// is already active in this thread (`node --import tsx` is inherited by workers, `register()` is not).
import { tsImport } from "tsx/esm/api";

const target = process.argv.pop();
await tsImport(target, import.meta.url);
