// A real headless Chromium (Debian's) loads pages built from the installed package with esbuild:
// the demo app (live messages, strength meter), and a page that times each keystroke's check with
// pwreset and with zxcvbn-ts while a 41-character passphrase is typed. The timings are reported,
// never asserted (benchmarks, not tests): docs/benchmarks.md has them. And a page that checks
// breached passwords against a range API on another origin, with its messages in German.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, it } from "node:test";

import { bundleBrowserApp, exercisePage } from "./support/browser-app.js";
import { launchChromium, serveDirectory } from "./support/chromium.js";
import { makeConsumerProject, removeProject } from "./support/consumer-project.js";
import { sha1, startFakeRange } from "./support/fake-range.js";
import { PASSPHRASE, bundleKeystrokePage, measureKeystrokes, percentile } from "./support/keystrokes.js";

const require = createRequire(import.meta.url);

/** A page that asks checkBreached (loaded on first use) and checks a password in German. */
const BREACHED_PAGE = `
import { ready, checkBreached, createPolicy } from "pwreset";
const range = new URL(location.href).searchParams.get("range");
async function main() {
  await ready();
  const results = {
    breached: await checkBreached("Correct-Horse-Battery-1", { baseUrl: range }),
    padded: await checkBreached("Only-In-The-Padding-9", { baseUrl: range }),
    german: createPolicy("django", { locale: "de" }).check("abc").errors.map((e) => e.message),
  };
  try {
    await checkBreached("x", { baseUrl: range + "/no/such/api" });
  } catch (error) {
    results.down = error.code;
  }
  document.body.dataset.results = JSON.stringify(results);
}
main().catch((error) => { document.body.dataset.results = JSON.stringify({ error: String(error.code ?? error) }); });
`;

let project;
let browser;

before(async () => {
  project = makeConsumerProject();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (project) removeProject(project);
});

it("the esbuild-bundled app shows rules, distinct live messages and the strength meter", async () => {
  const server = await serveDirectory(await bundleBrowserApp(project));
  try {
    const { failures } = await exercisePage(browser, server.url);
    assert.deepEqual(failures, []);
  } finally {
    await server.close();
  }
});

it("typing a 41-character passphrase: one check per keystroke, timed for pwreset and zxcvbn-ts", async (t) => {
  assert.equal(PASSPHRASE.length, 41);
  const { samples, firstChecks } = await measureKeystrokes(browser, await bundleKeystrokePage(project));
  assert.equal(samples.pwreset.length, 41);
  assert.equal(samples.zxcvbn.length, 41);
  assert.equal(firstChecks[0].crossOriginIsolated, true, "fine timer resolution");
  const ms = (value) => `${value.toFixed(3)} ms`;
  for (const name of ["pwreset", "zxcvbn"]) {
    t.diagnostic(`${name}: p50 ${ms(percentile(samples[name], 50))}, p99 ${ms(percentile(samples[name], 99))} per keystroke`);
  }
  const first = firstChecks[0];
  t.diagnostic(`ready({ strength: true }) ${ms(first.readyMs)}, first check ${ms(first.pwresetMs)} (zxcvbn-ts first check ${ms(first.zxcvbnMs)})`);
});

it("checkBreached from a page: only the prefix crosses to the other origin (preflighted), without a Referer", async () => {
  const esbuild = await import(require.resolve("esbuild"));
  const out = join(project, "breached-www");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(project, "breached-app.js"), BREACHED_PAGE);
  writeFileSync(join(out, "index.html"), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="breached-app.js"></script>`);
  await esbuild.build({
    entryPoints: [join(project, "breached-app.js")],
    bundle: true, splitting: true, format: "esm", platform: "browser", target: "es2022", outdir: out,
    absWorkingDir: project, logLevel: "silent",
  });
  copyFileSync(join(project, "node_modules", "pwreset", "dist", "pwreset_policy_bg.wasm"), join(out, "pwreset_policy_bg.wasm"));
  const fake = await startFakeRange({ corpus: { "Correct-Horse-Battery-1": 42 }, padding: ["Only-In-The-Padding-9"] });
  const server = await serveDirectory(out);
  const page = await browser.newPage();
  try {
    // The page's own address carries a secret, as a reset link does.
    await page.goto(`${server.url}?token=page-secret-0123&range=${encodeURIComponent(fake.url)}`);
    await page.waitForSelector("body[data-results]", { state: "attached", timeout: 30_000 });
    const results = JSON.parse(await page.locator("body").getAttribute("data-results"));
    assert.deepEqual(results, {
      breached: { breached: true, count: 42 },
      padded: { breached: false, count: 0 },
      german: ["Dieses Passwort ist zu kurz. Es muss mindestens 8 Zeichen enthalten.", "Dieses Passwort ist zu gebräuchlich."],
      down: "breached_check_failed",
    });
    const gets = fake.requests().filter((r) => r.method === "GET");
    const prefixes = ["Correct-Horse-Battery-1", "Only-In-The-Padding-9"].map((p) => `/range/${sha1(p).slice(0, 5)}`);
    assert.deepEqual(gets.map((r) => r.url).slice(0, 2), prefixes);
    for (const request of gets) {
      assert.equal(request.headers["add-padding"], "true");
      assert.equal(request.headers.referer, undefined, "no Referer");
      assert.ok(!JSON.stringify(request.headers).includes("page-secret"));
    }
    const preflight = fake.requests().find((r) => r.method === "OPTIONS");
    assert.match(preflight.headers["access-control-request-headers"], /add-padding/);
  } finally {
    await page.close();
    await server.close();
    await fake.close();
  }
});
