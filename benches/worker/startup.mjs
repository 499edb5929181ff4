// Start-up: from a cold runtime to the Worker's first answer, under `wrangler dev` on 127.0.0.1.
// N fresh `wrangler dev` processes for the built Worker, alternating with N for a trivial Worker:
// the same configuration (bindings, queues, Durable Object classes) with a few lines of JavaScript
// that answer 404, the baseline in the same run. For each: spawn to wrangler's "Ready on", then the
// first request to a cheap route (404), then 20 warm requests to it; wall time, and the CPU time the
// workerd processes used (from /proc: it hardly moves when other work shares the machine, wall
// time does). The difference to the baseline is what this Worker adds (its wasm compiled and
// instantiated, its start event, its first request); wrangler's and workerd's own start-up is in
// both, and wrangler's Node process is in neither CPU figure.
// Then, in N fresh Node processes, the start event's own work as wasm: zxcvbn's warm-up (only in
// builds with the `strength` feature; FLOW_COST_GLUE names such a flow-cost module).
// Run: make bench-worker, or node benches/worker/startup.mjs [LABEL=BUILD_DIR ...] (default
// pwreset=worker/build; several builds alternate with the baseline). BENCH_STARTS (default 10).

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

import { baseVars } from "../../tests/e2e/worker-harness.mjs";
import { ROOT, fmt, median, runContext, startWrangler, timedFetch, workerdCpuMs, writeBaselineConfig, writeBenchConfig } from "./lib.mjs";

const STARTS = Number(process.env.BENCH_STARTS ?? 10);
const WARM = 20;
const GLUE = resolve(ROOT, process.env.FLOW_COST_GLUE ?? join("target", "flow-cost", "wasm", "pwreset_flow_cost.js"));

async function coldStart(config, vars) {
  const worker = await startWrangler(config, vars, { logLevel: "info" });
  try {
    const cpuReady = workerdCpuMs(worker.pid);
    const first = await timedFetch(`${worker.url}/no/such/route`);
    const cpuFirst = workerdCpuMs(worker.pid);
    if (first.status !== 404) throw new Error(`first request: ${first.status} ${first.body}`);
    const warm = [];
    for (let i = 0; i < WARM; i += 1) warm.push((await timedFetch(`${worker.url}/no/such/route`)).ms);
    const cpuWarm = (workerdCpuMs(worker.pid) - cpuFirst) / WARM;
    return { ready: worker.readyMs, cpuReady, first: first.ms, cpuFirst: cpuFirst - cpuReady, warm: median(warm), cpuWarm };
  } finally {
    await worker.stop();
  }
}

// The Worker builds to start: LABEL=BUILD_DIR arguments, default the one in worker/build.
const builds = (process.argv.length > 2 ? process.argv.slice(2) : ["pwreset=worker/build"]).map((arg) => {
  const [label, dir] = arg.split("=");
  return { label, config: writeBenchConfig(join(resolve(ROOT, dir), "index.js"), `startup-${label}.toml`), vars: baseVars(), runs: [] };
});
const baseline = { label: "baseline", config: writeBaselineConfig(), vars: {}, runs: [] };
const kinds = [baseline, ...builds];
for (let i = 0; i < STARTS; i += 1) {
  for (const kind of kinds) kind.runs.push(await coldStart(kind.config, kind.vars));
}
const m = (kind, key) => median(kind.runs.map((r) => r[key]));

console.log(`# ${runContext()}; ${STARTS} cold starts each, alternating; medians. Wall time, and CPU time of the workerd processes (all threads)`);
const rows = [
  ["ready", "wall: spawn → \"Ready on\""],
  ["cpuReady", "workerd CPU until \"Ready on\""],
  ["first", "wall: first request (404) after Ready"],
  ["cpuFirst", "workerd CPU: first request"],
  ["warm", `wall: warm request (median of ${WARM})`],
  ["cpuWarm", `workerd CPU: warm request (mean of ${WARM})`],
];
for (const build of builds) {
  console.log("");
  console.log(`| | ${build.label} | trivial Worker (baseline) | difference | ratio |`);
  console.log("|---|---|---|---|---|");
  for (const [key, label] of rows) {
    console.log(`| ${label} | ${fmt(m(build, key), 1)} ms | ${fmt(m(baseline, key), 1)} ms | ${fmt(m(build, key) - m(baseline, key), 1)} ms | ${fmt(m(build, key) / m(baseline, key))} |`);
  }
  console.log(`| first / warm request, wall | ${fmt(m(build, "first") / m(build, "warm"), 1)} | ${fmt(m(baseline, "first") / m(baseline, "warm"), 1)} | | |`);
  console.log(`| first / warm request, workerd CPU | ${fmt(m(build, "cpuFirst") / m(build, "cpuWarm"), 1)} | ${fmt(m(baseline, "cpuFirst") / m(baseline, "cpuWarm"), 1)} | | |`);
  const extra = m(build, "cpuReady") - m(baseline, "cpuReady") + m(build, "cpuFirst") - m(baseline, "cpuFirst");
  console.log(`${build.label}: own cold start in workerd CPU (difference until Ready + difference of the first request): ${fmt(extra, 0)} ms`);
}

const probe = () => JSON.parse(execFileSync(process.execPath, [join(ROOT, "benches", "worker", "warm-up-probe.mjs"), GLUE], { encoding: "utf8" }));
if (!existsSync(GLUE)) {
  console.log(`(skipped the wasm warm-up probe: build ${GLUE} with benches/worker/build-flow-cost.sh)`);
} else if (probe().noWarmUp) {
  console.log("(skipped the wasm warm-up probe: the flow-cost module was built without `strength`, as the Worker by default; WORKER_FEATURES=strength benches/worker/build-flow-cost.sh DIR and FLOW_COST_GLUE=DIR/pwreset_flow_cost.js time it)");
} else {
  const probes = [];
  for (let i = 0; i < STARTS; i += 1) probes.push(probe());
  const p = (key) => median(probes.map((r) => r[key]));
  console.log("");
  console.log(`# ${STARTS} fresh Node processes, the flow-cost module built with strength (same crates, opt-level 3); medians`);
  console.log("| | wall ms | CPU ms (all threads) | wall ratio to the warm call |");
  console.log("|---|---|---|---|");
  console.log(`| load the module (compile + instantiate) | ${fmt(p("loadMs"), 1)} | ${fmt(p("loadCpuMs"), 1)} | ${fmt(p("loadMs") / p("secondWarmUpMs"), 0)} |`);
  console.log(`| first \`warm_up()\` (zxcvbn builds its dictionaries: the start event) | ${fmt(p("firstWarmUpMs"), 1)} | ${fmt(p("firstWarmUpCpuMs"), 1)} | ${fmt(p("firstWarmUpMs") / p("secondWarmUpMs"), 0)} |`);
  console.log(`| second \`warm_up()\` (dictionaries built; baseline) | ${fmt(p("secondWarmUpMs"), 2)} | ${fmt(p("secondWarmUpCpuMs"), 2)} | 1 |`);
}
