// Sizes and speed of the module builds npm/bench/opt-levels.sh made: gzip -9 and brotli 11 of the
// wasm, and checks per second (best of interleaved windows) on the six passwords of strength.mjs —
// the strength module's estimate for a user, the policy module's seed-002 check without strength.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = resolve(process.argv[2]);
const PASSWORDS = [
  "password", "Tr0ub4dour&3", "correcthorsebatterystaple", "jane.doe1987!", "kD9#mQ2$vL7pX!",
  "The quick brown fox jumps over 13 lazy!!x",
];
const PAIRS = ["username", "jane", "last_name", "doe", "email", "jane.doe@example.com"];

const builds = [];
for (const name of readdirSync(dir).sort()) {
  const [module] = name.split("-");
  const path = join(dir, name);
  const bytes = readFileSync(join(path, `pwreset_${module}_bg.wasm`));
  const wasm = await import(pathToFileURL(join(path, `pwreset_${module}.js`)).href);
  await wasm.default({ module_or_path: bytes });
  const policy = module === "policy" ? new wasm.CompiledPolicy("seed-002") : null;
  const run = module === "policy" ? (pw) => policy.check(pw, PAIRS) : (pw) => wasm.estimateForUser(pw, PAIRS);
  builds.push({
    name,
    run,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    best: PASSWORDS.map(() => 0),
  });
}
for (const build of builds) for (const pw of PASSWORDS) for (let i = 0; i < 20; i += 1) build.run(pw);
for (let round = 0; round < 8; round += 1) {
  for (const build of builds) {
    PASSWORDS.forEach((pw, index) => {
      let runs = 0;
      const start = performance.now();
      while (performance.now() - start < 100) {
        build.run(pw);
        runs += 1;
      }
      build.best[index] = Math.max(build.best[index], runs / ((performance.now() - start) / 1000));
    });
  }
}
console.log(`| build | wasm gzip KB | wasm brotli KB | ${PASSWORDS.map((pw) => `\`${pw.slice(0, 12)}\``).join(" | ")} | geomean checks/s |`);
console.log(`|---|---|---|${PASSWORDS.map(() => "---|").join("")}---|`);
for (const build of builds) {
  const geomean = Math.exp(build.best.reduce((sum, rate) => sum + Math.log(rate), 0) / build.best.length);
  console.log(
    `| ${build.name} | ${(build.gzip / 1000).toFixed(1)} | ${(build.brotli / 1000).toFixed(1)} | ${build.best.map((r) => r.toFixed(0)).join(" | ")} | ${geomean.toFixed(0)} |`,
  );
}
