// argon2id with OWASP's parameters (19 MiB, t=2, p=1): the same Rust code natively (baseline) and as
// wasm under Node, in one run. Run: make bench-argon2.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const root = new URL("../../../", import.meta.url);
const glue = new URL("target/wasm-bench/pwreset_hashing.js", root);
const wasm = await import(glue);
await wasm.default({ module_or_path: await readFile(new URL("target/wasm-bench/pwreset_hashing_bg.wasm", root)) });

const native = JSON.parse(
  execFileSync("cargo", ["run", "--locked", "--quiet", "--release", "-p", "pwreset-core", "--example", "argon2_timing", "--", String(RUNS)], {
    cwd: root,
    encoding: "utf8",
  }),
);

const phc = wasm.hashPassword("warm-up", 19456, 2, 1);
if (!wasm.verifyPassword("warm-up", phc)) throw new Error("wasm argon2 does not verify its own hash");
const start = performance.now();
for (let i = 0; i < RUNS; i += 1) wasm.hashPassword(`Tr0ub4dour&3-${i}`, 19456, 2, 1);
const wasmMs = (performance.now() - start) / RUNS;

console.log(`node ${process.version}, ${RUNS} hashes each`);
console.log("| argon2id (19 MiB, t=2, p=1) | ms per hash | ratio to native |");
console.log("|---|---|---|");
console.log(`| native (baseline) | ${native.ms_per_hash.toFixed(1)} | 1.00 |`);
console.log(`| wasm in Node | ${wasmMs.toFixed(1)} | ${(wasmMs / native.ms_per_hash).toFixed(2)} |`);
