// Dialect C ("user") on the built Worker, and the breached-password check in every dialect.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { startFakePwned } from "./fake-pwned.mjs";
import { CLIENT_ID, ORIGIN, PUBLIC_URL, baseVars, createUser, get, nextMessage, post, startWorker } from "./worker-harness.mjs";

const API_KEY = "test-api-key-0123456789abcdef";
const C = { apikey: API_KEY };
const BREACHED = "Correct-Horse-Battery-1";
let serial = 0;

async function newUser(url, extra = {}) {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `c${stamp}`, email: `c${stamp}@example.test`, password: "Initial-Passphrase-1!", ...extra };
  user.id = await createUser(url, user);
  return user;
}

describe("dialect C (user)", () => {
  let worker;
  let url;
  before(async () => { worker = await startWorker(baseVars()); url = worker.url; });
  after(async () => { await worker?.stop(); });

  test("forgot-password e-mails a link with user and token; submit sets the password once", async () => {
    const user = await newUser(url);
    const asked = await post(`${url}/api/v1/user/forgot-password/`, { email: user.username }, C);
    assert.equal(asked.status, 200);
    const message = await nextMessage(url, user.email, (m) => m.link);
    const link = new URL(message.link);
    assert.equal(link.origin + link.pathname, `${PUBLIC_URL}/reset`);
    const [key, token] = [link.searchParams.get("user"), link.searchParams.get("token")];
    assert.equal(key, user.id);
    const weak = await post(`${url}/api/v1/user/forgot-password-submit/`, { user: key, token, new_password: "abc" }, C);
    assert.equal(weak.status, 400);
    assert.equal(weak.body.status_code, 400);
    assert.equal(weak.body.error_type, "Validation Error");
    const descriptions = weak.body.errors.map((e) => e.description);
    assert.ok(descriptions.includes("Your password must contain at least 8 characters."));
    assert.ok(descriptions.includes("Your password must contain at least one capital letter, small letter, number and special character."));
    assert.equal(new Set(descriptions).size, descriptions.length, "each text once");
    assert.ok(weak.body.errors.every((e) => e.field === "password"));
    const wrongUser = await post(`${url}/api/v1/user/forgot-password-submit/`, { user: "someone-else", token, new_password: "Good-Pass-word-9!" }, C);
    assert.deepEqual(wrongUser.body.errors, [{ field: "token", description: "The token is invalid. Enter the correct token that send to your email." }]);
    const done = await post(`${url}/api/v1/user/forgot-password-submit/`, { user: key, token, new_password: "Good-Pass-word-9!" }, C);
    assert.equal(done.status, 200);
    const again = await post(`${url}/api/v1/user/forgot-password-submit/`, { user: key, token, new_password: "Good-Pass-word-8!" }, C);
    assert.equal(again.status, 400);
  });

  test("an e-mail shared by several accounts gets one message listing each account's link", async () => {
    const shared = `shared-${Date.now()}@example.test`;
    const a = await newUser(url, { email: shared });
    const b = await newUser(url, { email: shared });
    assert.equal((await post(`${url}/api/v1/user/forgot-password/`, { email: shared }, C)).status, 200);
    const message = await nextMessage(url, shared, (m) => m.text.includes(a.id) && m.text.includes(b.id));
    assert.ok(message.text.includes(a.username) && message.text.includes(b.username));
  });

  test("no enumeration by default: unknown identifiers answer the same 200", async () => {
    const user = await newUser(url);
    const known = await post(`${url}/api/v1/user/forgot-password/`, { email: user.email }, C);
    const unknown = await post(`${url}/api/v1/user/forgot-password/`, { email: "nobody@example.test" }, C);
    assert.deepEqual([known.status, known.body], [unknown.status, unknown.body]);
  });

  test("apikey is required on every route; missing fields use the seed's texts", async () => {
    for (const path of ["forgot-password/", "forgot-password-submit/", "profile/change-password/"]) {
      const res = await post(`${url}/api/v1/user/${path}`, {});
      assert.equal(res.status, 401);
      assert.equal(res.body.error_type, "Authentication Error");
      assert.equal((await post(`${url}/api/v1/user/${path}`, {}, { apikey: "wrong-key-0000000000" })).status, 401);
    }
    const missing = await post(`${url}/api/v1/user/forgot-password-submit/`, { token: "x", new_password: "y" }, C);
    assert.deepEqual(missing.body.errors, [{ field: "user", description: "This field is required." }]);
  });

  test("change-password needs a Bearer token from any dialect and the right old password", async () => {
    const user = await newUser(url, { phone: `+4477007${String(serial).padStart(5, "0")}` });
    // A token from dialect B's mobile reset.
    await post(`${url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, { client_id: CLIENT_ID, origin: ORIGIN });
    const { code } = await nextMessage(url, user.phone, (m) => m.code);
    const reset = await post(`${url}/api/v1/auth/resetpass/mobile`, { token: code, phone: user.phone, password: "Middle-Pass-word-5!", passwordConfirm: "Middle-Pass-word-5!" }, { client_id: CLIENT_ID, origin: ORIGIN });
    assert.equal(reset.status, 200);
    const bearer = { ...C, authorization: `Bearer ${reset.body.token}` };
    const route = `${url}/api/v1/user/profile/change-password/`;
    const wrongOld = await post(route, { old_password: "nope", new_password: "Final-Pass-word-6!", confirm_password: "Final-Pass-word-6!" }, bearer);
    assert.equal(wrongOld.status, 401);
    assert.deepEqual(wrongOld.body.errors, [{ field: "old_password", description: "Your old password was entered incorrectly. Please enter it again." }]);
    const mismatch = await post(route, { old_password: "Middle-Pass-word-5!", new_password: "Final-Pass-word-6!", confirm_password: "Final-Pass-word-7!" }, bearer);
    assert.equal(mismatch.status, 400);
    assert.deepEqual(mismatch.body.errors, [{ field: "confirm_password", description: "The two password fields didn't match." }]);
    const done = await post(route, { old_password: "Middle-Pass-word-5!", new_password: "Final-Pass-word-6!", confirm_password: "Final-Pass-word-6!" }, bearer);
    assert.equal(done.status, 200);
    const stale = await post(route, { old_password: "Final-Pass-word-6!", new_password: "Final-Pass-word-8!", confirm_password: "Final-Pass-word-8!" }, bearer);
    assert.equal(stale.status, 401, "the old token died with the change");
    const info = await get(`${url}/reg/user/info`, { authorization: `Bearer ${done.body.token}` });
    assert.equal(info.status, 200, "the new token works in dialect A");
  });

  test("unknown routes under the base answer 404", async () => {
    assert.equal((await post(`${url}/api/v1/user/nothing/`, {}, C)).status, 404);
  });
});

describe("dialect C with USER_API_REVEAL_ACCOUNTS=on", () => {
  let worker;
  before(async () => { worker = await startWorker(baseVars({ USER_API_REVEAL_ACCOUNTS: "on" })); });
  after(async () => { await worker?.stop(); });

  test("unknown and shared identifiers get the seed's 401s", async () => {
    const url = worker.url;
    const unknown = await post(`${url}/api/v1/user/forgot-password/`, { email: "nobody@example.test" }, C);
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.errors[0].description, "This username or email does not exist in the system.");
    const shared = `reveal-${Date.now()}@example.test`;
    await newUser(url, { email: shared });
    await newUser(url, { email: shared });
    const several = await post(`${url}/api/v1/user/forgot-password/`, { email: shared }, C);
    assert.equal(several.status, 401);
    assert.equal(several.body.errors[0].description, "There is multiple users are registered with the specified E-Mail address.Please enter the username");
  });
});

describe("breached passwords", () => {
  let pwned;
  let worker;
  before(async () => {
    pwned = await startFakePwned([BREACHED]);
    worker = await startWorker(baseVars({ BREACHED_CHECK: "fail-closed", PWNED_PASSWORDS_URL: pwned.url }));
  });
  after(async () => { await worker?.stop(); await pwned?.close(); });

  test("a breached password is refused with password_breached in A, B and C; only the prefix leaves", async () => {
    const url = worker.url;
    const user = await newUser(url, { phone: `+4477006${String(serial).padStart(5, "0")}` });
    // A
    await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username });
    const { code } = await nextMessage(url, user.email, (m) => m.code);
    const { body } = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code });
    const a = await post(`${url}/reg/user/resetPassword`, { username: user.username, signedPayload: body.signedPayload, newPassword: BREACHED });
    assert.equal(a.status, 400);
    assert.equal(a.body.errors[0].code, "password_breached");
    // B
    await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, { client_id: CLIENT_ID, origin: ORIGIN });
    const { link } = await nextMessage(url, user.email, (m) => m.link);
    const token = new URL(link).searchParams.get("token");
    const b = await post(`${url}/api/v1/auth/resetpass`, { token, password: BREACHED, passwordConfirm: BREACHED }, { client_id: CLIENT_ID, origin: ORIGIN });
    assert.equal(b.status, 400);
    assert.equal(b.body.errors[0].code, "password_breached");
    // C, with a link of its own (a link is bound to the dialect that sent it; a new link supersedes
    // the account's older ones)
    await post(`${url}/api/v1/user/forgot-password/`, { email: user.username }, C);
    const cLink = new URL((await nextMessage(url, user.email, (m) => m.link && m.link.includes("user="))).link);
    const c = await post(`${url}/api/v1/user/forgot-password-submit/`, { user: user.id, token: cLink.searchParams.get("token"), new_password: BREACHED }, C);
    assert.equal(c.status, 400);
    assert.match(c.body.errors[0].description, /breach/);
    // The C link is still unused: a refused password does not use it.
    const fine = await post(`${url}/api/v1/user/forgot-password-submit/`, { user: user.id, token: cLink.searchParams.get("token"), new_password: "Unbreached-Pass-1!" }, C);
    assert.equal(fine.status, 200, JSON.stringify(fine.body));
    assert.deepEqual(pwned.violations(), []);
    assert.ok(pwned.requests().length >= 1);
    assert.ok(pwned.requests().every((r) => /^\/range\/[0-9A-F]{5}$/.test(r.url) && r.padding === "true"));
  });

  test("fail-closed: with the range API down, setting a password answers 503 and uses nothing up", async () => {
    const url = worker.url;
    const user = await newUser(url);
    await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, { client_id: CLIENT_ID, origin: ORIGIN });
    const { link } = await nextMessage(url, user.email, (m) => m.link);
    const token = new URL(link).searchParams.get("token");
    pwned.setDown(true);
    const unseen = "Never-Seen-Prefix-Pass-42!";
    const res = await post(`${url}/api/v1/auth/resetpass`, { token, password: unseen, passwordConfirm: unseen }, { client_id: CLIENT_ID, origin: ORIGIN });
    assert.equal(res.status, 503);
    pwned.setDown(false);
    const ok = await post(`${url}/api/v1/auth/resetpass`, { token, password: unseen, passwordConfirm: unseen }, { client_id: CLIENT_ID, origin: ORIGIN });
    assert.equal(ok.status, 200);
  });
});
