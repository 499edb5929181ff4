// Per-keystroke check time in headless Chromium: pwreset (compiled seed-002 policy, strength module
// loaded, the user's attributes) and zxcvbn-ts 4 (the same user inputs) timed in the same page
// while a 41-character passphrase is typed one key at a time, ROUNDS times in fresh pages (5 by
// default). Run: make bench-npm (or node npm/bench/keystrokes.mjs after make npm-build).
import { launchChromium } from "../test/support/chromium.js";
import { makeConsumerProject, removeProject } from "../test/support/consumer-project.js";
import { PASSPHRASE, bundleKeystrokePage, measureKeystrokes, percentile } from "../test/support/keystrokes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const project = makeConsumerProject();
const browser = await launchChromium();
try {
  const { samples, firstChecks } = await measureKeystrokes(browser, await bundleKeystrokePage(project), ROUNDS);
  const version = browser.version();
  const ms = (value) => value.toFixed(3);
  console.log(`Chromium ${version}, "${PASSPHRASE}" typed ${ROUNDS} times (${samples.pwreset.length} keystrokes)`);
  console.log("| per keystroke | p50 ms | p99 ms | max ms |");
  console.log("|---|---|---|---|");
  for (const [name, label] of [["pwreset", "pwreset (seed-002 check + strength)"], ["zxcvbn", "zxcvbn-ts 4 (strength only)"]]) {
    const values = samples[name];
    console.log(`| ${label} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 99))} | ${ms(Math.max(...values))} |`);
  }
  const median = (key) => percentile(firstChecks.map((first) => first[key]), 50);
  console.log(`\nmedian of ${ROUNDS} pages: ready({ strength: true }) ${ms(median("readyMs"))} ms, first check after it ${ms(median("pwresetMs"))} ms; zxcvbn-ts's first check ${ms(median("zxcvbnMs"))} ms`);
} finally {
  await browser.close();
  removeProject(project);
}
