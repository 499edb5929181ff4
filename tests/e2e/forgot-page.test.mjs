// The forgot-password page on the built Worker (wrangler's local runtime), in Debian's headless
// Chromium driven by playwright-core, with JavaScript on and off: ask for a link by e-mail address
// (dialect B's) and by username (dialect C's), and by phone number (dialect B's link, by SMS),
// take it from the dev outbox, open it and set the password on the reset page. axe-core audits every page on the way, /forgot and /reset, in both
// modes, and finds no violation. Then Turnstile, against a local fake siteverify
// (fake-turnstile.mjs), with Cloudflare's script routed to a small local stub that fills the
// form's token: a good token passes, a bad one is refused, on the page and on the JSON request
// routes. Nothing leaves the loopback interface.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";

import { launchChromium } from "../../npm/test/support/chromium.js";

import { startFakeTurnstile } from "./fake-turnstile.mjs";
import {
  CLIENT_ID, ORIGIN, baseVars, createUser, focusedId, nextMessage, openPage, post, startWorker,
} from "./worker-harness.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const AXE_SOURCE = readFileSync(AXE_PATH, "utf8");

/** Accepted by dialect B's `django` policy and dialect C's `seed-002`. */
const GOOD = "Velvet-Harbor-Lantern-83!";
const VIEWPORT = { width: 800, height: 900 };
const API_KEY = baseVars().API_KEYS;
/** Cloudflare's documented test keys (development only). */
const SITE_KEY = "1x00000000000000000000AA";
const SECRET_KEY = "1x0000000000000000000000000000000AA";
const TURNSTILE_SCRIPT = "https://challenges.cloudflare.com/turnstile/v0/api.js";

let browser;
let serial = 0;

async function newUser(url) {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `forgot${stamp}`, email: `forgot${stamp}@example.test`, password: "Initial-Passphrase-1!" };
  user.id = await createUser(url, user);
  return user;
}

/** A Worker whose PUBLIC_URL is itself, so the browser's forms pass the Origin check and links open it. */
function startSelfWorker(overrides = {}) {
  return startWorker((self) => baseVars({ PUBLIC_URL: self, ...overrides }));
}

/**
 * A browser context, JavaScript on or off. The page's own CSP is bypassed so that axe can be
 * injected (its CSP is checked in contexts of its own, below); every request that is not to the
 * loopback interface is refused and recorded, but Cloudflare's Turnstile script, which
 * `turnstileToken` (when given) replaces with a stub that fills the form's token.
 */
async function newContext({ javaScript, turnstileToken = null, bypassCSP = true, locale = "en-GB" }) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale, javaScriptEnabled: javaScript, bypassCSP });
  const outside = [];
  await context.route("**/*", async (route) => {
    const target = new URL(route.request().url());
    if (target.hostname === "127.0.0.1" || target.hostname === "localhost") return route.continue();
    if (target.href === TURNSTILE_SCRIPT && turnstileToken !== null) {
      return route.fulfill({ status: 200, contentType: "text/javascript", body: turnstileStub(turnstileToken) });
    }
    outside.push(target.href);
    return route.abort();
  });
  return { context, outside };
}

/** What stands in for Cloudflare's api.js: a hidden `cf-turnstile-response` with `token` in each widget. */
function turnstileStub(token) {
  return `(() => {
  const fill = () => {
    for (const widget of document.querySelectorAll(".cf-turnstile")) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = widget.dataset.responseFieldName || "cf-turnstile-response";
      input.value = ${JSON.stringify(token)};
      widget.append(input);
      widget.dataset.stub = "filled";
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();`;
}

/**
 * axe-core's verdict on the page as it is now: no violation. With JavaScript on it is injected with
 * `addScriptTag`. With it off the page runs no script at all, so that `<script>` would never run:
 * the same file is evaluated through the DevTools protocol instead, with its timers (which never
 * fire on a page without scripting) run as microtasks.
 */
