// The built Worker delivering through each provider's real request shape to a local fake of the
// providers (tests/e2e/fake-provider.mjs checks every request): retries through the queue with
// backoff, delivery exactly once after a failure, and a visible dead letter when a provider never
// recovers. Every kind of e-mail, in each language, reaches each e-mail provider as HTML and text
// with the configured brand.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { startFakeProvider } from "./fake-provider.mjs";
import {
  ADMIN_TOKEN, CLIENT_ID, ORIGIN, baseVars, createUser, eventually, get, linkPattern, post, startWorker,
} from "./worker-harness.mjs";

const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
// A Standard Webhooks secret: the fake verifies webhook-signature with the base64 after whsec_.
const WEBHOOK_SECRET = "whsec_cHdyZXNldCB3ZWJob29rIHRlc3Qga2V5LCAzMiBiISE=";
const CREDENTIALS = {
  resend: "re_test_key_123", postmark: "pm-server-token-123", sendgrid: "SG.test-key-123",
  twilio: { sid: "ACtest0123456789", token: "twilio-auth-token-123" },
};
const BRAND = {
  BRAND_NAME: "Acme Tools", BRAND_URL: "https://acme.example/", BRAND_LOGO_URL: "https://acme.example/logo.png",
  BRAND_COLOR: "#0f766e", SUPPORT_EMAIL: "help@acme.example",
};
// The subject of each kind of e-mail in each language, as a reader would expect it.
const SUBJECTS = {
  en: { code: "Your password reset code", link: "Reset your password", links: "Reset your password", changed: "Your password was changed" },
  de: { code: "Ihr Code zum Zurücksetzen des Passworts", link: "Passwort zurücksetzen", links: "Passwort zurücksetzen", changed: "Ihr Passwort wurde geändert" },
  es: { code: "Tu código para restablecer la contraseña", link: "Restablece tu contraseña", links: "Restablece tu contraseña", changed: "Tu contraseña ha cambiado" },
};
let fake;
let serial = 0;

before(async () => {
  fake = await startFakeProvider({ webhookSecret: WEBHOOK_SECRET, credentials: CREDENTIALS });
});

after(async () => {
  await fake?.close();
});

function providerVars(email, sms) {
  const vars = baseVars({
    EMAIL_PROVIDER: email, SMS_PROVIDER: sms, EMAIL_BASE_URL: fake.url, SMS_BASE_URL: fake.url,
    WEBHOOK_URL: fake.urls.webhook, WEBHOOK_SECRET, TWILIO_ACCOUNT_SID: CREDENTIALS.twilio.sid,
    TWILIO_AUTH_TOKEN: CREDENTIALS.twilio.token, SMS_FROM: "+15005550006", ...BRAND,
  });
  if (email !== "webhook") vars.EMAIL_API_KEY = CREDENTIALS[email];
  return vars;
}

async function newUser(url, fields = {}) {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `p${stamp}`, email: `p${stamp}@example.test`, password: "Initial-passphrase-1", phone: `+4477008${String(serial).padStart(5, "0")}`, ...fields };
  user.id = await createUser(url, user);
  return user;
}

const deliveredTo = (provider, to) => fake.received(provider).filter((d) => d.to === to || (Array.isArray(d.to) && d.to.includes(to)));

