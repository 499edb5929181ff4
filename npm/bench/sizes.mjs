// What a browser downloads for each of the package's two modules, raw, gzip -9 and brotli -11.
// The policy module is everything `ready()` needs: its wasm, its wasm-bindgen glue and the package's
// own browser JavaScript. The strength module is what the first estimate adds; the breached module
// what the first checkBreached adds.
// Run: node npm/bench/sizes.mjs (after make npm-build). npm/test/size.test.js enforces the budget.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const file = (path) => readFileSync(new URL(`../${path}`, import.meta.url));

export const MODULES = {
  policy: [
    "dist/pwreset_policy_bg.wasm",
    "dist/pwreset_policy.js",
    "src/entry-browser.js",
    "src/public-api.js",
    "src/api.js",
    "src/errors.js",
    "src/messages.js",
    "src/fetch-wasm.js",
    "src/client.js",
  ],
  strength: ["dist/pwreset_strength_bg.wasm", "dist/pwreset_strength.js"],
  breached: ["src/breached.js"],
};

/** Sizes in bytes of one file, compressed on its own as a server would send it. */
export function sizes(path) {
  const bytes = file(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The sum over a module's files. */
export function moduleSizes(name) {
  return MODULES[name].map(sizes).reduce(
    (total, s) => ({ raw: total.raw + s.raw, gzip: total.gzip + s.gzip, brotli: total.brotli + s.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kb = (n) => (n / 1000).toFixed(1);
  console.log("| module | files | raw KB | gzip KB | brotli KB |");
  console.log("|---|---|---|---|---|");
  for (const name of Object.keys(MODULES)) {
    const total = moduleSizes(name);
    console.log(`| ${name} | ${MODULES[name].length} | ${kb(total.raw)} | ${kb(total.gzip)} | ${kb(total.brotli)} |`);
  }
  for (const name of Object.keys(MODULES)) {
    for (const path of MODULES[name]) {
      const s = sizes(path);
      console.log(`| ${name}: ${path} | 1 | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`);
    }
  }
}