async function assertAccessible(page, javaScript, what) {
  if (javaScript) {
    await page.addScriptTag({ path: AXE_PATH });
  } else {
    await page.evaluate((source) => {
      window.setTimeout = (callback, _delay, ...args) => {
        Promise.resolve().then(() => callback(...args));
        return 0;
      };
      window.clearTimeout = () => {};
      (0, eval)(source);
    }, AXE_SOURCE);
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  assert.deepEqual(violations, [], `${what} (JavaScript ${javaScript ? "on" : "off"}): ${JSON.stringify(violations, null, 1)}`);
}

/** Clicks the submit button and waits for the answer page to `path`. */
async function submit(page, url, path) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${url}${path}` && r.request().method() === "POST"),
    page.locator("button[type=submit]").click(),
  ]);
  await page.waitForLoadState("load");
  return response;
}

/** Links already handed out: a new request waits for a new message (delivery is queued). */
const seenLinks = new Set();

async function linkFor(url, user, marker) {
  const message = await nextMessage(url, user.email, (m) => m.link?.includes(marker) && !seenLinks.has(m.link));
  seenLinks.add(message.link);
  assert.ok(message.link.startsWith(`${url}/reset?`), message.link);
  return message.link;
}

/** Asks on /forgot with `identifier`, follows the link and sets GOOD, auditing every page. */
async function forgotAndReset(url, { javaScript, identifier, user, marker }) {
  const { context, outside } = await newContext({ javaScript });
  const { page, problems } = await openPage(context);
  await page.goto(`${url}/forgot`);
  assert.equal(await page.locator("h1").textContent(), "Forgot your password?");
  await assertAccessible(page, javaScript, "the forgot form");

  await page.locator("#identifier").fill(identifier);
  const asked = await submit(page, url, "/forgot");
  assert.equal(asked.status(), 200);
  assert.equal(await page.locator("h1").textContent(), "Check your e-mail or your phone");
  await assertAccessible(page, javaScript, "the forgot answer");

  const link = await linkFor(url, user, marker);
  await page.goto(link);
  if (javaScript) await page.waitForSelector("#reset-form[data-live=on]");
  await assertAccessible(page, javaScript, "the reset form");

  // A refused password first: the form again, with its errors.
  await page.locator("#password").fill("short");
  await page.locator("#password_confirm").fill("short");
  if (javaScript) {
    // The script keeps a refused password from being sent: its own list is what shows.
    await page.locator("button[type=submit]").click();
    await page.waitForSelector("#password-feedback li");
  } else {
    const refused = await submit(page, url, "/reset");
    assert.equal(refused.status(), 400);
  }
  await assertAccessible(page, javaScript, "the reset form with errors");

  await page.locator("#password").fill(GOOD);
  await page.locator("#password_confirm").fill(GOOD);
  const done = await submit(page, url, "/reset");
  assert.equal(done.status(), 200);
  assert.equal(await page.locator("h1").textContent(), "Your password has been changed");
  await assertAccessible(page, javaScript, "the reset success page");
  assert.deepEqual(problems, []);
  assert.deepEqual(outside, []);
  await context.close();
}

/** POSTs the forgot form without a browser. */
async function postForgot(url, fields, headers = {}) {
  const res = await fetch(`${url}/forgot`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

describe("the forgot page", () => {
  let worker;
  let url;
  before(async () => {
    worker = await startSelfWorker();
    url = worker.url;
  });
  after(async () => { await worker?.stop(); });

  test("with JavaScript: an e-mail address gets dialect B's link, which sets the password", async () => {
    const user = await newUser(url);
    await forgotAndReset(url, { javaScript: true, identifier: user.email, user, marker: "/reset?token=" });
  });

  test("without JavaScript: a username gets dialect C's link, which sets the password", async () => {
    const user = await newUser(url);
    await forgotAndReset(url, { javaScript: false, identifier: user.username.toUpperCase(), user, marker: "/reset?user=" });
  });

  test("without JavaScript: an e-mail address works too", async () => {
    const user = await newUser(url);
    await forgotAndReset(url, { javaScript: false, identifier: user.email, user, marker: "/reset?token=" });
  });

  test("without JavaScript: a phone number gets dialect B's link by SMS, which sets the password", async () => {
    serial += 1;
    const digits = String((Date.now() + serial) % 10_000_000).padStart(7, "0");
    const phone = `+44770${digits}`;
    const stamp = `${serial}-${Date.now()}`;
    const user = { username: `forgotsms${stamp}`, email: `forgotsms${stamp}@example.test`, password: "Initial-Passphrase-1!", phone };
    user.id = await createUser(url, user);

    const { context, outside } = await newContext({ javaScript: false });
    const { page, problems } = await openPage(context);
    await page.goto(`${url}/forgot`);
    assert.match(await page.locator("label[for=identifier]").textContent(), /phone number/);
    // Typed as people write it; looked up as dialect B's forgotpass/mobile reads it.
    await page.locator("#identifier").fill(`+44 770 ${digits.slice(0, 3)} ${digits.slice(3)}`);
    const asked = await submit(page, url, "/forgot");
    assert.equal(asked.status(), 200);
    assert.equal(await page.locator("h1").textContent(), "Check your e-mail or your phone");
    await assertAccessible(page, false, "the forgot answer to a phone number");

    const sms = await nextMessage(url, phone, (m) => m.link?.includes("/reset?token="));
    assert.equal(sms.channel, "sms");
    assert.equal(sms.to, phone);
    assert.equal(sms.code, undefined);
    assert.ok(sms.link.startsWith(`${url}/reset?token=`), sms.link);
    assert.ok(sms.text.includes(sms.link), sms.text);
    const mailed = await fetch(`${url}/dev/outbox?to=${encodeURIComponent(user.email)}`).then((r) => r.json());
    assert.deepEqual(mailed, []);

    await page.goto(sms.link);
    await page.locator("#password").fill(GOOD);
    await page.locator("#password_confirm").fill(GOOD);
    const done = await submit(page, url, "/reset");
    assert.equal(done.status(), 200);
    assert.equal(await page.locator("h1").textContent(), "Your password has been changed");
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
    await context.close();
  });

  for (const javaScript of [true, false]) {
    test(`a blank field gets the form again with its error, focused and accessible (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const { context } = await newContext({ javaScript, locale: "de-DE" });
      const { page } = await openPage(context);
      await page.goto(`${url}/forgot`);
      assert.equal(await page.locator("html").getAttribute("lang"), "de");
      await assertAccessible(page, javaScript, "the German forgot form");
      // Blanks pass the browser's `required`; the server finds nothing in them.
      await page.locator("#identifier").fill("   ");
      const answer = await submit(page, url, "/forgot");
      assert.equal(answer.status(), 400);
      assert.match(await page.title(), /^Fehler: /);
      assert.equal(await focusedId(page, "error-summary"), "error-summary");
      assert.equal(await page.locator("#identifier").getAttribute("aria-invalid"), "true");
      await assertAccessible(page, javaScript, "the forgot form with its error");
      await context.close();
    });
  }

  test("the page loads nothing its Content-Security-Policy refuses", async () => {
    const { context, outside } = await newContext({ javaScript: true, bypassCSP: false });
    const { page, problems } = await openPage(context);
    const response = await page.goto(`${url}/forgot`);
    assert.doesNotMatch(response.headers()["content-security-policy"], /challenges\.cloudflare\.com/);
    assert.equal(await page.locator("script").count(), 0);
    assert.equal(await page.locator(".cf-turnstile").count(), 0);
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
    await context.close();
  });

  test("known, unknown and impossible inputs get the same answer; only the known one is mailed", async () => {
    const user = await newUser(url);
    const answers = [];
    for (const identifier of [user.email, `nobody-${Date.now()}@example.test`, user.username, "nobody-at-all", "x".repeat(300)]) {
      answers.push(await postForgot(url, { identifier }));
    }
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(answer.html, answers[0].html);
      for (const name of ["content-type", "content-security-policy", "cache-control", "x-frame-options", "vary"]) {
        assert.equal(answer.headers.get(name), answers[0].headers.get(name), name);
      }
    }
    await linkFor(url, user, "/reset?token=");
    await linkFor(url, user, "/reset?user=");
  });

  test("a form posted from another origin is refused", async () => {
    const refused = await postForgot(url, { identifier: "someone@example.test" }, { origin: "https://evil.example" });
    assert.equal(refused.status, 403);
    assert.match(refused.html, /This form can&#39;t be sent from here/);
    const same = await postForgot(url, { identifier: "someone@example.test" }, { origin: url });
    assert.equal(same.status, 200);
  });
});

