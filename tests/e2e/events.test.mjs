// The application's events, end to end: the built Worker with EVENTS_URL pointing at a receiver
// in this test, which checks every request with the Standard Webhooks specification's own
// library (npm `standardwebhooks`), exactly as an application would. Shown here: each event kind
// (password.reset_requested, password.changed, secret.locked, message.dead_lettered) arrives
// signed, with the account, dialect, method and a keyed IP tag and no secret; a receiver that
// answers 500 gets the same event (same webhook-id) again; and a code tried after its tries are
// spent answers secret_exhausted, for an unknown phone as for a real one.
// message.dead_lettered comes from a provider that keeps failing (the local fake of
// tests/e2e/fake-provider.mjs answering 503 to every try: five attempts, then the dead letter).

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { Webhook } from "standardwebhooks";

import { startFakeProvider } from "./fake-provider.mjs";
import { CLIENT_ID, ORIGIN, baseVars, createUser, eventually, nextMessage, post, startWorker } from "./worker-harness.mjs";

/** A Standard Webhooks secret: whsec_ and base64 of 32 random-looking bytes. */
const EVENTS_SECRET = "whsec_cHdyZXNldCBldmVudHMgdGVzdCBrZXksIDMyIGIh";
const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
/** The client address the Worker sees (CF-Connecting-IP); the events carry only its keyed tag. */
const CLIENT_IP = "198.51.100.23";
const FROM_CLIENT = { ...B_HEADERS, "cf-connecting-ip": CLIENT_IP };
const RESEND_KEY = "re_events_key_123";
const NEW_PASSWORD = "Events-passphrase-58";

let receiver;
let fake;
let worker;
let serial = 0;

/**
 * A receiver of events: keeps every request (headers and raw body) and answers each with the
 * next status of `failures` (then 204).
 */
