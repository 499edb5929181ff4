// Each reset flow's cost as wasm under Node and natively, in one run: the same Rust cases
// (crates/pwreset-service/benches/support/flow_cases.rs) over the in-memory platform, compiled
// into the flow-cost module (benches/flow-cost, built like the Worker: release profile, wasm-opt -O)
// and into the native `native_flows` example. Baselines: one bare HMAC-SHA256 of 64 bytes in the
// same module (wasm) or process (native); and, for wasm, the same case natively.
// Run: make bench-worker, or node benches/worker/flow-cost.mjs [LABEL=GLUE_DIR ...]
// (default opt-3=target/flow-cost/wasm, built by benches/worker/build-flow-cost.sh).
// BENCH_MIN_MS (default 200): iterations double until one run takes this long; then the median of
// BENCH_REPEATS (default 5) runs.

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

import { ROOT, fmt, runContext } from "./lib.mjs";

const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 200);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const builds = (process.argv.length > 2 ? process.argv.slice(2) : ["opt-3=target/flow-cost/wasm"]).map((arg) => {
  const [label, dir] = arg.split("=");
  return { label, glue: resolve(ROOT, dir, "pwreset_flow_cost.js") };
});

// Native first (release profile, as the Worker's crates), then each wasm build, in this process.
execFileSync("cargo", ["build", "--locked", "--quiet", "--release", "-p", "pwreset-flow-cost", "--example", "native_flows"], { cwd: ROOT, stdio: "inherit" });
const native = JSON.parse(execFileSync(join(ROOT, "target", "release", "examples", "native_flows"), [String(MIN_MS), String(REPEATS)], { encoding: "utf8" }));

const require = createRequire(import.meta.url);
const wasm = {};
for (const build of builds) {
  const module = require(build.glue);
  wasm[build.label] = Object.fromEntries(module.cases().map((name) => [name, module.perOpMs(name, MIN_MS, REPEATS)]));
}

const us = (ms) => (ms * 1000 < 10 ? fmt(ms * 1000, 2) : ms * 1000 < 1000 ? fmt(ms * 1000, 1) : fmt(ms * 1000, 0));
console.log(`# ${runContext()}; median of ${REPEATS} runs of at least ${MIN_MS} ms each`);
const head = ["case", "native µs", "native ratio to HMAC"];
for (const { label } of builds) head.push(`wasm ${label} µs`, `wasm ${label} ratio to wasm HMAC`, `wasm ${label} / native`);
console.log(`| ${head.join(" | ")} |`);
console.log(`|${head.map(() => "---").join("|")}|`);
for (const name of Object.keys(wasm[builds[0].label])) {
  const row = [name === "hmac" ? "hmac (baseline)" : name, us(native[name]), fmt(native[name] / native.hmac, name === "hmac" ? 2 : 1)];
  for (const { label } of builds) {
    const w = wasm[label];
    row.push(us(w[name]), fmt(w[name] / w.hmac, name === "hmac" ? 2 : 1), fmt(w[name] / native[name]));
  }
  console.log(`| ${row.join(" | ")} |`);
}
