// The cost of crossing into wasm and back, per call, three ways, on the same compiled policy:
// results built with js-sys (the package's way), with serde-wasm-bindgen, and as JSON text parsed
// by JSON.parse (user attributes going in as JSON text too). Builds the policy module with the
// crate's `boundary-bench` feature into target/npm-boundary first.
// Run: node npm/bench/boundary.mjs (after make setup).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dist = `${root}target/npm-boundary`;
execFileSync("scripts/build-npm.sh", {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PWRESET_DIST: dist, PWRESET_MODULES: "policy", PWRESET_FEATURES: "boundary-bench" },
});
const wasm = await import(`${dist}/pwreset_policy.js`);
await wasm.default({ module_or_path: readFileSync(`${dist}/pwreset_policy_bg.wasm`) });

const USER = { username: "jane", last_name: "doe", email: "jane.doe@example.com" };
const PAIRS = Object.entries(USER).flat();
const policy = new wasm.CompiledPolicy("seed-002");
const WAYS = {
  "js-sys objects (the package)": (password) => policy.check(password, PAIRS),
  "serde-wasm-bindgen objects": (password) => policy.checkSerde(password, PAIRS),
  "JSON text both ways": (password) => JSON.parse(policy.checkJson(password, JSON.stringify(USER))),
};

/** Best ns per call of each of `fns`, over interleaved windows (load from elsewhere hits all alike). */
function bestNanoseconds(fns, rounds = 10, windowMs = 100) {
  for (const fn of fns) for (let i = 0; i < 5000; i += 1) fn();
  const best = fns.map(() => Infinity);
  for (let round = 0; round < rounds; round += 1) {
    fns.forEach((fn, index) => {
      let runs = 0;
      const start = performance.now();
      while (performance.now() - start < windowMs) {
        fn();
        runs += 1;
      }
      best[index] = Math.min(best[index], ((performance.now() - start) * 1e6) / runs);
    });
  }
  return best;
}

const passwords = { "password (4 errors)": "password", "kD9#mQ2$vL7pX! (valid)": "kD9#mQ2$vL7pX!" };
for (const password of Object.values(passwords)) {
  const results = Object.values(WAYS).map((way) => JSON.stringify(way(password)));
  if (new Set(results).size !== 1) throw new Error(`the three ways disagree on ${password}`);
}
console.log(`node ${process.version}, seed-002 policy without strength, user of three attributes; best of 10 windows`);
console.log(`| boundary | ${Object.keys(passwords).join(" ns/call | ")} ns/call |`);
console.log(`|---|${Object.keys(passwords).map(() => "---|").join("")}`);
const figures = Object.values(passwords).map((password) => bestNanoseconds(Object.values(WAYS).map((way) => () => way(password))));
Object.keys(WAYS).forEach((name, index) => {
  console.log(`| ${name} | ${figures.map((column) => column[index].toFixed(0)).join(" | ")} |`);
});
