// One fresh process's start-up work as wasm under Node, printed as JSON (startup.mjs runs it N
// times): loading the flow-cost module (compile + instantiate), then zxcvbn's warm-up (what the
// Worker's start event runs) the first time and, dictionaries built, a second time. Wall time and
// this process's CPU time (user + system) for each step.
import { createRequire } from "node:module";

const glue = process.argv[2];
const marks = [];
const mark = () => {
  const cpu = process.cpuUsage();
  marks.push({ wall: performance.now(), cpu: (cpu.user + cpu.system) / 1000 });
};
mark();
const wasm = createRequire(import.meta.url)(glue);
mark();
if (!wasm.warmUp) {
  console.log(JSON.stringify({ noWarmUp: true }));
  process.exit(0);
}
wasm.warmUp();
mark();
wasm.warmUp();
mark();
const step = (i, key) => marks[i + 1][key] - marks[i][key];
console.log(JSON.stringify({
  loadMs: step(0, "wall"), loadCpuMs: step(0, "cpu"),
  firstWarmUpMs: step(1, "wall"), firstWarmUpCpuMs: step(1, "cpu"),
  secondWarmUpMs: step(2, "wall"), secondWarmUpCpuMs: step(2, "cpu"),
}));
