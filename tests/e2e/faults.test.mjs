// Provider faults, end to end: the built Worker delivering e-mail through Resend and SMS through
// Twilio (both the local fake of tests/e2e/fake-provider.mjs) while the fake answers 500, 429 with
// Retry-After, hangs past the Worker's 10 s provider timeout, drops the connection, or writes bytes
// that are not HTTP. Shown here: every failed attempt is retried through the queue with a growing
// delay (2, 4, 8, 16 s, or longer when Retry-After says so); no message is lost (each is delivered
// or dead-lettered); Resend never gets a duplicate (its Idempotency-Key is the message id); Twilio,
// which has no such key, gets a duplicate only after a timeout that hid an acceptance
// (`accept-hang`), and the Worker's log counts it (`duplicate_risk`); after the fifth failed try
// the message is a logged dead letter listed by GET /admin/dead-letters.
// The two providers' scenarios run side by side (each provider's faults are consumed in order by
// its own requests), about 2 minutes in all. Figures from a run are in docs/reliability.md.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { startFakeProvider } from "./fake-provider.mjs";
import { ADMIN_TOKEN, CLIENT_ID, ORIGIN, baseVars, createUser, eventually, get, post, startWorker } from "./worker-harness.mjs";

const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
const CREDENTIALS = { resend: "re_faults_key_123", twilio: { sid: "ACfaults0123456789", token: "twilio-faults-token-123" } };
/** Backoff after attempts 0, 1, 2, 3 (docs/delivery.md). */
const BACKOFF = [2, 4, 8, 16];
/** How much earlier than the planned delay an attempt may be seen (the arrival clock polls). */
const SLACK_S = 0.5;

let fake;
let worker;
let serial = 0;
const seenAt = new Map(); // fake request record -> when this test first saw it (ms)
let watcher;

before(async () => {
  fake = await startFakeProvider({ credentials: CREDENTIALS });
  // The fake keeps no arrival times: note each request as it appears (every 50 ms).
  watcher = setInterval(() => {
    for (const r of fake.requests()) if (!seenAt.has(r)) seenAt.set(r, Date.now());
  }, 50);
  worker = await startWorker(baseVars({
    EMAIL_PROVIDER: "resend", EMAIL_BASE_URL: fake.url, EMAIL_API_KEY: CREDENTIALS.resend,
    SMS_PROVIDER: "twilio", SMS_BASE_URL: fake.url, TWILIO_ACCOUNT_SID: CREDENTIALS.twilio.sid,
    TWILIO_AUTH_TOKEN: CREDENTIALS.twilio.token, SMS_FROM: "+15005550006",
  }));
});

after(async () => {
  clearInterval(watcher);
  await worker?.stop();
  await fake?.close();
});

async function newUser() {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `f${stamp}`, email: `f${stamp}@example.test`, password: "Initial-passphrase-1", phone: `+4477007${String(serial).padStart(5, "0")}` };
  user.id = await createUser(worker.url, user);
  return user;
}

/** The fake's requests for `to` (an address, or a phone in Twilio's form body), oldest first. */
function attemptsFor(provider, to) {
  const needle = to.startsWith("+") ? `To=${encodeURIComponent(to)}` : JSON.stringify(to);
  return fake.requests(provider).filter((r) => (r.body ?? "").includes(needle));
}

function deliveredTo(provider, to) {
  return fake.received(provider).filter((d) => d.to === to);
}

/** Waits until `count` attempts for `to` reached `provider`; on a time-out, says what arrived. */
async function waitAttempts(provider, to, count, timeoutMs = 100_000) {
  try {
    return await eventually(() => {
      const a = attemptsFor(provider, to);
      return a.length >= count && a;
    }, { timeoutMs, everyMs: 250 });
  } catch {
    const seen = attemptsFor(provider, to).map((a) => a.outcome);
    const lines = worker.events().filter((e) => String(e.event).startsWith("delivery")).map((e) => JSON.stringify(e));
    throw new Error(`${count} attempts to ${provider} expected, saw ${JSON.stringify(seen)}; all requests: ${JSON.stringify(fake.requests().map((r) => [r.provider, r.outcome]))}\n${lines.join("\n")}`);
  }
}

/** Seconds between consecutive attempts, as seen by the watcher. */
function gaps(attempts) {
  const times = attempts.map((r) => seenAt.get(r) ?? Date.now());
  return times.slice(1).map((t, i) => (t - times[i]) / 1000);
}

/** The Worker's delivery log lines for one masked recipient prefix. */
function deliveryEvents(event) {
  return worker.events().filter((e) => e.event === event);
}

const report = [];

