// Thread entry for compute-pool.ts: registers tsx in this thread (threads do not inherit the main
// thread's loader hooks), then loads the TypeScript thread body.
import { register } from "tsx/esm/api";
register();
await import("./compute-thread.ts");