for (const [email, sms] of [["resend", "twilio"], ["postmark", "webhook"], ["sendgrid", "twilio"], ["webhook", "webhook"]]) {
  describe(`${email} e-mail and ${sms} SMS`, () => {
    let worker;
    before(async () => { worker = await startWorker(providerVars(email, sms)); });
    after(async () => { await worker?.stop(); });

    test("a reset link and a reset code reach the provider in its real request shape", async () => {
      const user = await newUser(worker.url);
      assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass`, { email: user.email }, B_HEADERS)).status, 200);
      assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, B_HEADERS)).status, 200);
      const mail = await eventually(() => deliveredTo(email, user.email)[0]);
      assert.match(mail.text, linkPattern("/reset", "\\?token=[0-9a-f]{64}"));
      // Both bodies (the fake refuses an e-mail without either): the HTML has the same link.
      assert.match(mail.html, /^<!DOCTYPE html>\n<html lang="en" dir="ltr">/);
      const [link] = mail.text.match(linkPattern("/reset", "\\?token=[0-9a-f]{64}"));
      assert.ok(mail.html.includes(`href="${link}"`), mail.html);
      const text = await eventually(() => deliveredTo(sms, user.phone)[0]);
      assert.match(text.text, /[0-9]{6}/);
      assert.equal(text.html, undefined, "an SMS has no HTML");
      assert.deepEqual(fake.violations(), []);
      assert.equal((await get(`${worker.url}/dev/outbox?to=${encodeURIComponent(user.email)}`)).status, 404, "no outbox without an outbox provider");
    });

    test("every kind of e-mail, in English, German and Spanish, arrives as HTML and text with the brand", async () => {
      for (const language of ["en", "de", "es"]) {
        const headers = { ...B_HEADERS, "accept-language": language };
        // A code, then the notice that the password changed.
        const coded = await newUser(worker.url);
        assert.equal((await post(`${worker.url}/reg/user/resetPasswordRequest`, { username: coded.username }, headers)).status, 200);
        const code = await eventually(() => deliveredTo(email, coded.email)[0]);
        const [digits] = code.text.match(/\b[0-9]{6}\b/);
        const step2 = await post(`${worker.url}/reg/user/resetPasswordRequest`, { username: coded.username, code: digits }, headers);
        assert.equal(step2.status, 200, JSON.stringify(step2.body));
        const reset = await post(`${worker.url}/reg/user/resetPassword`, {
          username: coded.username, signedPayload: step2.body.signedPayload, newPassword: "Fresh-passphrase-22",
        }, headers);
        assert.equal(reset.status, 200, JSON.stringify(reset.body));
        const changed = await eventually(() => deliveredTo(email, coded.email)[1]);
        // A link, and the list of links for an address that two accounts share.
        const linked = await newUser(worker.url);
        assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass`, { email: linked.email }, headers)).status, 200);
        const link = await eventually(() => deliveredTo(email, linked.email)[0]);
        const shared = `shared-${serial}-${language}-${Date.now()}@example.test`;
        await newUser(worker.url, { email: shared });
        await newUser(worker.url, { email: shared });
        assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass`, { email: shared }, headers)).status, 200);
        const links = await eventually(() => deliveredTo(email, shared)[0]);

        for (const [kind, mail] of Object.entries({ code, changed, link, links })) {
          const what = `${email} ${language} ${kind}`;
          assert.equal(mail.subject, SUBJECTS[language][kind], what);
          assert.match(mail.html, new RegExp(`^<!DOCTYPE html>\n<html lang="${language}" dir="ltr">`), what);
          assert.ok(mail.html.includes('<img src="https://acme.example/logo.png" alt="Acme Tools"'), what);
          assert.ok(mail.html.includes("border-top:4px solid #0f766e"), `${what}: the brand's colour`);
          if (kind === "link") assert.ok(mail.html.includes("background-color:#0f766e"), `${what}: the button in the brand's colour`);
          assert.ok(mail.html.includes('href="mailto:help@acme.example"'), `${what}: support named`);
          assert.ok(mail.text.includes("help@acme.example"), `${what}: support named in the text`);
          assert.ok(mail.text.trimEnd().endsWith("Acme Tools\nhttps://acme.example/"), `${what}: signed with the brand`);
        }
        assert.ok(code.html.includes(digits) && code.text.includes(digits));
        const linkHrefs = (mail) => [...mail.html.matchAll(/href="([^"]*\/reset\?token=[^"]*)"/g)].map((m) => m[1]);
        assert.ok(linkHrefs(link).length >= 1 && linkHrefs(link).every((href) => link.text.includes(href.replaceAll("&amp;", "&"))));
        assert.equal(new Set(linkHrefs(links)).size, 2, "one link for each account sharing the address");
      }
      assert.deepEqual(fake.violations(), []);
    });
  });
}

describe("provider faults", () => {
  let worker;
  before(async () => { worker = await startWorker(providerVars("resend", "twilio")); });
  after(async () => { await worker?.stop(); });

  test("a provider that fails and then recovers delivers the message exactly once", async () => {
    const user = await newUser(worker.url);
    fake.setFaults("resend", ["500", "429:1"]);
    await post(`${worker.url}/api/v1/auth/forgotpass`, { email: user.email }, B_HEADERS);
    await eventually(() => deliveredTo("resend", user.email).length === 1, { timeoutMs: 40_000 });
    const attempts = fake.requests("resend").filter((r) => JSON.stringify(r).includes(user.email));
    assert.ok(attempts.length >= 3, `three attempts, saw ${attempts.length}`);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(deliveredTo("resend", user.email).length, 1);
    assert.deepEqual(fake.violations(), []);
  });

  test("a provider that never recovers ends in a logged dead letter the operator can list", async () => {
    const user = await newUser(worker.url);
    fake.setFaults("twilio", Array(8).fill("503"));
    await post(`${worker.url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, B_HEADERS);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const letter = await eventually(async () => {
      const res = await get(`${worker.url}/admin/dead-letters`, auth);
      return res.body.find?.((l) => l.channel === "sms");
    }, { timeoutMs: 90_000, everyMs: 1000 });
    assert.equal(letter.attempts, 5);
    assert.ok(!letter.to.includes(user.phone.slice(3, 9)), `masked: ${letter.to}`);
    assert.equal(deliveredTo("twilio", user.phone).length, 0);
    await eventually(() => /delivery_dead_letter/.test(worker.logs()));
    assert.equal((await get(`${worker.url}/admin/dead-letters`)).status, 401);
    fake.setFaults("twilio", []);
  });
});