describe("provider faults", { concurrency: true }, () => {
  test("Resend: 500, 429 + Retry-After, a hang and an accepted-then-hung attempt end in one delivery", async () => {
    const user = await newUser();
    fake.setFaults("resend", ["500", "429:6", "hang", "accept-hang"]);
    assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass`, { email: user.email }, B_HEADERS)).status, 200);
    const attempts = await waitAttempts("resend", user.email, 5);
    assert.deepEqual(attempts.map((a) => a.outcome), ["500", "429:6", "hang", "accept-hang", "ok"]);
    // One idempotency key across every attempt: the message id.
    const keys = new Set(attempts.map((a) => a.headers["idempotency-key"]));
    assert.equal(keys.size, 1);
    const seen = gaps(attempts);
    // After attempt 0: 2 s. After the 429: Retry-After 6 s beats the 4 s backoff. After the hang:
    // 10 s timeout + 8 s. After the accepted hang: 10 s + 16 s.
    const planned = [2, 6, 10 + 8, 10 + 16];
    seen.forEach((gap, i) => assert.ok(gap >= planned[i] - SLACK_S, `gap ${i} was ${gap} s, planned ${planned[i]} s`));
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(deliveredTo("resend", user.email).length, 1, "Resend dedupes the retry after the hidden acceptance");
    report.push({ provider: "resend", faults: "500, 429:6, hang, accept-hang", attempts: attempts.length, delivered: 1, gaps: seen });
  });

  test("Twilio: 503 + Retry-After, a hang, a dropped connection and garbage, then delivered once", async () => {
    const user = await newUser();
    fake.setFaults("twilio", ["503:3", "hang", "close", "garbage"]);
    assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, B_HEADERS)).status, 200);
    const attempts = await waitAttempts("twilio", user.phone, 5);
    assert.deepEqual(attempts.map((a) => a.outcome), ["503:3", "hang", "close", "garbage", "ok"]);
    const seen = gaps(attempts);
    const planned = [3, 10 + 4, 8, 16];
    seen.forEach((gap, i) => assert.ok(gap >= planned[i] - SLACK_S, `gap ${i} was ${gap} s, planned ${planned[i]} s`));
    assert.equal(deliveredTo("twilio", user.phone).length, 1);
    report.push({ provider: "twilio", faults: "503:3, hang, close, garbage", attempts: attempts.length, delivered: 1, gaps: seen });

    // No idempotency key: a timeout after Twilio accepted is retried, and a second copy goes out.
    // That is the one duplicate the design allows, and the log marks it.
    const second = await newUser();
    fake.setFaults("twilio", ["accept-hang"]);
    assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass/mobile`, { phone: second.phone }, B_HEADERS)).status, 200);
    await waitAttempts("twilio", second.phone, 2, 40_000);
    await new Promise((r) => setTimeout(r, 2000));
    const copies = deliveredTo("twilio", second.phone);
    assert.equal(copies.length, 2, "accept-hang on a provider without idempotency: one duplicate");
    assert.equal(copies[0].text, copies[1].text, "the duplicate is the same message");
    report.push({ provider: "twilio", faults: "accept-hang", attempts: attemptsFor("twilio", second.phone).length, delivered: copies.length, duplicates: copies.length - 1 });
  });

  test("Resend never recovering (closed connections, garbage, 500): a logged, listed dead letter after the fifth try", async () => {
    // Waits for the first Resend scenario's faults to be used up, so the two never interleave.
    await eventually(() => (fake.requests("resend").length >= 5), { timeoutMs: 100_000, everyMs: 250 });
    const user = await newUser();
    fake.setFaults("resend", ["close", "garbage", "close", "garbage", "500"]);
    assert.equal((await post(`${worker.url}/api/v1/auth/forgotpass`, { email: user.email }, B_HEADERS)).status, 200);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    // This user's letter: its message id is the Idempotency-Key of every attempt.
    const letter = await eventually(async () => {
      const key = attemptsFor("resend", user.email)[0]?.headers["idempotency-key"];
      const res = await get(`${worker.url}/admin/dead-letters`, auth);
      return key && Array.isArray(res.body) && res.body.find((l) => l.message_id === key);
    }, { timeoutMs: 100_000, everyMs: 1000 });
    assert.equal(letter.channel, "email");
    const attempts = attemptsFor("resend", user.email);
    assert.equal(attempts.length, 5);
    assert.equal(letter.attempts, 5);
    assert.match(letter.reason, /500|status/i);
    assert.ok(!letter.to.includes(user.email.split("@")[0].slice(2)), `masked: ${letter.to}`);
    assert.equal(deliveredTo("resend", user.email).length, 0);
    const seen = gaps(attempts);
    seen.forEach((gap, i) => assert.ok(gap >= BACKOFF[i] - SLACK_S, `gap ${i} was ${gap} s, planned ${BACKOFF[i]} s`));
    await eventually(() => deliveryEvents("delivery_dead_letter").some((e) => e.message_id === letter.message_id));
    assert.deepEqual(fake.violations(), []);
    report.push({ provider: "resend", faults: "close, garbage, close, garbage, 500", attempts: attempts.length, delivered: 0, dead_letter: letter.reason, gaps: seen });
  });
});

