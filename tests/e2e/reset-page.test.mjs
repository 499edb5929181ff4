// The reset page on the built Worker (wrangler's local runtime), in Debian's headless Chromium driven
// by playwright-core: links of dialects B and C taken from the dev outbox, live checks and the
// strength meter from the npm package, the same flow with JavaScript off, the headers, escaping,
// keyboard order and reflow at 200% zoom. Writes the screenshots in docs/screenshots/.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { launchChromium } from "../../npm/test/support/chromium.js";

import {
  CLIENT_ID, ORIGIN, PUBLIC_URL, baseVars, createUser, focusedId, get, localLink, nextMessage, openPage, post, startWorker,
} from "./worker-harness.mjs";
import { SCREENSHOTS } from "./screenshots.mjs";

const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
const C_HEADERS = { apikey: "test-api-key-0123456789abcdef" };
/** Accepted by dialect B's `django` policy and dialect C's `seed-002`. */
const GOOD = "Velvet-Harbor-Lantern-83!";
const VIEWPORT = { width: 800, height: 900 };

let worker;
let url;
let browser;
let serial = 0;

async function newUser() {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `page${stamp}`, email: `page${stamp}@example.test`, password: "Initial-Passphrase-1!" };
  user.id = await createUser(url, user);
  return user;
}

/** Links already handed out: a new request waits for a new message (delivery is queued). */
const seenLinks = new Set();

/** The link of the newest message to `user` carrying `marker`, moved from PUBLIC_URL to the local Worker. */
async function linkFor(user, marker) {
  const message = await nextMessage(url, user.email, (m) => m.link?.includes(marker) && !seenLinks.has(m.link));
  seenLinks.add(message.link);
  assert.ok(message.link.startsWith(`${PUBLIC_URL}/reset?`), message.link);
  return localLink(url, message.link);
}

/** A dialect B link (`/reset?token=…`). */
async function linkB(user) {
  const asked = await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B_HEADERS);
  assert.equal(asked.status, 200);
  return linkFor(user, "?token=");
}

/** A dialect C link (`/reset?user=…&token=…`). */
async function linkC(user) {
  const asked = await post(`${url}/api/v1/user/forgot-password/`, { email: user.email }, C_HEADERS);
  assert.equal(asked.status, 200);
  return linkFor(user, "?user=");
}

