// One fresh process's start-up work as wasm under Node, printed as JSON (startup.mjs runs it N
// times): loading the flow-cost module (compile + instantiate), then zxcvbn's warm-up (what the
// Worker's start event runs) the first time and, dictionaries built, a second time.
import { createRequire } from "node:module";

const glue = process.argv[2];
const t0 = performance.now();
const wasm = createRequire(import.meta.url)(glue);
const t1 = performance.now();
wasm.warmUp();
const t2 = performance.now();
wasm.warmUp();
const t3 = performance.now();
console.log(JSON.stringify({ loadMs: t1 - t0, firstWarmUpMs: t2 - t1, secondWarmUpMs: t3 - t2 }));
