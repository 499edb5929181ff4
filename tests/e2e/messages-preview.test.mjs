// The development preview of every e-mail (`GET /dev/messages`) in Chromium: the built Worker with
// a brand renders each kind's HTML at an e-mail client's width, without a console error, and writes
// the screenshots in docs/screenshots/ (email-<kind>.png, and email-reset_code-de.png). Each kind's
// HTML in each language is checked against caniemail's data for the major e-mail clients: only the
// features listed in DEGRADES_GRACEFULLY may be unsupported somewhere.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { doIUseEmail } from "@jsx-email/doiuse-email";

import { launchChromium } from "../../npm/test/support/chromium.js";

import { baseVars, startWorker } from "./worker-harness.mjs";
import { SCREENSHOTS } from "./screenshots.mjs";

const KINDS = ["reset_code", "reset_link", "reset_links", "password_changed"];
const BRAND = { BRAND_NAME: "Acme", BRAND_COLOR: "#0F766E", SUPPORT_EMAIL: "help@acme.example" };
// The clients whose support caniemail records, by family: webmail, desktop and mobile apps.
const EMAIL_CLIENTS = ["gmail.*", "outlook.*", "apple-mail.*", "yahoo.*", "samsung-email.*", "thunderbird.*", "aol.*", "protonmail.*", "fastmail.*"];
// What some of those clients ignore, and why the message still reads and works there
// (docs/delivery.md, "Clients").
const DEGRADES_GRACEFULLY = {
  "<body> element": "clients that drop <body> get its colours again from the article <div> inside it",
  "aria-label attribute": "an accessibility hint; the heading names the message too",
  "role attribute": "an accessibility hint (presentation tables, article); the layout is unchanged",
  "border-radius": "square corners",
  outline: "a reset on the logo image; nothing draws an outline there",
  "word-break": "a long link may widen the message; the button carries the same link",
  "text-decoration": "links keep the client's own underline",
};

let worker;
let browser;

before(async () => {
  worker = await startWorker(baseVars(BRAND));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

/** Opens `path` at 600 px wide; returns the page, its answer and the console errors seen. */
async function open(path) {
  const context = await browser.newContext({ viewport: { width: 600, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    // The browser's own request for a favicon is no part of the page.
    if (new URL(message.location().url || "about:blank").pathname === "/favicon.ico") return;
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  const response = await page.goto(`${worker.url}${path}`, { waitUntil: "load" });
  return { context, page, response, problems };
}

describe("the e-mail preview", () => {
  test("the index links every kind in every language", async () => {
    const { context, page, response, problems } = await open("/dev/messages");
    assert.equal(response.status(), 200);
    assert.equal(response.headers()["cache-control"], "no-store");
    assert.doesNotMatch(response.headers()["content-security-policy"], /script-src/);
    const hrefs = await page.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    assert.equal(hrefs.length, KINDS.length * 3 * 2);
    assert.deepEqual(problems, []);
    await context.close();
  });

  for (const [kind, lang, file] of [
    ...KINDS.map((kind) => [kind, "en", `email-${kind}.png`]),
    ["reset_code", "de", "email-reset_code-de.png"],
  ]) {
    test(`${kind} in ${lang}: rendered with the brand, no console error`, async () => {
      const { context, page, response, problems } = await open(`/dev/messages?kind=${kind}&lang=${lang}&part=html`);
      assert.equal(response.status(), 200);
      assert.match(response.headers()["content-type"], /^text\/html/);
      assert.equal(response.headers()["cache-control"], "no-store");
      const csp = response.headers()["content-security-policy"];
      assert.match(csp, /^default-src 'none'/);
      assert.doesNotMatch(csp, /script-src/);
      assert.equal(await page.locator("html").getAttribute("lang"), lang);
      assert.match(await page.locator("body").innerText(), /Acme/);
      assert.equal(await page.locator("script").count(), 0);
      if (kind === "reset_code") assert.match(await page.locator("body").innerText(), /123456/);
      await page.screenshot({ path: `${SCREENSHOTS}${file}`, fullPage: true });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test("every kind's HTML, in each language, uses only what the major e-mail clients support (caniemail)", async () => {
    const unsupported = new Map();
    for (const kind of KINDS) {
      for (const lang of ["en", "de", "es"]) {
        const res = await fetch(`${worker.url}/dev/messages?kind=${kind}&lang=${lang}&part=html`);
        assert.equal(res.status, 200);
        const { errors } = doIUseEmail(await res.text(), { emailClients: EMAIL_CLIENTS });
        for (const error of errors) {
          const [, feature, client] = error.match(/^`(.+?)` is not supported by `(.+?)`$/) ?? [, error, "?"];
          if (!unsupported.has(feature)) unsupported.set(feature, new Set());
          unsupported.get(feature).add(`${client} (${kind}, ${lang})`);
        }
      }
    }
    const unexpected = [...unsupported].filter(([feature]) => !(feature in DEGRADES_GRACEFULLY));
    assert.deepEqual(unexpected.map(([feature, where]) => `${feature}: ${[...where].slice(0, 3).join(", ")}`), []);
    assert.ok(unsupported.size > 0, "the checker ran and found what it should (e.g. border-radius in Outlook for Windows)");
  });

  test("the text part is plain text, and a bad parameter is a 400 in the plain shape", async () => {
    const text = await fetch(`${worker.url}/dev/messages?kind=reset_link&lang=es&part=text`);
    assert.equal(text.status, 200);
    assert.match(text.headers.get("content-type"), /^text\/plain/);
    assert.match(await text.text(), /^Subject: /);
    const bad = await fetch(`${worker.url}/dev/messages?kind=reset_code&lang=fr`);
    assert.equal(bad.status, 400);
    const body = await bad.json();
    assert.deepEqual(Object.keys(body).sort(), ["error", "field", "message"]);
    assert.equal(body.field, "lang");
  });
});