async function startReceiver() {
  const requests = [];
  const failures = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const status = failures.shift() ?? 204;
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      res.writeHead(status).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/pwreset-events?source=e2e`,
    requests,
    failNext: (...statuses) => failures.push(...statuses),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

before(async () => {
  receiver = await startReceiver();
  fake = await startFakeProvider({ credentials: { resend: RESEND_KEY } });
  worker = await startWorker(baseVars({
    EVENTS_URL: receiver.url,
    EVENTS_SECRET,
    // E-mail through the fake Resend (to make it fail), SMS codes in the dev outbox.
    EMAIL_PROVIDER: "resend", EMAIL_BASE_URL: fake.url, EMAIL_API_KEY: RESEND_KEY,
  }));
});

after(async () => {
  await worker?.stop();
  await fake?.close();
  await receiver?.close();
});

async function newUser() {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `ev${stamp}`, email: `ev${stamp}@example.test`, password: "Initial-passphrase-1", phone: `+4477005${String(serial).padStart(5, "0")}` };
  user.id = await createUser(worker.url, user);
  return user;
}

/** Every event received so far, verified by the standardwebhooks library: { id, attempts, payload, raw }. */
function verifiedEvents() {
  const wh = new Webhook(EVENTS_SECRET);
  const byId = new Map();
  for (const r of receiver.requests) {
    assert.equal(r.method, "POST");
    assert.equal(r.url, "/pwreset-events?source=e2e");
    assert.match(r.headers["content-type"], /^application\/json/);
    // Throws unless webhook-id, webhook-timestamp and webhook-signature verify over the raw body.
    const payload = wh.verify(r.body, r.headers);
    const id = r.headers["webhook-id"];
    const seen = byId.get(id);
    if (seen) {
      assert.equal(r.body, seen.raw, "a retry carries the same body");
      seen.attempts += 1;
    } else {
      byId.set(id, { id, attempts: 1, payload, raw: r.body });
    }
  }
  return [...byId.values()];
}

/** The events about `account` of `type`, waiting for at least `count`. */
async function eventsOf(account, type, count = 1) {
  return eventually(() => {
    const found = verifiedEvents().filter((e) => e.payload.type === type && e.payload.data.account === account);
    return found.length >= count ? found : undefined;
  }, { timeoutMs: 30_000 });
}

/** No secret, address, number or raw IP in anything received. */
function assertNoSecret(secrets) {
  for (const r of receiver.requests) {
    const all = `${r.body} ${JSON.stringify(r.headers)}`;
    for (const secret of secrets) assert.ok(!all.includes(secret), `${secret} in ${all}`);
  }
}

/** Asks dialect B for an SMS code (into the dev outbox); returns it. */
async function textedCode(user) {
  const before = await fetch(`${worker.url}/dev/outbox?to=${encodeURIComponent(user.phone)}`).then((r) => r.json());
  const seen = new Set(before.map((m) => m.id));
  assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, FROM_CLIENT)).status, 200);
  return (await nextMessage(worker.url, user.phone, (m) => m.code && !seen.has(m.id))).code;
}

const resetMobile = (code, phone, password = NEW_PASSWORD) => post(`${worker.url}/api/v1/auth/resetpass/mobile`,
  { token: code, password, passwordConfirm: password, ...(phone ? { phone } : {}) }, FROM_CLIENT);

function wrongCodes(right, count) {
  const out = [];
  for (let n = 1; out.length < count; n += 1) {
    const guess = String((Number(right) + n * 7919) % 1_000_000).padStart(6, "0");
    if (guess !== right) out.push(guess);
  }
  return out;
}

describe("events for applications (Standard Webhooks)", () => {
  test("a reset: password.reset_requested, then password.changed, verified by the standardwebhooks library", async () => {
    const user = await newUser();
    const code = await textedCode(user);
    const reset = await resetMobile(code, user.phone);
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const [requested] = await eventsOf(user.id, "password.reset_requested");
    const [changed] = await eventsOf(user.id, "password.changed");
    for (const event of [requested, changed]) {
      assert.deepEqual(Object.keys(event.payload).sort(), ["data", "timestamp", "type"]);
      assert.match(event.payload.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(event.id, /^evt_[0-9a-f]{32}$/);
      const { ip_tag: tag, ...rest } = event.payload.data;
      assert.deepEqual(rest, { account: user.id, dialect: "auth_v1", method: "sms" });
      assert.match(tag, /^[0-9a-f]{16}$/);
    }
    assert.equal(requested.payload.data.ip_tag, changed.payload.data.ip_tag, "one client, one tag");
    assertNoSecret([code, user.phone, user.phone.slice(1), user.email, NEW_PASSWORD, user.password, CLIENT_IP, reset.body.token]);
  });

  test("secret.locked when a code's tries are spent; the right code then answers secret_exhausted, as for an unknown phone", async () => {
    const user = await newUser();
    const unknownPhone = "+447700599999";
    const code = await textedCode(user);
    assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass/mobile`, { phone: unknownPhone }, FROM_CLIENT)).status, 200);
    // Wait until the queue handled the unknown phone's request too (nothing to see but time).
    await new Promise((r) => setTimeout(r, 3000));
    for (const wrong of wrongCodes(code, 5)) {
      const known = await resetMobile(wrong, user.phone);
      const unknown = await resetMobile(wrong, unknownPhone);
      assert.equal(known.status, 400);
      assert.equal(known.body.errors[0].code, "invalid_secret");
      assert.deepEqual([unknown.status, unknown.body], [known.status, known.body]);
    }
    const known = await resetMobile(code, user.phone);
    const unknown = await resetMobile(code, unknownPhone);
    assert.equal(known.status, 400);
    assert.deepEqual([known.body.errors[0].code, known.body.errors[0].field], ["secret_exhausted", "token"]);
    assert.deepEqual([unknown.status, unknown.body], [known.status, known.body]);
    const german = await post(`${worker.url}/api/v1/auth/resetpass/mobile`,
      { token: code, phone: unknownPhone, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD },
      { ...FROM_CLIENT, "accept-language": "de" });
    assert.match(german.body.errors[0].message, /Fordern Sie einen neuen Code an/);

    const [locked] = await eventsOf(user.id, "secret.locked");
    const { ip_tag: tag, ...rest } = locked.payload.data;
    assert.deepEqual(rest, { account: user.id, dialect: "auth_v1", method: "sms", reason: "code_burnt" });
    assert.match(tag, /^[0-9a-f]{16}$/);
    assertNoSecret([code, user.phone, user.phone.slice(1), unknownPhone, CLIENT_IP]);
  });

  test("a receiver answering 500 gets the same event again, and it is delivered once it answers 2xx", async () => {
    const user = await newUser();
    const before = receiver.requests.length;
    receiver.failNext(500, 500);
    assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass`, { email: user.email }, FROM_CLIENT)).status, 200);
    const [requested] = await eventsOf(user.id, "password.reset_requested");
    assert.equal(requested.payload.data.method, "link");
    // Whichever events met the two 500s (this one, most likely), each came again, same id and
    // body, until a 2xx.
    const failed = () => receiver.requests.slice(before).filter((r) => r.status === 500);
    await eventually(() => failed().length === 2, { timeoutMs: 30_000 });
    for (const miss of failed()) {
      const id = miss.headers["webhook-id"];
      await eventually(() => receiver.requests.some((r) => r.status === 204 && r.headers["webhook-id"] === id), { timeoutMs: 30_000 });
      const again = receiver.requests.filter((r) => r.headers["webhook-id"] === id);
      assert.ok(again.every((r) => r.body === miss.body));
    }
    assert.ok(verifiedEvents().some((e) => e.attempts >= 2));
  });

  test("message.dead_lettered after a provider that keeps failing", async () => {
    const user = await newUser();
    fake.setFaults("resend", Array(8).fill("503"));
    assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass`, { email: user.email }, FROM_CLIENT)).status, 200);
    const [dead] = await eventually(() => {
      const found = verifiedEvents().filter((e) => e.payload.type === "message.dead_lettered" && e.payload.data.account === user.id);
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 90_000, everyMs: 1000 });
    const { ip_tag: tag, message_id: messageId, failure, ...rest } = dead.payload.data;
    assert.deepEqual(rest, { account: user.id, dialect: "auth_v1", method: "link", channel: "email" });
    assert.match(tag, /^[0-9a-f]{16}$/);
    assert.match(messageId, /^[0-9a-f-]+$/);
    assert.match(failure, /gave up after 5 attempts: provider error \(status 503\)/);
    assert.ok(fake.requests("resend").filter((r) => JSON.stringify(r).includes(user.email)).length >= 5);
    fake.setFaults("resend", []);
    assertNoSecret([user.email, CLIENT_IP, "token="]);
  });
});
