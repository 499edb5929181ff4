// The fake provider itself, driven with plain fetch: real shapes accepted and answered as the
// providers answer them, malformed ones refused and recorded, faults and deduplication.
// Run: node --test tests/e2e/fake-provider.test.mjs

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, afterEach, before, describe, test } from "node:test";

import { startFakeProvider } from "./fake-provider.mjs";

// A Standard Webhooks secret (whsec_ and base64 of 32 bytes); the key is the decoded bytes.
const SECRET = "whsec_cHdyZXNldCB3ZWJob29rIHRlc3Qga2V5LCAzMiBiISE=";
const KEY = Buffer.from(SECRET.slice(6), "base64");
const UA = "pwreset/0.1.0";
// Every e-mail pwreset sends carries an HTML document beside its text.
const HTML = "<!DOCTYPE html>\n<html lang=\"en\"><body><p>code 123456</p></body></html>\n";
let fake;

before(async () => {
  fake = await startFakeProvider({
    webhookSecret: SECRET,
    credentials: { resend: "re_key", postmark: "pm_token", sendgrid: "SG.key", twilio: { sid: "AC123", token: "tw_token" } },
  });
});
afterEach(() => fake.reset());
after(() => fake.close());

// ------------------------------------------------------------------ request builders

function resend(overrides = {}) {
  const body = { from: "Acme <no-reply@acme.test>", to: ["jane@example.com"], subject: "Reset", html: HTML, text: "code 123456" };
  return {
    url: `${fake.url}/emails`,
    headers: {
      "User-Agent": UA,
      Authorization: "Bearer re_key",
      "Content-Type": "application/json",
      "Idempotency-Key": "msg-1",
      ...overrides.headers,
    },
    body: JSON.stringify({ ...body, ...overrides.body }),
  };
}

function postmark(overrides = {}) {
  const body = { From: "no-reply@acme.test", To: "jane@example.com", Subject: "Reset", HtmlBody: HTML, TextBody: "code 1", MessageStream: "outbound" };
  return {
    url: `${fake.url}/email`,
    headers: {
      "User-Agent": UA,
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-Postmark-Server-Token": "pm_token",
      ...overrides.headers,
    },
    body: JSON.stringify({ ...body, ...overrides.body }),
  };
}

function sendgrid(overrides = {}) {
  const body = {
    personalizations: [{ to: [{ email: "jane@example.com" }] }],
    from: { email: "no-reply@acme.test" },
    subject: "Reset",
    content: [{ type: "text/plain", value: "code 1" }, { type: "text/html", value: HTML }],
  };
  return {
    url: `${fake.url}/v3/mail/send`,
    headers: { "User-Agent": UA, Authorization: "Bearer SG.key", "Content-Type": "application/json", ...overrides.headers },
    body: JSON.stringify({ ...body, ...overrides.body }),
  };
}

