// Per-keystroke check time in a real browser: a page checks what is typed with pwreset (a compiled
// seed-002 policy, strength module loaded, the user's attributes) and with zxcvbn-ts 4 (the same
// user inputs), timing each with performance.now() (cross-origin isolated, so its resolution is
// fine), and Chromium types a 41-character passphrase into it one key at a time.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { serveDirectory } from "./chromium.js";

const require = createRequire(import.meta.url);
const rootModules = fileURLToPath(new URL("../../../node_modules", import.meta.url));

export const PASSPHRASE = "The quick brown fox jumps over 13 lazy!!x";

const MEASURE = `
import { createPolicy, ready } from "pwreset";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

const zxcvbn = new ZxcvbnFactory({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
});
const user = { username: "jane", last_name: "doe", email: "jane.doe@example.com" };
const userInputs = ["jane", "doe", "jane.doe@example.com"];
const input = document.querySelector("#password");
const samples = { pwreset: [], zxcvbn: [] };
window.samples = samples;

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const loading = performance.now();
await ready({ strength: true });
const policy = createPolicy("seed-002");
window.firstCheck = {
  readyMs: performance.now() - loading,
  pwresetMs: time(() => policy.check("x", { user })),
  zxcvbnMs: time(() => zxcvbn.check("x", userInputs)),
  crossOriginIsolated: globalThis.crossOriginIsolated,
};
let keystrokes = 0;
input.addEventListener("input", () => {
  const value = input.value;
  const ours = () => samples.pwreset.push(time(() => policy.check(value, { user })));
  const theirs = () => samples.zxcvbn.push(time(() => zxcvbn.check(value, userInputs)));
  // Alternate which goes first, so neither always meets a warmer cache.
  if (keystrokes++ % 2) { ours(); theirs(); } else { theirs(); ours(); }
  document.body.dataset.keystrokes = String(keystrokes);
});
document.body.dataset.ready = "true";
`;

/** Bundles the measuring page into `<project>/keystrokes` (esbuild; zxcvbn-ts from the repo's tooling). */
export async function bundleKeystrokePage(project) {
  const esbuild = await import(require.resolve("esbuild"));
  const out = join(project, "keystrokes");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(project, "measure.js"), MEASURE);
  writeFileSync(
    join(out, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><input id="password" type="password"><script type="module" src="measure.js"></script></body></html>`,
  );
  await esbuild.build({
    entryPoints: [join(project, "measure.js")],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: out,
    absWorkingDir: project,
    nodePaths: [rootModules],
    logLevel: "silent",
  });
  const dist = join(project, "node_modules", "pwreset", "dist");
  for (const wasm of ["pwreset_policy_bg.wasm", "pwreset_strength_bg.wasm"]) {
    copyFileSync(join(dist, wasm), join(out, wasm));
  }
  return out;
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Types the passphrase `rounds` times into a fresh page each time; returns the per-keystroke
 * samples (ms) of both and the first-check figures of the first page.
 */
export async function measureKeystrokes(browser, out, rounds = 1) {
  const server = await serveDirectory(out);
  const samples = { pwreset: [], zxcvbn: [] };
  const firstChecks = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(server.url);
      await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
      await page.locator("#password").pressSequentially(PASSPHRASE);
      await page.waitForSelector(`body[data-keystrokes='${PASSPHRASE.length}']`);
      const result = await page.evaluate(() => ({ samples: window.samples, firstCheck: window.firstCheck }));
      await page.close();
      if (errors.length) throw new Error(errors.join("\n"));
      samples.pwreset.push(...result.samples.pwreset);
      samples.zxcvbn.push(...result.samples.zxcvbn);
      firstChecks.push(result.firstCheck);
    }
  } finally {
    await server.close();
  }
  return { samples, firstChecks };
}