// docs/delivery.md promises a `delivery_retry` line per retry, with `duplicate_risk: true` after a
// timeout on a provider without an idempotency key, so duplicates can be counted from the log. It
// runs after the scenarios above, on their log.
describe("delivery log lines", () => {
  test("each retry is logged, and the retry after Twilio's hidden acceptance carries duplicate_risk", () => {
    const retries = deliveryEvents("delivery_retry");
    assert.ok(retries.filter((e) => e.provider === "resend").length >= 8, "Resend: 4 retries + 4 before the dead letter");
    assert.ok(retries.filter((e) => e.provider === "resend").every((e) => e.duplicate_risk === false), "Resend dedupes: never a risk");
    const risky = retries.filter((e) => e.provider === "twilio" && e.duplicate_risk === true);
    assert.ok(risky.length >= 2, "Twilio: the hang and the accept-hang timeouts");
    // A timeout or a connection closed after the request went out may hide an acceptance.
    assert.ok(risky.some((e) => /timeout/.test(e.reason)), JSON.stringify(risky));
    assert.ok(risky.every((e) => /timeout|connection/.test(e.reason)), JSON.stringify(risky));
  });
});

// The consumer handles a batch's messages side by side: a provider that hangs holds up its own
// message only. Three texts requested together share a batch; the first to reach the fake hangs
// (10 s until the Worker's provider timeout); the other two must not wait that out.
describe("one batch", () => {
  test("a hanging provider holds up only its own message, not the rest of its batch", async () => {
    const users = [await newUser(), await newUser(), await newUser()];
    fake.setFaults("twilio", ["hang"]);
    const answers = await Promise.all(users.map((u) => post(`${worker.url}/api/v1/auth/forgotpass/mobile`, { phone: u.phone }, B_HEADERS)));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
    const firsts = await Promise.all(users.map((u) => waitAttempts("twilio", u.phone, 1, 40_000).then((a) => a[0])));
    const hang = firsts.find((r) => r.outcome === "hang");
    assert.ok(hang, `one attempt hung: ${JSON.stringify(firsts.map((r) => r.outcome))}`);
    const others = firsts.filter((r) => r !== hang);
    assert.deepEqual(others.map((r) => r.outcome), ["ok", "ok"]);
    // Handled one after another, the two would reach the fake only after the hang timed out (10 s).
    const waited = others.map((r) => (seenAt.get(r) - seenAt.get(hang)) / 1000);
    assert.ok(waited.every((s) => s < 8), `the others came ${waited.join(", ")} s after the hang began`);
    report.push({ provider: "twilio", faults: "hang + 2 healthy in one batch", seconds_after_hang: waited });
  });
});

// Last, over everything the tests above left: nothing secret in what the fault paths leave
// behind: the Worker's log and the dead letters carry
// neither the providers' credentials nor any code the fake was asked to deliver.
describe("no secret in logs or dead letters", () => {
  test("no provider credential and no sent code appears in a log line or a dead letter", async () => {
    const letters = await get(`${worker.url}/admin/dead-letters`, { authorization: `Bearer ${ADMIN_TOKEN}` });
    assert.ok(Array.isArray(letters.body) && letters.body.length > 0);
    const codes = new Set();
    for (const r of fake.requests()) {
      // Twilio's bodies are form-encoded; the e-mail APIs' are JSON, whose HTML has a bare `%`.
      const raw = r.body ?? "";
      const body = r.provider === "twilio" ? decodeURIComponent(raw.replace(/\+/g, " ")) : raw;
      for (const code of body.match(/\b\d{6}\b/g) ?? []) codes.add(code);
    }
    assert.ok(codes.size > 0, "the fake saw codes");
    const secrets = [CREDENTIALS.resend, CREDENTIALS.twilio.token, Buffer.from(`${CREDENTIALS.twilio.sid}:${CREDENTIALS.twilio.token}`).toString("base64"), ...codes];
    const where = [["log", worker.logs()], ["dead letters", JSON.stringify(letters.body)]];
    for (const [place, text] of where) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `the ${place} carry a secret (${secret.length} characters)`);
    }
  });
});

after(() => {
  // The figures for docs/reliability.md (node --test prints a test file's stdout as diagnostics).
  for (const r of report) console.log(`FAULTS ${JSON.stringify({ ...r, gaps: r.gaps?.map((g) => Number(g.toFixed(1))), seconds_after_hang: r.seconds_after_hang?.map((g) => Number(g.toFixed(1))) })}`);
});
