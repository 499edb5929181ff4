// A small page that uses the package as a frontend would: live messages and a strength meter as the
// user types. Bundled with esbuild (browser conditions, code splitting) from an installed package.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);

const APP = `
import { ready, validatePassword, estimateStrength, helpTexts } from "pwreset";

const password = document.querySelector("#password");
const confirm = document.querySelector("#confirm");
const messages = document.querySelector("#messages");
const meter = document.querySelector("#strength");
const user = { username: "jane", email: "jane.doe@example.com" };

await ready();
document.querySelector("#rules").replaceChildren(
  ...helpTexts("seed-002").map((text) => Object.assign(document.createElement("li"), { textContent: text })),
);

async function update() {
  const result = validatePassword(password.value, { preset: "seed-002", user, confirm: confirm.value, confirmField: "confirm" });
  messages.replaceChildren(
    ...result.errors.map((e) => Object.assign(document.createElement("li"), { textContent: e.message, className: e.code })),
  );
  document.body.dataset.valid = String(result.valid);
  const strength = await estimateStrength(password.value, ["jane", "doe", "jane.doe@example.com"]);
  meter.value = strength.score;
  meter.dataset.score = String(strength.score);
}
password.addEventListener("input", update);
confirm.addEventListener("input", update);
document.body.dataset.ready = "true";
`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pwreset</title></head>
<body>
  <label>New password <input id="password" type="password" autocomplete="new-password"></label>
  <label>Confirm <input id="confirm" type="password" autocomplete="new-password"></label>
  <meter id="strength" min="0" max="4" value="0"></meter>
  <ul id="messages" aria-live="polite"></ul>
  <ul id="rules"></ul>
  <script type="module" src="app.js"></script>
</body></html>`;

/** Writes the page into `<project>/www` with esbuild's bundle and the wasm files beside it. */
export async function bundleBrowserApp(project) {
  const esbuild = await import(require.resolve("esbuild"));
  const out = join(project, "www");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(project, "app.js"), APP);
  writeFileSync(join(out, "index.html"), PAGE);
  await esbuild.build({
    entryPoints: [join(project, "app.js")],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: out,
    absWorkingDir: project,
    logLevel: "silent",
  });
  // wasm-bindgen's glue fetches its wasm from beside the module that loads it (new URL(…, import.meta.url)).
  const dist = join(project, "node_modules", "pwreset", "dist");
  for (const wasm of ["pwreset_policy_bg.wasm", "pwreset_strength_bg.wasm"]) {
    copyFileSync(join(dist, wasm), join(out, wasm));
  }
  return out;
}
