// The brand and the operator's templates end to end: the built Worker with BRAND_* and
// MESSAGE_TEMPLATES set writes every e-mail in the outbox as HTML beside its text, the brand in it
// and every value escaped; one operator's template replaces one part of one language and kind.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { CLIENT_ID, ORIGIN, baseVars, createUser, nextMessage, post, startWorker } from "./worker-harness.mjs";

const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
// A name that would be markup if it were not escaped.
const BRAND_NAME = 'Acme "<script>alert(1)</script>"';
const BRAND = {
  BRAND_NAME,
  BRAND_URL: "https://acme.example/?from=mail&x=1",
  BRAND_LOGO_URL: "https://acme.example/logo.png",
  BRAND_COLOR: "#0F766E",
  SUPPORT_EMAIL: "help@acme.example",
  MESSAGE_TEMPLATES: JSON.stringify({
    de: { reset_link: { subject: "{{ brand_name }}: {{ subject }}" } },
  }),
};
let worker;
let serial = 0;

before(async () => {
  worker = await startWorker(baseVars(BRAND));
});

after(async () => {
  await worker?.stop();
});

async function newUser() {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `b${stamp}`, email: `b${stamp}@example.test`, password: "Initial-passphrase-1" };
  user.id = await createUser(worker.url, user);
  return user;
}

async function linkMessage(user, language) {
  const headers = language ? { ...B_HEADERS, "accept-language": language } : B_HEADERS;
  assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass`, { email: user.email }, headers)).status, 200);
  return nextMessage(worker.url, user.email, (m) => m.link);
}

describe("a branded e-mail in the outbox", () => {
  test("carries html beside text, with the brand's name, logo, colour and support address, escaped", async () => {
    const user = await newUser();
    const message = await linkMessage(user);
    assert.equal(message.channel, "email");
    const { html, text, link } = message;
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en" dir="ltr">/);
    assert.match(html, /<meta name="color-scheme" content="light dark">/);
    const escapedName = "Acme &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;";
    assert.ok(html.includes(`<img src="https://acme.example/logo.png" alt="${escapedName}"`), html);
    assert.ok(html.includes('<a href="https://acme.example/?from=mail&amp;x=1"'), "the logo links the site");
    assert.ok(html.includes("background-color:#0f766e"), "the button in the brand's colour");
    assert.ok(html.includes('<a href="mailto:help@acme.example"'), "the footer names support");
    assert.ok(!html.includes("<script"), "nothing the brand wrote runs");
    // The reset link: a button and the bare URL, both to the link.
    assert.equal(html.split(`href="${link.replaceAll("&", "&amp;")}"`).length - 1, 2);
    // The text: the same message, the support address named, signed with the brand as written.
    assert.ok(text.includes(link));
    assert.ok(text.includes("contact support at help@acme.example"), text);
    assert.ok(text.endsWith(`\n\n${BRAND_NAME}\nhttps://acme.example/?from=mail&x=1\n`), text);
  });

  test("the operator's German subject replaces the built-in one, for German only", async () => {
    const user = await newUser();
    const german = await linkMessage(user, "de");
    assert.equal(german.subject, `${BRAND_NAME}: Passwort zurücksetzen`);
    assert.match(german.html, /<html lang="de" dir="ltr">/);
    assert.ok(german.html.includes("<title>Acme &quot;&lt;script&gt;"), "the subject escaped in the title");
    assert.ok(german.text.includes("wenden Sie sich an den Support unter help@acme.example"), german.text);
    const english = await linkMessage(await newUser(), "en");
    assert.equal(english.subject, "Reset your password");
  });
});
