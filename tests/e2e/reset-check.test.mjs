// POST /reset/check, the reset page's dry run, on the built Worker (wrangler's local runtime): a link
// from the dev outbox, a password too similar to the account's e-mail address refused with
// `password_too_similar`, a good one valid, then the submit still works (the check used nothing);
// an unknown link is answered with the same status, headers and shape as a known one.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { CLIENT_ID, ORIGIN, baseVars, createUser, nextMessage, post, startWorker } from "./worker-harness.mjs";

const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
/** Too similar to `jane@example.com`, and fine by every other rule of the `django` preset. */
const SIMILAR = "Jane.Example.Com";
/** Fine by every rule. */
const GOOD = "Velvet-Harbor-Lantern-83!";

let worker;
let url;

before(async () => {
  worker = await startWorker(baseVars());
  url = worker.url;
});

after(async () => {
  await worker?.stop();
});

/** A dialect B link's token for `email`, from the dev outbox. */
async function linkToken(email) {
  const asked = await post(`${url}/api/v1/auth/forgotpass`, { email }, B_HEADERS);
  assert.equal(asked.status, 200);
  const message = await nextMessage(url, email, (m) => m.link?.includes("?token="));
  return new URL(message.link).searchParams.get("token");
}

/** POST /reset/check. */
function check(body, headers = {}) {
  return post(`${url}/reset/check`, body, headers);
}

/** The headers every verdict carries, whatever the link. */
function verdictHeaders(res) {
  return {
    "content-type": res.headers.get("content-type"),
    "cache-control": res.headers.get("cache-control"),
    "x-content-type-options": res.headers.get("x-content-type-options"),
    "referrer-policy": res.headers.get("referrer-policy"),
    "retry-after": res.headers.get("retry-after"),
  };
}

/** Asserts a 200 verdict in the check result's shape. */
function assertVerdict(res) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).sort(), ["errors", "strength", "valid"]);
  assert.equal(typeof res.body.valid, "boolean");
  assert.ok(Array.isArray(res.body.errors));
  assert.equal(res.body.valid, res.body.errors.length === 0);
  for (const error of res.body.errors) {
    assert.deepEqual(Object.keys(error).sort(), ["code", "field", "message", "params"]);
  }
  assert.match(res.headers.get("content-type"), /^application\/json/);
  assert.equal(res.headers.get("cache-control"), "no-store");
}

describe("POST /reset/check on the Worker", () => {
  test("a real link: too similar, then valid, then the submit still works", async () => {
    await createUser(url, { username: "jane", email: "jane@example.com", password: "Initial-Passphrase-1!" });
    const token = await linkToken("jane@example.com");
    assert.match(token, /^[0-9a-f]{64}$/);

    const similar = await check({ token, password: SIMILAR, confirm: SIMILAR });
    assertVerdict(similar);
    assert.equal(similar.body.valid, false);
    assert.deepEqual(similar.body.errors.map((e) => [e.code, e.field]), [["password_too_similar", "password"]]);

    const mismatch = await check({ token, password: GOOD, confirm: `${GOOD}?` });
    assertVerdict(mismatch);
    assert.deepEqual(mismatch.body.errors.map((e) => [e.code, e.field]), [["password_mismatch", "password_confirm"]]);

    const good = await check({ token, password: GOOD, confirm: GOOD });
    assertVerdict(good);
    assert.deepEqual(good.body, { errors: [], strength: null, valid: true });

    // Dialect B's submit of the same link gives the same errors, then takes the good password.
    const refused = await post(`${url}/api/v1/auth/resetpass`, { token, password: SIMILAR, passwordConfirm: SIMILAR }, B_HEADERS);
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.errors.map((e) => [e.code, e.field, e.message]),
      similar.body.errors.map((e) => [e.code, e.field, e.message]),
    );
    const submitted = await fetch(`${url}/reset`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, password: GOOD, password_confirm: GOOD }),
    });
    assert.equal(submitted.status, 200, await submitted.text());

    // Used now: the check no longer knows the account.
    const used = await check({ token, password: SIMILAR });
    assertVerdict(used);
    assert.equal(used.body.valid, true);

    for (const secret of [token, SIMILAR, GOOD]) {
      assert.ok(!worker.logs().includes(secret), "a secret in the Worker's log");
    }
  });

  test("an unknown link is answered like a known one", async () => {
    await createUser(url, { username: "john", email: "john@example.org", password: "Initial-Passphrase-1!" });
    const token = await linkToken("john@example.org");
    const unknown = randomBytes(32).toString("hex");
    for (const password of ["short", "password", GOOD]) {
      const known = await check({ token, password, confirm: password });
      const other = await check({ token: unknown, password, confirm: password });
      assertVerdict(known);
      assertVerdict(other);
      assert.deepEqual(other.body, known.body, password);
      assert.deepEqual(verdictHeaders(other), verdictHeaders(known), password);
    }
    // A malformed token too, and nothing account-specific for an unknown one.
    const malformed = await check({ token: "not a token", password: "John.Example.Org" });
    assertVerdict(malformed);
    assert.equal(malformed.body.valid, true);
    const similarToJohn = await check({ token, password: "John.Example.Org" });
    assert.deepEqual(similarToJohn.body.errors.map((e) => e.code), ["password_too_similar"]);
  });

  test("a bad body gets its plain error", async () => {
    const undeclared = await post(`${url}/reset/check`, JSON.stringify({ token: "x", password: "y" }), { "content-type": "text/plain" });
    assert.equal(undeclared.status, 415);
    assert.equal(undeclared.body.error, "unsupported_media_type");
    const missing = await check({ token: "x" });
    assert.equal(missing.status, 400);
    assert.deepEqual([missing.body.error, missing.body.field], ["field_required", "password"]);
    const wrong = await fetch(`${url}/reset/check`, { method: "GET" });
    await wrong.arrayBuffer();
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "POST");
  });
});