/** POSTs the page's form without a browser (URL-encoded, as a browser sends it). */
async function postForm(fields) {
  const res = await fetch(`${url}/reset`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** The form fields of a link. */
function linkFields(link) {
  const params = new URL(link).searchParams;
  const fields = { token: params.get("token") };
  if (params.has("user")) fields.user = params.get("user");
  return fields;
}

/** The new password is the account's current one: a fresh dialect B reset refuses it as the same. */
async function assertCurrentPassword(user, password) {
  const token = new URL(await linkB(user)).searchParams.get("token");
  const same = await post(`${url}/api/v1/auth/resetpass`, { token, password, passwordConfirm: password }, B_HEADERS);
  assert.equal(same.status, 400, JSON.stringify(same.body));
  assert.deepEqual(same.body.errors.map((e) => e.code), ["password_same_as_old"]);
}

/** Clicks the submit button and waits for the answer page. */
async function submit(page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${url}/reset` && r.request().method() === "POST"),
    page.locator("button[type=submit]").click(),
  ]);
  await page.waitForLoadState("load");
  return response;
}

before(async () => {
  worker = await startWorker(baseVars());
  url = worker.url;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

describe("the reset page with JavaScript", () => {
  test("dialect B: live messages and meter as you type, a mismatch, success, then the link is dead", async () => {
    const user = await newUser();
    const link = await linkB(user);
    const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-GB" });
    const { page, problems } = await openPage(context);
    await page.goto(link);
    await page.waitForSelector("#reset-form[data-live=on]");

    // The rules are there before typing.
    const rules = await page.locator("#password-rules li").allTextContents();
    assert.ok(rules.includes("Your password can’t be entirely numeric."), rules.join("|"));

    // A weak password: its messages appear as it is typed, the field is marked, the meter fills in.
    await page.locator("#password").pressSequentially("password");
    await page.waitForSelector("#password-feedback li.password_too_common");
    assert.deepEqual(await page.locator("#password-feedback li").allTextContents(), ["This password is too common."]);
    assert.equal(await page.locator("#password").getAttribute("aria-invalid"), "true");
    await page.waitForSelector("#reset-form[data-strength=on]");
    await page.waitForSelector("#strength-meter[data-score='0']");
    assert.equal(await page.locator("#strength-text").textContent(), "Very weak");
    await page.waitForFunction(() => document.getElementById("live-status").textContent.includes("This password is too common."));
    await page.screenshot({ path: `${SCREENSHOTS}reset-form-live-errors.png`, fullPage: true });

    // Submitting it is stopped in the page, with the focus on the field.
    await page.locator("#password_confirm").fill("password");
    await page.locator("button[type=submit]").click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "password");
    assert.equal(page.url(), link);

    // A good password, then a confirmation that differs.
    await page.locator("#password").fill("");
    await page.locator("#password").pressSequentially(GOOD);
    await page.waitForFunction(() => document.querySelectorAll("#password-feedback li").length === 0);
    assert.equal(await page.locator("#password").getAttribute("aria-invalid"), null);
    await page.locator("#password_confirm").fill("");
    await page.locator("#password_confirm").pressSequentially("Velvet-Harbor");
    await page.waitForSelector("#password_confirm-feedback li.password_mismatch");
    assert.equal(await page.locator("#password_confirm").getAttribute("aria-invalid"), "true");
    assert.ok(Number(await page.locator("#strength-meter").getAttribute("data-score")) >= 3);

    // The right confirmation: the messages go, the form posts, the success page shows.
    await page.locator("#password_confirm").fill(GOOD);
    await page.waitForFunction(() => document.querySelectorAll("#password_confirm-feedback li").length === 0);
    const response = await submit(page);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator("h1").textContent(), "Your password has been changed");
    assert.doesNotMatch(await page.content(), /eyJ[A-Za-z0-9_-]{10,}/, "no access token on the page");
    // The link was asked from the application at ORIGIN: the page leads back there.
    assert.equal(await page.locator("#continue").getAttribute("href"), ORIGIN);
    assert.equal(await page.locator("#continue").textContent(), `Continue to ${new URL(ORIGIN).host}`);
    await page.screenshot({ path: `${SCREENSHOTS}reset-success.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();

    await assertCurrentPassword(user, GOOD);
    // The link is dead: a GET still shows the form, a POST answers the invalid-link page.
    assert.equal((await get(link)).status, 200);
    const again = await postForm({ ...linkFields(link), password: "Another-Passphrase-55!", password_confirm: "Another-Passphrase-55!" });
    assert.equal(again.status, 400);
    assert.match(again.html, /<h1>This link is invalid or has expired<\/h1>/);
  });

  test("dialect C: its own rules live in the page (seed-002), then success", async () => {
    const user = await newUser();
    const link = await linkC(user);
    assert.equal(new URL(link).searchParams.get("user"), user.id);
    const context = await browser.newContext({ viewport: VIEWPORT });
    const { page, problems } = await openPage(context);
    await page.goto(link);
    await page.waitForSelector("#reset-form[data-live=on]");
    await page.locator("#password").pressSequentially("password");
    await page.waitForSelector("#password-feedback li.password_too_common");
    const messages = await page.locator("#password-feedback li").allTextContents();
    assert.ok(messages.includes("Your password must contain at least one capital letter, small letter, number and special character."), messages.join("|"));
    assert.equal(new Set(messages).size, messages.length, "each message once");
    await page.locator("#password").fill(GOOD);
    await page.locator("#password_confirm").fill(GOOD);
    await page.waitForFunction(() => document.querySelectorAll("#password-feedback li").length === 0);
    const response = await submit(page);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator("h1").textContent(), "Your password has been changed");
    assert.deepEqual(problems, []);
    await context.close();
    await assertCurrentPassword(user, GOOD);
  });

  test("the server's dry run shows what only it knows, before the submit, and uses nothing up", async () => {
    const user = await newUser();
    const link = await linkB(user);
    const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-GB" });
    const { page, problems } = await openPage(context);
    const submits = [];
    page.on("request", (r) => { if (r.url() === `${url}/reset` && r.method() === "POST") submits.push(r.url()); });
    await page.goto(link);
    await page.waitForSelector("#reset-form[data-live=on]");

    // The e-mail address, dressed up: every rule the browser knows passes; the server's similarity does not.
    const similar = user.email.toUpperCase().replace("@", ".");
    await page.locator("#password").pressSequentially(similar);
    await page.waitForSelector("#password-feedback li.password_too_similar");
    assert.equal(await page.locator("#password").getAttribute("aria-invalid"), "true");
    await page.waitForFunction(() => /too similar/i.test(document.getElementById("live-status").textContent));
    assert.doesNotMatch(await page.locator("#live-status").textContent(), /meets every rule/i);
    await page.screenshot({ path: `${SCREENSHOTS}reset-form-server-check.png`, fullPage: true });

    // A good one: the server's error goes once it has answered for the new password.
    await page.locator("#password").fill(GOOD);
    await page.waitForFunction(() => document.querySelectorAll("#password-feedback li").length === 0);
    await page.locator("#password_confirm").fill(GOOD);
    assert.deepEqual(submits, [], "nothing was submitted while typing");
    const response = await submit(page);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator("h1").textContent(), "Your password has been changed");
    assert.deepEqual(problems, []);
    await context.close();
    await assertCurrentPassword(user, GOOD);
  });

  test("the meter appears when the field had the focus before the script loaded", async () => {
    const user = await newUser();
    const link = await linkB(user);
    const context = await browser.newContext({ viewport: VIEWPORT });
    // Hold the package back until the user has clicked into the field and typed.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await context.route("**/assets/pwreset/src/entry-browser.js", async (route) => { await held; await route.continue(); });
    const page = await context.newPage();
    await page.goto(link, { waitUntil: "domcontentloaded" });
    await page.locator("#password").click();
    await page.keyboard.type("Velvet");
    assert.equal(await page.evaluate(() => document.activeElement.id), "password");
    release();
    await page.waitForSelector("#reset-form[data-live=on]");
    await page.waitForSelector("#reset-form[data-strength=on]");
    assert.equal(await page.locator("#strength").isHidden(), false);
    await context.close();
  });

  test("when the package's wasm can't load, the page is the plain form and still works", async () => {
    const user = await newUser();
    const link = await linkB(user);
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.route("**/assets/pwreset/**", (route) => route.abort());
    const page = await context.newPage();
    await page.goto(link);
    await page.waitForSelector("#reset-form[data-live=off]");
    assert.equal(await page.locator("#strength").isHidden(), true);
    await page.locator("#password").fill(GOOD);
    await page.locator("#password_confirm").fill(GOOD);
    const response = await submit(page);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator("h1").textContent(), "Your password has been changed");
    await context.close();
  });

  test("the keyboard reaches every control in order, and the page reflows at 200% and 400% zoom", async () => {
    const user = await newUser();
    const link = await linkB(user);
    // 1280 px at 200% zoom is a 640 CSS px viewport; at 400%, 320 px (WCAG's reflow width).
    for (const width of [640, 320]) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(link);
      await page.waitForSelector("#reset-form[data-live=on]");
      const order = [];
      for (let i = 0; i < 4; i += 1) {
        await page.keyboard.press("Tab");
        order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
      }
      assert.deepEqual(order, ["password", "password_confirm", "show-passwords-toggle", "BUTTON"]);
      // The focused control has a visible focus indicator.
      const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.equal(ring, "solid");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `horizontal scroll of ${overflow}px at ${width}px`);
      await context.close();
    }
  });

  test("the page speaks the browser's language", async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: "de-DE" });
    const page = await context.newPage();
    await page.goto(`${url}/reset?token=${"0".repeat(64)}`);
    assert.equal(await page.locator("html").getAttribute("lang"), "de");
    assert.equal(await page.locator("h1").textContent(), "Neues Passwort festlegen");
    assert.equal(await page.locator("label[for=password]").textContent(), "Neues Passwort");
    await context.close();
  });
});

