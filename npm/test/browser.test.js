// A real headless Chromium (Debian's) loads pages built from the installed package with esbuild:
// the demo app (live messages, strength meter), and a page that times each keystroke's check with
// pwreset and with zxcvbn-ts while a 41-character passphrase is typed. The timings are reported,
// never asserted (benchmarks, not tests): docs/benchmarks.md has them.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";

import { bundleBrowserApp, exercisePage } from "./support/browser-app.js";
import { launchChromium, serveDirectory } from "./support/chromium.js";
import { makeConsumerProject, removeProject } from "./support/consumer-project.js";
import { PASSPHRASE, bundleKeystrokePage, measureKeystrokes, percentile } from "./support/keystrokes.js";

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