function twilio(fields = { To: "+447700900456", From: "+15551234567", Body: "Code: 1+1" }, overrides = {}) {
  return {
    url: `${fake.url}/2010-04-01/Accounts/${overrides.sid ?? "AC123"}/Messages.json`,
    headers: {
      "User-Agent": UA,
      Authorization: `Basic ${Buffer.from(overrides.auth ?? "AC123:tw_token").toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
      ...overrides.headers,
    },
    body: overrides.rawBody ?? new URLSearchParams(fields).toString(),
  };
}

function webhook(overrides = {}) {
  const timestamp = overrides.timestamp ?? Math.floor(Date.now() / 1000);
  const message = { id: "msg-9", channel: "sms", to: "+447700900456", subject: "", text: "code 42", code: "42", created_at: timestamp };
  const body = JSON.stringify({ ...message, ...overrides.body });
  const signature = `v1,${createHmac("sha256", overrides.key ?? KEY).update(`msg-9.${timestamp}.${body}`).digest("base64")}`;
  return {
    url: `${fake.url}/webhook`,
    headers: {
      "User-Agent": UA,
      "Content-Type": "application/json",
      "webhook-id": "msg-9",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
      ...overrides.headers,
    },
    body: overrides.rawBody ?? body,
  };
}

async function send({ url, headers, body }, init = {}) {
  const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined));
  return fetch(url, { method: "POST", headers: clean, body, ...init });
}

async function refused(request, status, provider) {
  const res = await send(request);
  assert.equal(res.status, status);
  await res.arrayBuffer();
  assert.equal(fake.received(provider).length, 0, "nothing delivered");
  assert.equal(fake.violations().length, 1, "one violation recorded");
  return fake.violations()[0];
}

// ------------------------------------------------------------------ shapes

describe("resend", () => {
  test("a well-formed request is delivered and answered {id}", async () => {
    const res = await send(resend());
    assert.equal(res.status, 200);
    const { id } = await res.json();
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      fake.received("resend").map(({ to, subject, text, html, key }) => ({ to, subject, text, html, key })),
      [{ to: "jane@example.com", subject: "Reset", text: "code 123456", html: HTML, key: "msg-1" }],
    );
    assert.deepEqual(fake.violations(), []);
  });

  test("a repeated Idempotency-Key returns the first answer and sends nothing more", async () => {
    const first = await (await send(resend())).json();
    const again = await send(resend());
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), first);
    assert.equal(fake.received("resend").length, 1);
    assert.equal(fake.requests("resend").length, 2);
  });

  test("the same key with another payload is a 409", async () => {
    await (await send(resend())).arrayBuffer();
    const res = await send(resend({ body: { text: "something else" } }));
    assert.equal(res.status, 409);
    assert.equal((await res.json()).name, "invalid_idempotent_request");
    assert.equal(fake.received("resend").length, 1);
  });

  test("malformed requests are refused and recorded", async () => {
    const cases = [
      [resend({ headers: { Authorization: undefined } }), 401],
      [resend({ headers: { Authorization: "Bearer wrong" } }), 403],
      [resend({ headers: { "User-Agent": "" } }), 422],
      [resend({ headers: { "Idempotency-Key": undefined } }), 422],
      [resend({ headers: { "Content-Type": "text/plain" } }), 422],
      [resend({ body: { to: [] } }), 422],
      [resend({ body: { subject: undefined } }), 422],
      [resend({ body: { text: undefined } }), 422],
      // Both bodies, always: HTML alone, text alone, or HTML that is no document is refused.
      [resend({ body: { html: undefined } }), 422],
      [resend({ body: { html: "<p>code</p>" } }), 422],
      [{ ...resend(), body: "{not json" }, 422],
    ];
    for (const [request, status] of cases) {
      const violation = await refused(request, status, "resend");
      assert.equal(violation.provider, "resend");
      assert.ok(violation.problems.length > 0);
      fake.reset();
    }
  });
});

describe("postmark", () => {
  test("a well-formed request is answered with ErrorCode 0", async () => {
    const res = await send(postmark());
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.ErrorCode, 0);
    assert.equal(body.Message, "OK");
    assert.equal(body.To, "jane@example.com");
    assert.ok(body.MessageID);
    assert.equal(fake.received("postmark").length, 1);
    assert.equal(fake.received("postmark")[0].html, HTML);
  });

  test("malformed requests are refused and recorded", async () => {
    const cases = [
      [postmark({ headers: { "X-Postmark-Server-Token": undefined } }), 401],
      [postmark({ headers: { "X-Postmark-Server-Token": "nope" } }), 401],
      [postmark({ headers: { Accept: undefined } }), 422],
      [postmark({ body: { TextBody: undefined } }), 422],
      [postmark({ body: { HtmlBody: undefined } }), 422],
      [postmark({ body: { From: "" } }), 422],
      [postmark({ body: { MessageStream: "broadcast" } }), 422],
    ];
    for (const [request, status] of cases) {
      const violation = await refused(request, status, "postmark");
      assert.equal(violation.status, status);
      fake.reset();
    }
  });
});

describe("sendgrid", () => {
  test("a well-formed request is answered 202 with no body", async () => {
    const res = await send(sendgrid());
    assert.equal(res.status, 202);
    assert.equal(await res.text(), "");
    assert.ok(res.headers.get("x-message-id"));
    assert.equal(fake.received("sendgrid")[0].to, "jane@example.com");
    assert.equal(fake.received("sendgrid")[0].text, "code 1");
    assert.equal(fake.received("sendgrid")[0].html, HTML);
  });

  test("malformed requests are refused and recorded", async () => {
    const cases = [
      [sendgrid({ headers: { Authorization: undefined } }), 401],
      [sendgrid({ body: { personalizations: [] } }), 400],
      [sendgrid({ body: { from: "a@b.test" } }), 400],
      [sendgrid({ body: { content: [] } }), 400],
      // text/plain must come first, and pwreset sends text/html beside it.
      [sendgrid({ body: { content: [{ type: "text/html", value: HTML }, { type: "text/plain", value: "code 1" }] } }), 400],
      [sendgrid({ body: { content: [{ type: "text/plain", value: "code 1" }] } }), 400],
    ];
    for (const [request, status] of cases) {
      const violation = await refused(request, status, "sendgrid");
      assert.ok(violation.problems.length > 0);
      fake.reset();
    }
  });
});

describe("twilio", () => {
  test("a well-formed request is answered 201 with an SM sid", async () => {
    const res = await send(twilio());
    assert.equal(res.status, 201);
    const body = await res.json();
    assert.match(body.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(body.to, "+447700900456");
    assert.equal(body.status, "queued");
    const [delivery] = fake.received("twilio");
    assert.equal(delivery.text, "Code: 1+1", "the + in the body survives form encoding");
  });

  test("a Messaging Service SID may replace From", async () => {
    const res = await send(twilio({ To: "+447700900456", MessagingServiceSid: "MG0123", Body: "hi" }));
    assert.equal(res.status, 201);
    assert.equal((await res.json()).messaging_service_sid, "MG0123");
  });

  test("malformed requests are refused with Twilio's error codes", async () => {
    const cases = [
      [twilio(undefined, { auth: "" }), 401, 20003],
      [twilio(undefined, { auth: "AC999:tw_token", sid: "AC123" }), 401, 20003],
      [twilio(undefined, { auth: "AC123:wrong" }), 401, 20003],
      // An unencoded + reads as a space: not an E.164 number any more.
      [twilio(undefined, { rawBody: "To=+447700900456&From=%2B15551234567&Body=hi" }), 400, 21211],
      [twilio({ To: "+447700900456", Body: "hi" }), 400, 21603],
      [twilio({ To: "+447700900456", From: "+15551234567" }), 400, 21602],
      [twilio(undefined, { headers: { "Content-Type": "application/json" } }), 400, undefined],
    ];
    for (const [request, status, code] of cases) {
      const res = await send(request);
      assert.equal(res.status, status);
      const body = await res.json();
      if (code !== undefined) assert.equal(body.code, code);
      assert.equal(fake.violations().length, 1);
      assert.equal(fake.received().length, 0);
      fake.reset();
    }
  });
});

describe("webhook", () => {
  test("a signed request is accepted, and its id delivered once", async () => {
    const res = await send(webhook());
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: true });
    const again = await send(webhook());
    assert.equal(again.status, 200);
    assert.equal((await again.json()).duplicate, true);
    const received = fake.received("webhook");
    assert.equal(received.length, 1);
    assert.equal(received[0].code, "42");
    assert.equal(received[0].channel, "sms");
  });

  test("an e-mail carries its HTML beside its text; an SMS has none", async () => {
    const email = { channel: "email", to: "jane@example.com", subject: "Reset", html: HTML };
    const res = await send(webhook({ body: email }));
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.equal(fake.received("webhook")[0].html, HTML);
    fake.reset();
    await refused(webhook({ body: { ...email, html: undefined } }), 400, "webhook");
    fake.reset();
    await refused(webhook({ body: { html: HTML } }), 400, "webhook");
  });

  test("one good signature among several is enough (a key rotation)", async () => {
    const signed = webhook();
    const several = `v1,${"A".repeat(43)}= ${signed.headers["webhook-signature"]}`;
    const res = await send({ ...signed, headers: { ...signed.headers, "webhook-signature": several } });
    assert.equal(res.status, 200);
    assert.equal(fake.received("webhook").length, 1);
  });

  test("bad signatures, stale timestamps and bad bodies are refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      [webhook({ key: Buffer.from("another secret entirely, 32+ bytes long") }), 401],
      // The secret's text is not the key: the base64 after whsec_ is.
      [webhook({ key: Buffer.from(SECRET) }), 401],
      [webhook({ timestamp: now - 3600 }), 401],
      [webhook({ headers: { "webhook-signature": "sha256=abc" } }), 400],
      [webhook({ headers: { "webhook-signature": "v2,abc" } }), 400],
      [webhook({ headers: { "webhook-id": undefined } }), 400],
      // The id is signed: another id on the same message does not verify.
      [webhook({ headers: { "webhook-id": "msg-10" }, body: { id: "msg-10" } }), 401],
      [webhook({ body: { id: "another" } }), 400],
      [webhook({ body: { channel: "fax" } }), 400],
      [webhook({ body: { code: 42 } }), 400],
    ];
    for (const [request, status] of cases) {
      await refused(request, status, "webhook");
      fake.reset();
    }
    // A body changed after signing.
    const signed = webhook();
    await refused({ ...signed, body: signed.body.replace("code 42", "code 43") }, 401, "webhook");
  });
});

test("unknown paths and wrong methods are violations", async () => {
  const res = await fetch(`${fake.url}/v1/nothing`, { method: "POST", body: "{}" });
  assert.equal(res.status, 404);
  await res.arrayBuffer();
  assert.equal(fake.violations()[0].path, "/v1/nothing");
  fake.reset();
  const get = await fetch(`${fake.url}/emails`, { headers: resend().headers });
  assert.equal(get.status, 422);
  await get.arrayBuffer();
  assert.match(fake.violations()[0].problems.join(), /method GET/);
});

test("the user agent must be pwreset's", async () => {
  const violation = await refused(postmark({ headers: { "User-Agent": "curl/8" } }), 422, "postmark");
  assert.match(violation.problems.join(), /User-Agent/);
});

// ------------------------------------------------------------------ faults

describe("faults", () => {
  test("a status fault answers that status (with Retry-After) once, then the provider recovers", async () => {
    fake.setFaults("postmark", ["500", "429:2"]);
    const first = await send(postmark());
    assert.equal(first.status, 500);
    await first.arrayBuffer();
    const second = await send(postmark());
    assert.equal(second.status, 429);
    assert.equal(second.headers.get("retry-after"), "2");
    await second.arrayBuffer();
    const third = await send(postmark());
    assert.equal(third.status, 200);
    await third.arrayBuffer();
    assert.equal(fake.received("postmark").length, 1);
    assert.deepEqual(
      fake.requests("postmark").map((r) => r.outcome),
      ["500", "429:2", "ok"],
    );
  });

  test("faults are per provider and skipped by malformed requests", async () => {
    fake.setFaults("sendgrid", ["503"]);
    const resendRes = await send(resend());
    assert.equal(resendRes.status, 200);
    await resendRes.arrayBuffer();
    const malformed = await send(sendgrid({ headers: { Authorization: undefined } }));
    assert.equal(malformed.status, 401);
    await malformed.arrayBuffer();
    const faulted = await send(sendgrid());
    assert.equal(faulted.status, 503);
    await faulted.arrayBuffer();
  });

  test("hang never answers: the client times out, nothing is delivered", async () => {
    fake.setFaults("twilio", ["hang"]);
    await assert.rejects(send(twilio(), { signal: AbortSignal.timeout(200) }), { name: "TimeoutError" });
    assert.equal(fake.received("twilio").length, 0);
  });

  test("close drops the connection, garbage answers something that is not HTTP", async () => {
    fake.setFaults("resend", ["close", "garbage"]);
    await assert.rejects(send(resend()), TypeError);
    await assert.rejects(send(resend()), TypeError);
    assert.equal(fake.received("resend").length, 0);
    const res = await send(resend());
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });

  test("badjson accepts the message but answers 200 with a body that is not JSON", async () => {
    fake.setFaults("postmark", ["badjson"]);
    const res = await send(postmark());
    assert.equal(res.status, 200);
    await assert.rejects(res.json(), SyntaxError);
    assert.equal(fake.received("postmark").length, 1);
  });

  test("a timeout that hid an acceptance: Resend dedupes the retry, Postmark delivers twice", async () => {
    fake.setFaults("resend", ["accept-hang"]);
    await assert.rejects(send(resend(), { signal: AbortSignal.timeout(200) }), { name: "TimeoutError" });
    const retry = await send(resend());
    assert.equal(retry.status, 200);
    await retry.arrayBuffer();
    assert.equal(fake.received("resend").length, 1, "Idempotency-Key: one e-mail");

    fake.setFaults("postmark", ["accept-close"]);
    await assert.rejects(send(postmark()), TypeError);
    const again = await send(postmark());
    assert.equal(again.status, 200);
    await again.arrayBuffer();
    assert.equal(fake.received("postmark").length, 2, "no idempotency key: a duplicate");
  });

  test("unknown faults and providers are refused", () => {
    assert.throws(() => fake.setFaults("resend", ["explode"]), /unknown fault/);
    assert.throws(() => fake.setFaults("mailgun", ["500"]), /unknown provider/);
  });
});
