// A small page that uses the package as a frontend would: the rules before typing, live messages
// (each distinct message once) and a strength meter as the user types. The same app is built by each
// setup the consumer tests try (esbuild, Vite, webpack, TypeScript with plain ES modules).
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * The app, as a developer would write it (no top-level await, so older build targets take it too).
 * `prelude` and the arguments of ready() and loadStrength() let a variant say where the wasm is.
 */
export function app({ prelude = "", readyOptions = "", strengthOptions = "" } = {}) {
  return `
import { ready, loadStrength, createPolicy, helpTexts, uniqueMessages } from "pwreset";
${prelude}
const password = document.querySelector("#password");
const confirm = document.querySelector("#confirm");
const messages = document.querySelector("#messages");
const meter = document.querySelector("#strength");
const user = { username: "jane", email: "jane.doe@example.com" };

async function main() {
  await ready(${readyOptions});
  const policy = createPolicy("seed-002");
  document.querySelector("#rules").replaceChildren(
    ...helpTexts("seed-002").map((text) => Object.assign(document.createElement("li"), { textContent: text })),
  );
  function update() {
    const result = policy.check(password.value, { user, confirm: confirm.value, confirmField: "confirm" });
    messages.replaceChildren(
      ...uniqueMessages(result).map((m) =>
        Object.assign(document.createElement("li"), { textContent: m.message, className: m.codes.join(" ") }),
      ),
    );
    document.body.dataset.valid = String(result.valid);
    meter.value = result.strength?.score ?? 0;
    meter.dataset.score = result.strength ? String(result.strength.score) : "";
  }
  password.addEventListener("input", update);
  confirm.addEventListener("input", update);
  document.body.dataset.ready = "true";
  loadStrength(${strengthOptions}).then(() => {
    document.body.dataset.strength = "loaded";
    update();
  });
}

main().catch((error) => {
  document.body.dataset.error = error.code ?? "unknown";
  document.body.dataset.errorMessage = error.message;
});
`;
}

/** The app with the package's defaults. */
export const APP = app();

/** The page; `script` is the app's URL (or inline module source with `inline: true`). */
export function page(script, { head = "" } = {}) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pwreset</title><link rel="icon" href="data:,">${head}</head>
<body>
  <label>New password <input id="password" type="password" autocomplete="new-password"></label>
  <label>Confirm <input id="confirm" type="password" autocomplete="new-password"></label>
  <meter id="strength" min="0" max="4" value="0"></meter>
  <ul id="messages" aria-live="polite"></ul>
  <ul id="rules"></ul>
  <script type="module" src="${script}"></script>
</body></html>`;
}

/** Writes the page into `<project>/www` with esbuild's bundle and the wasm files beside it. */
export async function bundleBrowserApp(project) {
  const esbuild = await import(require.resolve("esbuild"));
  const out = join(project, "www");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(project, "app.js"), APP);
  writeFileSync(join(out, "index.html"), page("app.js"));
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
  // esbuild does not copy files named by new URL(…, import.meta.url): the wasm goes beside the bundle.
  const dist = join(project, "node_modules", "pwreset", "dist");
  for (const wasm of ["pwreset_policy_bg.wasm", "pwreset_strength_bg.wasm"]) {
    copyFileSync(join(dist, wasm), join(out, wasm));
  }
  return out;
}

/**
 * Loads the app at `url` in a new page of `browser` and uses it as a person would: the rules are
 * there before typing, a common password shows its (distinct) messages, a strong one with its
 * confirmation clears them and fills the meter. Returns the page's failures (errors, answers
 * over 400) and the URLs it requested.
 */
export async function exercisePage(browser, url) {
  const page = await browser.newPage();
  const failures = [];
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => failures.push(error.message));
  page.on("response", (response) => response.status() >= 400 && failures.push(`${response.status()} ${response.url()}`));
  try {
    await page.goto(url);
    await page.waitForSelector("body[data-ready=true], body[data-error]", { timeout: 30_000 });
    const error = await page.locator("body").getAttribute("data-error-message");
    assert.equal(error, null, `the app failed to start: ${error}`);
    const rules = await page.locator("#rules li").allTextContents();
    assert.ok(rules.includes("Your password must contain at least 8 characters."), rules.join("|"));
    await page.waitForSelector("body[data-strength=loaded]", { timeout: 30_000 });

    await page.locator("#password").pressSequentially("password");
    await page.waitForSelector("#messages li.password_too_common");
    const messages = await page.locator("#messages li").allTextContents();
    assert.ok(messages.includes("Your password can't be a commonly used password."), messages.join("|"));
    assert.equal(new Set(messages).size, messages.length, "each message once");
    await page.waitForSelector("#strength[data-score='0']");

    await page.locator("#password").fill("");
    await page.locator("#password").pressSequentially("kD9#mQ2$vL7pX!");
    await page.locator("#confirm").pressSequentially("kD9#mQ2$vL7pX!");
    await page.waitForSelector("body[data-valid=true]");
    await page.waitForSelector("#strength[data-score='4']");
    assert.equal(await page.locator("#messages li").count(), 0);

    await page.locator("#confirm").pressSequentially("x");
    await page.waitForSelector("#messages li.password_mismatch");
    assert.equal(await page.locator("#messages li.password_mismatch").textContent(), "The two password fields didn't match.");
    return { failures, requests };
  } finally {
    await page.close();
  }
}
