// Worker entry for level1-pool.ts: registers tsx in this thread (workers do not inherit the main
// thread's loader hooks), then loads the TypeScript worker body.
import { register } from "tsx/esm/api";
register();
await import("./level1-worker.ts");
