// Every dialect against the application's own user directory over HTTP (the reference receiver in
// examples/user-directory), signed calls, and what happens when it misbehaves.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { sign, startUserDirectory } from "../../examples/user-directory/server.mjs";
import { CLIENT_ID, ORIGIN, baseVars, createUser, get, nextMessage, post, startWorker } from "./worker-harness.mjs";

const SECRET = "directory-secret-0123456789abcdef0123456789";
const B = { client_id: CLIENT_ID, origin: ORIGIN };
const C = { apikey: "test-api-key-0123456789abcdef" };
let directory;
let worker;
let url;
let serial = 0;

async function newUser() {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `d${stamp}`, email: `d${stamp}@example.test`, password: "Initial-Pass-word-1!", phone: `+4477005${String(serial).padStart(5, "0")}` };
  user.id = await createUser(url, user);
  return user;
}

before(async () => {
  directory = await startUserDirectory({ secret: SECRET });
  worker = await startWorker(baseVars({ USER_DIRECTORY_URL: directory.url, USER_DIRECTORY_SECRET: SECRET }));
  url = worker.url;
});

after(async () => {
  await worker?.stop();
  await directory?.close();
});

describe("the user directory over HTTP", () => {
  test("admin creates the account in the application's directory, with an argon2id hash", async () => {
    const user = await newUser();
    const stored = directory.accounts.get(user.id);
    assert.equal(stored.username, user.username);
    assert.match(stored.password_hash, /^\$argon2id\$/);
    assert.deepEqual(directory.refused(), []);
  });

  test("dialect A resets through the directory, which gets the new hash and ends sessions", async () => {
    const user = await newUser();
    const before = directory.accounts.get(user.id).password_hash;
    await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username });
    const { code } = await nextMessage(url, user.email, (m) => m.code);
    const { body } = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code });
    const done = await post(`${url}/reg/user/resetPassword`, { username: user.username, signedPayload: body.signedPayload, newPassword: "Directory-Pass-1!" });
    assert.equal(done.status, 200);
    const after = directory.accounts.get(user.id);
    assert.notEqual(after.password_hash, before);
    assert.match(after.password_hash, /^\$argon2id\$/);
    assert.equal(after.sessions_revoked, 1);
    assert.equal((await get(`${url}/reg/user/info`, { authorization: `Bearer ${done.body.token}` })).status, 200);
  });

  test("dialect B (link, and SMS code without phone) and dialect C reset through the directory", async () => {
    const user = await newUser();
    await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B);
    const { link } = await nextMessage(url, user.email, (m) => m.link);
    const token = new URL(link).searchParams.get("token");
    assert.equal((await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-2!", passwordConfirm: "Directory-Pass-2!" }, B)).status, 200);

    await post(`${url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, B);
    const { code } = await nextMessage(url, user.phone, (m) => m.code);
    assert.equal((await post(`${url}/api/v1/auth/resetpass/mobile`, { token: code, password: "Directory-Pass-3!", passwordConfirm: "Directory-Pass-3!" }, B)).status, 200);

    await post(`${url}/api/v1/user/forgot-password/`, { email: user.username }, C);
    const message = await nextMessage(url, user.email, (m) => m.link && m.link.includes("user="));
    const params = new URL(message.link).searchParams;
    const done = await post(`${url}/api/v1/user/forgot-password-submit/`, { user: params.get("user"), token: params.get("token"), new_password: "Directory-Pass-4!" }, C);
    assert.equal(done.status, 200);
    const change = await post(`${url}/api/v1/user/profile/change-password/`, { old_password: "Directory-Pass-4!", new_password: "Directory-Pass-5!", confirm_password: "Directory-Pass-5!" }, { ...C, authorization: `Bearer ${done.body.token}` });
    assert.equal(change.status, 200);
    assert.equal(directory.accounts.get(user.id).sessions_revoked, 4);
    assert.deepEqual(directory.refused(), []);
  });

  test("the receiver refuses unsigned, forged, stale and replayed calls", async () => {
    const body = JSON.stringify({ by: "username", value: "x" });
    const call = (headers) => fetch(`${directory.url}/lookup`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    assert.equal((await call({})).status, 401);
    const now = Math.floor(Date.now() / 1000);
    const nonce = "0123456789abcdef0123456789abcdef";
    const good = { "x-pwreset-timestamp": String(now), "x-pwreset-nonce": nonce, "x-pwreset-signature": `v1=${sign(SECRET, now, nonce, "/lookup", body)}` };
    assert.equal((await call({ ...good, "x-pwreset-signature": `v1=${sign("another-secret-0123456789abcdef0123", now, nonce, "/lookup", body)}` })).status, 401);
    assert.equal((await call(good)).status, 200);
    assert.equal((await call(good)).status, 401, "replay");
    const old = now - 1000;
    assert.equal((await call({ ...good, "x-pwreset-timestamp": String(old), "x-pwreset-nonce": "ffffffffffffffffffffffffffffffff", "x-pwreset-signature": `v1=${sign(SECRET, old, "ffffffffffffffffffffffffffffffff", "/lookup", body)}` })).status, 401);
  });

  test("a directory that is down gives a clear 503, and the reset can be retried", async () => {
    const user = await newUser();
    await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B);
    const { link } = await nextMessage(url, user.email, (m) => m.link);
    const token = new URL(link).searchParams.get("token");
    directory.setDown(true);
    const res = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-6!", passwordConfirm: "Directory-Pass-6!" }, B);
    directory.setDown(false);
    assert.equal(res.status, 503);
    assert.equal(res.body.errors[0].code, "service_unavailable");
    assert.equal((await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-6!", passwordConfirm: "Directory-Pass-6!" }, B)).status, 200);
  });
});
