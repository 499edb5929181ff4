// Each reset flow's cost as wasm under Node and natively, in one run: the same Rust cases
// (crates/pwreset-service/benches/support/flow_cases.rs) over the in-memory platform, compiled
// into the flow-cost module (benches/flow-cost, built like the Worker: release profile, wasm-opt -O)
// and into the native `native_flows` example. Baselines: one bare HMAC-SHA256 of 64 bytes in the
// same module (wasm) or process (native); and, for wasm, the same case natively.
// Run: make bench-worker, or node benches/worker/flow-cost.mjs [LABEL=GLUE_DIR ...]
// (default opt-3=target/flow-cost/wasm, built by benches/worker/build-flow-cost.sh).
// Each figure is the median of BENCH_REPEATS (default 7) rounds; a round times every case once
// natively and once per wasm build, interleaved so that a busy machine weighs on all alike. One
// timing: iterations double until the timed part takes BENCH_MIN_MS (default 200).

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

import { ROOT, fmt, median, runContext } from "./lib.mjs";

const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 200);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const builds = (process.argv.length > 2 ? process.argv.slice(2) : ["opt-3=target/flow-cost/wasm"]).map((arg) => {
  const [label, dir] = arg.split("=");
  return { label, glue: resolve(ROOT, dir, "pwreset_flow_cost.js") };
});

// The native side: the release profile, as the Worker's crates.
execFileSync("cargo", ["build", "--locked", "--quiet", "--release", "-p", "pwreset-flow-cost", "--example", "native_flows"], { cwd: ROOT, stdio: "inherit" });
const nativeBinary = join(process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, "target"), "release", "examples", "native_flows");
const nativeOnce = (name) => JSON.parse(execFileSync(nativeBinary, [String(MIN_MS), "1", name], { encoding: "utf8" }))[name];

const require = createRequire(import.meta.url);
const modules = builds.map((b) => ({ ...b, module: require(b.glue) }));
const names = modules[0].module.cases();
const samples = { native: {} };
for (const { label } of modules) samples[label] = {};
for (let round = 0; round < REPEATS; round += 1) {
  for (const name of names) {
    (samples.native[name] ??= []).push(nativeOnce(name));
    for (const { label, module } of modules) (samples[label][name] ??= []).push(module.perOpMs(name, MIN_MS, 1));
  }
}
const native = Object.fromEntries(names.map((n) => [n, median(samples.native[n])]));
const wasm = Object.fromEntries(modules.map(({ label }) => [label, Object.fromEntries(names.map((n) => [n, median(samples[label][n])]))]));

const us = (ms) => (ms * 1000 < 10 ? fmt(ms * 1000, 2) : ms * 1000 < 1000 ? fmt(ms * 1000, 1) : fmt(ms * 1000, 0));
console.log(`# ${runContext()}; median of ${REPEATS} interleaved rounds, each timing at least ${MIN_MS} ms per case and build`);
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