describe("the reset page without JavaScript", () => {
  test("dialect C: the server lists the errors, then sets the password; the link is dead after", async () => {
    const user = await newUser();
    const link = await linkC(user);
    const context = await browser.newContext({ viewport: VIEWPORT, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(link);
    assert.equal(await page.locator("#reset-form").getAttribute("data-live"), null, "no script ran");
    assert.equal(await page.locator("#show-passwords").isHidden(), true);

    // A weak password: the form comes back with the errors, each field marked and described.
    await page.locator("#password").fill("password");
    await page.locator("#password_confirm").fill("passw0rd");
    const refused = await submit(page);
    assert.equal(refused.status(), 400);
    assert.equal(await page.title(), "Error: Choose a new password");
    assert.equal(await focusedId(page, "error-summary"), "error-summary", "the summary has the focus");
    const summary = await page.locator("#error-summary li").allTextContents();
    assert.ok(summary.includes("Your password can't be a commonly used password."), summary.join("|"));
    assert.equal(await page.locator("#password").getAttribute("aria-invalid"), "true");
    assert.match(await page.locator("#password").getAttribute("aria-describedby"), /\bpassword-error\b/);
    assert.equal(await page.locator("#password_confirm").getAttribute("aria-invalid"), "true");
    assert.equal(await page.locator("#password").inputValue(), "", "passwords are never sent back");
    await page.screenshot({ path: `${SCREENSHOTS}reset-no-js-errors.png`, fullPage: true });

    // The link survived the refusal: a good password now succeeds.
    await page.locator("#password").fill(GOOD);
    await page.locator("#password_confirm").fill(GOOD);
    const done = await submit(page);
    assert.equal(done.status(), 200);
    assert.equal(await page.locator("h1").textContent(), "Your password has been changed");
    await context.close();

    await assertCurrentPassword(user, GOOD);
    assert.equal((await get(link)).status, 200, "a GET still shows the form");
    const again = await postForm({ ...linkFields(link), password: GOOD, password_confirm: GOOD });
    assert.equal(again.status, 400);
    assert.match(again.html, /This link is invalid or has expired/);
  });
});

describe("the reset page's HTTP answers", () => {
  test("strict CSP and the other headers; no inline script or style in the HTML", async () => {
    const res = await fetch(`${url}/reset?token=${"a".repeat(64)}`);
    assert.equal(res.status, 200);
    const csp = res.headers.get("content-security-policy");
    assert.equal(csp, "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    const html = await res.text();
    assert.doesNotMatch(html, /<style/i);
    assert.doesNotMatch(html, /\sstyle=/i);
    assert.doesNotMatch(html, /\son[a-z]+=/i, "no event-handler attributes");
    const scripts = html.match(/<script[^>]*>[\s\S]*?<\/script>/gi) ?? [];
    assert.deepEqual(scripts, ['<script type="module" src="/assets/reset.js"></script>']);
    // The page's own files come from the Worker's static assets.
    for (const [path, type] of [["/assets/reset.js", "text/javascript"], ["/assets/reset.css", "text/css"], ["/assets/pwreset/dist/pwreset_policy_bg.wasm", "application/wasm"]]) {
      const asset = await fetch(url + path);
      assert.equal(asset.status, 200, path);
      assert.ok(asset.headers.get("content-type").startsWith(type), `${path}: ${asset.headers.get("content-type")}`);
      await asset.arrayBuffer();
    }
  });

  test("a form over 16 KiB is refused unread, with a page", async () => {
    const res = await postForm({ token: "0".repeat(64), password: "x".repeat(17 * 1024), password_confirm: "x" });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(res.html, /<h1>The form could not be read<\/h1>/);
  });

  test("GETting a link any number of times never uses it up", async () => {
    const user = await newUser();
    const link = await linkB(user);
    const first = await get(link);
    const second = await get(link);
    assert.deepEqual([first.status, second.status], [200, 200]);
    assert.equal(first.body, second.body, "the same page each time");
    const done = await postForm({ ...linkFields(link), password: GOOD, password_confirm: GOOD });
    assert.equal(done.status, 200);
    assert.match(done.html, /<h1>Your password has been changed<\/h1>/);
  });

  test("a hostile token in the query is escaped, in the HTML and in the browser", async () => {
    const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)>'`;
    const target = `${url}/reset?token=${encodeURIComponent(hostile)}&user=${encodeURIComponent(hostile)}`;
    const res = await get(target);
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.body, /<script>alert|<img src=x/);
    assert.ok(res.body.includes('name="token" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#39;"'));
    const context = await browser.newContext({ viewport: VIEWPORT });
    const { page, problems } = await openPage(context);
    await page.goto(target);
    await page.waitForSelector("#reset-form[data-live=on]");
    assert.equal(await page.locator("input[name=token]").inputValue(), hostile, "the value is kept, as text");
    assert.equal(await page.locator("img").count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
