// The Worker's size: what `wrangler deploy` would upload (its own dry-run figure), and each file
// raw, gzip level 9 and brotli quality 11 (Node's zlib), against the budget of 2 MiB gzip. Also
// the wasm's "name" custom section when a build keeps it (scripts/build-worker.sh strips it)
// and what the wasm compresses to without it.
// Run: make bench-worker, or node benches/worker/size.mjs [BUILD_DIR] (default worker/build).

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import { ROOT, fmt, runContext, writeBenchConfig } from "./lib.mjs";

const BUILD = resolve(process.argv[2] ?? join(ROOT, "worker", "build"));
const KIB = 1024;
/** The project's budget: every cold start loads the whole wasm (zxcvbn's dictionaries included). */
const BUDGET_GZIP = 2 * KIB * KIB;

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => brotliCompressSync(bytes, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
}).length;

/** Reads an unsigned LEB128 at `offset`: [value, next offset]. */
function leb(bytes, offset) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, offset];
    shift += 7;
  }
}

/** The module's sections: { id, name (custom sections), start, end }. */
function sections(bytes) {
  const found = [];
  let offset = 8;
  while (offset < bytes.length) {
    const start = offset;
    const id = bytes[offset++];
    const [size, body] = leb(bytes, offset);
    let name;
    if (id === 0) {
      const [length, text] = leb(bytes, body);
      name = bytes.subarray(text, text + length).toString("utf8");
    }
    found.push({ id, name, start, end: body + size });
    offset = body + size;
  }
  return found;
}

const files = ["index.js", "index_bg.wasm"].map((name) => {
  const bytes = readFileSync(join(BUILD, name));
  return { name, raw: bytes.length, gzip: gzip(bytes), brotli: brotli(bytes), bytes };
});
const wasm = files[1].bytes;
const names = sections(wasm).find((s) => s.id === 0 && s.name === "name");
const stripped = names ? Buffer.concat([wasm.subarray(0, names.start), wasm.subarray(names.end)]) : wasm;

// wrangler's own figure for the upload (offline: --dry-run stops before any network call).
const config = writeBenchConfig(join(BUILD, "index.js"), "size.toml");
const dryRun = execFileSync(process.execPath, [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run",
  "--config", config, "--outdir", join(ROOT, "target", "bench-worker", "dry-run")], {
  cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" },
});
const upload = dryRun.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);

console.log(`# ${runContext()}; ${BUILD.replace(ROOT, "")}`);
if (upload) {
  const gz = Number(upload[2]);
  console.log(`wrangler deploy --dry-run: Total Upload ${upload[1]} KiB / gzip ${upload[2]} KiB = ${fmt((gz * KIB) / BUDGET_GZIP * 100, 1)}% of the 2 MiB (2048 KiB) budget (${gz * KIB <= BUDGET_GZIP ? `under by ${fmt(2048 - gz, 1)} KiB` : `OVER by ${fmt(gz - 2048, 1)} KiB`}).`);
}
console.log("| file | raw KiB | gzip -9 KiB | brotli 11 KiB |");
console.log("|---|---|---|---|");
for (const f of files) console.log(`| ${f.name} | ${fmt(f.raw / KIB, 1)} | ${fmt(f.gzip / KIB, 1)} | ${fmt(f.brotli / KIB, 1)} |`);
const sum = (key) => files.reduce((a, f) => a + f[key], 0);
console.log(`| both | ${fmt(sum("raw") / KIB, 1)} | ${fmt(sum("gzip") / KIB, 1)} | ${fmt(sum("brotli") / KIB, 1)} |`);
if (names) {
  console.log(`| index_bg.wasm without its "name" section | ${fmt(stripped.length / KIB, 1)} | ${fmt(gzip(stripped) / KIB, 1)} | ${fmt(brotli(stripped) / KIB, 1)} |`);
}
console.log(`Bytes: wasm raw ${files[1].raw}, gzip ${files[1].gzip}; both gzip ${sum("gzip")}; budget ${BUDGET_GZIP}.`);