describe("the forgot page with Turnstile", () => {
  let worker;
  let url;
  let fake;
  before(async () => {
    fake = await startFakeTurnstile({ secret: SECRET_KEY });
    worker = await startSelfWorker({
      TURNSTILE_SITE_KEY: SITE_KEY,
      TURNSTILE_SECRET_KEY: SECRET_KEY,
      TURNSTILE_VERIFY_URL: fake.verifyUrl,
      TURNSTILE_REQUEST_ROUTES: "on",
    });
    url = worker.url;
  });
  after(async () => {
    await worker?.stop();
    await fake?.close();
  });

  test("a good token passes: the link is sent, and siteverify got exactly the secret, the token and the address", async () => {
    const user = await newUser(url);
    const token = `good-${Date.now()}`;
    fake.allow(token);
    const { context, outside } = await newContext({ javaScript: true, turnstileToken: token });
    const { page, problems } = await openPage(context);
    await page.goto(`${url}/forgot`);
    await page.waitForSelector(".cf-turnstile[data-stub=filled]", { state: "attached" });
    assert.equal(await page.locator(".cf-turnstile").getAttribute("data-sitekey"), SITE_KEY);
    await assertAccessible(page, true, "the forgot form with Turnstile");
    await page.locator("#identifier").fill(user.email);
    const asked = await submit(page, url, "/forgot");
    assert.equal(asked.status(), 200);
    assert.equal(await page.locator("h1").textContent(), "Check your e-mail or your phone");
    await linkFor(url, user, "/reset?token=");

    const seen = fake.requests().filter((r) => r.response === token);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].secret, SECRET_KEY);
    assert.deepEqual(seen[0].fields.filter((f) => f !== "remoteip"), ["secret", "response"]);
    assert.match(seen[0].userAgent, /^pwreset\//);
    assert.deepEqual(fake.violations(), []);
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
    await context.close();
  });

  test("a bad token is refused with the form again, and nothing is sent", async () => {
    const user = await newUser(url);
    const { context, outside } = await newContext({ javaScript: true, turnstileToken: "not-a-good-token" });
    const { page } = await openPage(context);
    await page.goto(`${url}/forgot`);
    await page.waitForSelector(".cf-turnstile[data-stub=filled]", { state: "attached" });
    await page.locator("#identifier").fill(user.email);
    const refused = await submit(page, url, "/forgot");
    assert.equal(refused.status(), 403);
    assert.equal(await page.locator("h1").textContent(), "Forgot your password?");
    assert.match(await page.locator("#error-summary").textContent(), /could not check that this request comes from a person/);
    assert.equal(await page.locator("#identifier").inputValue(), user.email);
    await assertAccessible(page, true, "the forgot form refused by Turnstile");
    assert.deepEqual(outside, []);
    await context.close();
    const outbox = await fetch(`${url}/dev/outbox?to=${encodeURIComponent(user.email)}`).then((r) => r.json());
    assert.deepEqual(outbox, []);
  });

  test("its Content-Security-Policy admits Cloudflare's script, and only that", async () => {
    const token = `csp-${Date.now()}`;
    const { context, outside } = await newContext({ javaScript: true, turnstileToken: token, bypassCSP: false });
    const { page, problems } = await openPage(context);
    const response = await page.goto(`${url}/forgot`);
    const csp = response.headers()["content-security-policy"];
    for (const directive of ["script-src", "frame-src", "connect-src"]) {
      assert.match(csp, new RegExp(`${directive} https://challenges\\.cloudflare\\.com;`));
    }
    await page.waitForSelector(".cf-turnstile[data-stub=filled]", { state: "attached" });
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
    await context.close();
  });

  test("without JavaScript the page says the check needs it, stays accessible, and refuses the tokenless form", async () => {
    const { context, outside } = await newContext({ javaScript: false });
    const { page } = await openPage(context);
    await page.goto(`${url}/forgot`);
    assert.match(await page.locator("noscript .notice, .notice").first().textContent(), /needs JavaScript/);
    await assertAccessible(page, false, "the forgot form with Turnstile, without JavaScript");
    await page.locator("#identifier").fill("someone@example.test");
    const refused = await submit(page, url, "/forgot");
    assert.equal(refused.status(), 403);
    await assertAccessible(page, false, "the refused forgot form without JavaScript");
    assert.deepEqual(outside, []);
    await context.close();
  });

  test("the JSON request routes need the cf-turnstile-response header", async () => {
    const user = await newUser(url);
    const routes = [
      { path: "/reg/user/resetPasswordRequest", body: { username: user.username }, headers: {} },
      { path: "/api/v1/auth/forgotpass", body: { email: user.email }, headers: { client_id: CLIENT_ID, origin: ORIGIN } },
      { path: "/api/v1/user/forgot-password/", body: { email: user.email }, headers: { apikey: API_KEY } },
    ];
    for (const { path, body, headers } of routes) {
      const missing = await post(`${url}${path}`, body, headers);
      assert.equal(missing.status, 403, `${path} without a token`);
      const bad = await post(`${url}${path}`, body, { ...headers, "cf-turnstile-response": "bad-token" });
      assert.equal(bad.status, 403, `${path} with a bad token`);
      if (path.startsWith("/api/v1/user/")) {
        assert.equal(bad.body.error_type, "Authentication Error");
        assert.equal(bad.body.errors[0].field, "cf-turnstile-response");
      } else {
        assert.deepEqual(bad.body.errors.map((e) => e.code), ["challenge_failed"]);
      }
      if (path.includes("/auth/")) assert.equal(bad.headers.get("access-control-allow-origin"), ORIGIN);
      const token = `json-${path}-${Date.now()}`;
      fake.allow(token);
      const good = await post(`${url}${path}`, body, { ...headers, "cf-turnstile-response": token });
      assert.equal(good.status, 200, `${path} with a good token: ${JSON.stringify(good.body)}`);
    }
    // Dialect B's browsers may send the header.
    const preflight = await fetch(`${url}/api/v1/auth/forgotpass`, { method: "OPTIONS", headers: { origin: ORIGIN } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get("access-control-allow-headers"), /cf-turnstile-response/);
    // Neither the secret nor a token reached the Worker's log.
    const logs = worker.logs();
    assert.ok(!logs.includes(SECRET_KEY));
    assert.ok(!logs.includes("bad-token"));
    assert.deepEqual(fake.violations(), []);
  });

  test("siteverify down: refused, closed", async () => {
    fake.setDown(true);
    try {
      const token = `down-${Date.now()}`;
      fake.allow(token);
      const refused = await postForgot(url, { identifier: "someone@example.test", "cf-turnstile-response": token });
      assert.equal(refused.status, 403);
      const json = await post(`${url}/reg/user/resetPasswordRequest`, { username: "someone" }, { "cf-turnstile-response": token });
      assert.equal(json.status, 403);
    } finally {
      fake.setDown(false);
    }
  });
});
