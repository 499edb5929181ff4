// Every dialect against the application's own user directory over HTTP (the reference receiver in
// examples/user-directory), signed calls and signed answers (protocol v2), and what happens when it
// misbehaves. The Worker reaches the receiver through a small proxy that can stand in for an
// on-path attacker: it rewrites /lookup answers (the victim's e-mail swapped for the attacker's) or
// strips the answers' signatures (a receiver that does not sign, as in protocol v1), or redirects
// the call elsewhere.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { signAnswer, signRequest, startUserDirectory } from "../../examples/user-directory/server.mjs";
import { ADMIN_TOKEN as ADMIN, CLIENT_ID, ORIGIN, baseVars, createUser, eventually, get, nextMessage, post, startWorker } from "./worker-harness.mjs";

const SECRET = "directory-secret-0123456789abcdef0123456789";
const ATTACKER = "mallory@attacker.example";
const B = { client_id: CLIENT_ID, origin: ORIGIN };
const C = { apikey: "test-api-key-0123456789abcdef" };
let directory;
let proxy;
let worker;
let url;
let serial = 0;

/**
 * A proxy on 127.0.0.1 in front of `target`. mode "pass" forwards both ways unchanged; "swap-email"
 * sets every account's e-mail in a /lookup answer to the attacker's and keeps the signature header;
 * "unsigned" drops the answers' signature header; "redirect" answers 307 to the same call at the
 * receiver itself (followed, it would succeed). `rewritten` counts the answers it changed.
 */
async function startProxy(target) {
  const state = { mode: "pass", rewritten: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      if (state.mode === "redirect") {
        state.rewritten += 1;
        res.writeHead(307, { location: `${target}${req.url}` }).end();
        return;
      }
      const headers = {};
      for (const name of ["content-type", "user-agent", "x-pwreset-timestamp", "x-pwreset-nonce", "x-pwreset-signature"]) {
        if (req.headers[name] !== undefined) headers[name] = req.headers[name];
      }
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
      let body = await answer.text();
      const out = { "content-type": answer.headers.get("content-type") ?? "application/json" };
      const signature = answer.headers.get("x-pwreset-signature");
      if (signature !== null) out["x-pwreset-signature"] = signature;
      if (state.mode === "swap-email" && req.url === "/lookup" && answer.status === 200) {
        const value = JSON.parse(body);
        for (const account of value.accounts) account.email = ATTACKER;
        body = JSON.stringify(value);
        state.rewritten += 1;
      } else if (state.mode === "unsigned" && signature !== null) {
        delete out["x-pwreset-signature"];
        state.rewritten += 1;
      }
      res.writeHead(answer.status, out).end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    state,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

async function newUser() {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `d${stamp}`, email: `d${stamp}@example.test`, password: "Initial-Pass-word-1!", phone: `+4477005${String(serial).padStart(5, "0")}` };
  user.id = await createUser(url, user);
  return user;
}

/**
 * One stored hash per format the Worker verifies, as applications store them, with its password
 * (vectors of crates/pwreset-core/tests/legacy_hashes.rs, each made by the library named).
 */
const LEGACY_HASHES = [
  ["bcrypt $2b$ (pyca/bcrypt; Rails/Devise, Node bcrypt)", "$2b$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq", "Tr0ub4dour&3"],
  ["bcrypt $2y$ (PHP, Laravel)", "$2y$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq", "Tr0ub4dour&3"],
  ["PBKDF2-SHA256, Django", "pbkdf2_sha256$1000$4ZJfLmTwVtUjE4IF6sQOz5$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQY=", "pässwörd€"],
  ["PBKDF2-SHA256, PHC string", "$pbkdf2-sha256$i=4096,l=32$c2FsdFNBTFRzYWx0U0FMVA$rRw5BGTVHejHMXgHxyy9IPDjYgt5cR21K74rOOUnhEk", "pässwörd€"],
  ["PBKDF2-SHA256, passlib", "$pbkdf2-sha256$1000$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g", "Tr0ub4dour&3"],
  ["scrypt (passlib)", "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8", "Tr0ub4dour&3"],
  ["argon2id, Django's form", "argon2$argon2id$v=19$m=64,t=1,p=1$UFBvTkRScFZWQlpqR2o5bVU5eldSaw$66lgdh2uBA1KcGeEw6zQCohj5hMQ5pOFhroZxNsUozY", "pässwörd€"],
  ["argon2i without v= (argon2-cffi, old Django)", "$argon2i$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$zE5yOxf9s9SDJqU0Yt0SGf6KOB1r6HD0sQGPMPagDao", "Tr0ub4dour&3"],
];

/** An account the application stored itself, with `hash`, straight into the receiver. */
function legacyUser(hash) {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { id: `legacy-${stamp}`, username: `legacy${stamp}`, email: `legacy${stamp}@example.test`, password_hash: hash };
  directory.accounts.set(user.id, { ...user });
  return user;
}

/** The Worker's job_failed lines that name a /lookup refused for its signature. */
function refusedLookups() {
  return worker.events().filter((e) => e.event === "job_failed" && /\/lookup/.test(e.reason) && /signature/.test(e.reason));
}

before(async () => {
  directory = await startUserDirectory({ secret: SECRET });
  proxy = await startProxy(directory.url);
  worker = await startWorker(baseVars({ USER_DIRECTORY_URL: proxy.url, USER_DIRECTORY_SECRET: SECRET }));
  url = worker.url;
});

after(async () => {
  await worker?.stop();
  await proxy?.close();
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

  test("an account whose directory holds a legacy hash (bcrypt, PBKDF2, scrypt, argon2) is reset, and the current password refused", async () => {
    for (const [name, hash, password] of LEGACY_HASHES) {
      const user = legacyUser(hash);
      await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B);
      const { link } = await nextMessage(url, user.email, (m) => m.link);
      const token = new URL(link).searchParams.get("token");
      const same = await post(`${url}/api/v1/auth/resetpass`, { token, password, passwordConfirm: password }, B);
      assert.equal(same.status, 400, name);
      assert.deepEqual(same.body.errors.map((e) => e.code), ["password_same_as_old"], name);
      assert.equal(directory.accounts.get(user.id).password_hash, hash, `${name}: unchanged`);
      const done = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Legacy-Reset-Pass-1!", passwordConfirm: "Legacy-Reset-Pass-1!" }, B);
      assert.equal(done.status, 200, `${name}: ${JSON.stringify(done.body)}`);
      assert.match(directory.accounts.get(user.id).password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, name);
      assert.equal(directory.accounts.get(user.id).sessions_revoked, 1, name);
    }
    assert.deepEqual(worker.events().filter((e) => e.event === "hash_beyond_limits" || e.event === "hash_unverifiable"), []);
  });

  test("the receiver refuses unsigned, forged, stale, replayed and v1 calls, and signs its answers", async () => {
    const body = JSON.stringify({ by: "username", value: "x" });
    const call = (headers) => fetch(`${directory.url}/lookup`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const unsigned = await call({});
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.headers.get("x-pwreset-signature"), null, "a refusal is not signed");
    const now = Math.floor(Date.now() / 1000);
    const nonce = "0123456789abcdef0123456789abcdef";
    const good = { "x-pwreset-timestamp": String(now), "x-pwreset-nonce": nonce, "x-pwreset-signature": `v2=${signRequest(SECRET, now, nonce, "/lookup", body)}` };
    assert.equal((await call({ ...good, "x-pwreset-signature": `v2=${signRequest("another-secret-0123456789abcdef0123", now, nonce, "/lookup", body)}` })).status, 401);
    assert.equal((await call({ ...good, "x-pwreset-signature": good["x-pwreset-signature"].replace("v2=", "v1=") })).status, 401, "v1");
    const answer = await call(good);
    assert.equal(answer.status, 200);
    const text = await answer.text();
    assert.equal(answer.headers.get("x-pwreset-signature"), `v2=${signAnswer(SECRET, nonce, "/lookup", 200, text)}`);
    assert.equal((await call(good)).status, 401, "replay");
    const old = now - 1000;
    assert.equal((await call({ ...good, "x-pwreset-timestamp": String(old), "x-pwreset-nonce": "ffffffffffffffffffffffffffffffff", "x-pwreset-signature": `v2=${signRequest(SECRET, old, "ffffffffffffffffffffffffffffffff", "/lookup", body)}` })).status, 401);
    assert.ok(directory.refused().some((r) => r.reason.startsWith("protocol v1")));
  });

  test("the receiver's signatures are the service's (the same test vectors)", () => {
    const nonce = "00112233445566778899aabbccddeeff";
    assert.equal(signRequest(SECRET, 1767229200, nonce, "/lookup", '{"by":"username","value":"jane"}'), "60068cad6023f00d72c166c700dfc48a59ecb3dc867b22094e4ef20636034a05");
    assert.equal(signAnswer(SECRET, nonce, "/lookup", 200, '{"accounts":[]}'), "ba6c282ae03ec92f449fc7676b849f03b2c39dfdda9ef0325bd9d8bbc5b38cca");
  });

  test("a /lookup answer rewritten on the way is refused: no link for the attacker, the password unchanged", async () => {
    const user = await newUser();
    // A link for the victim while the path is clean, to try the synchronous route with.
    await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B);
    const { link } = await nextMessage(url, user.email, (m) => m.link);
    const token = new URL(link).searchParams.get("token");
    const hash = directory.accounts.get(user.id).password_hash;

    const mailedToAttacker = async () => (await get(`${url}/dev/outbox?to=${encodeURIComponent(ATTACKER)}`)).body;
    proxy.state.mode = "swap-email";
    proxy.state.rewritten = 0;
    try {
      // A new request is queued (200 either way); the queue's job looks the e-mail up through the
      // proxy, and either refuses the answer (and is retried) or mails whatever address it says.
      const failedBefore = refusedLookups().length;
      assert.equal((await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B)).status, 200);
      await eventually(async () => refusedLookups().length > failedBefore || (await mailedToAttacker()).length > 0);
      assert.deepEqual(await mailedToAttacker(), [], "nothing was mailed to the attacker");
      // The redemption looks the account up by id: the rewritten answer fails it with 503.
      const res = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-7!", passwordConfirm: "Directory-Pass-7!" }, B);
      assert.equal(res.status, 503);
      assert.equal(res.body.errors[0].code, "service_unavailable");
      assert.ok(proxy.state.rewritten >= 2, "the proxy did rewrite the answers");
    } finally {
      proxy.state.mode = "pass";
    }
    assert.equal(directory.accounts.get(user.id).password_hash, hash, "the victim's password is unchanged");
    assert.equal(directory.accounts.get(user.id).email, user.email);

    // With the path clean again the link still works (nothing was used up), and the retried job
    // mails the victim a second link.
    const done = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-7!", passwordConfirm: "Directory-Pass-7!" }, B);
    assert.equal(done.status, 200);
    await eventually(async () => {
      const res = await get(`${url}/dev/outbox?to=${encodeURIComponent(user.email)}`);
      return res.body.filter((m) => m.link).length >= 2;
    }, { timeoutMs: 40_000 });
    assert.deepEqual(await mailedToAttacker(), []);
  });

  test("a receiver that does not sign its answers (protocol v1) is refused", async () => {
    const user = await newUser();
    await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B);
    const { link } = await nextMessage(url, user.email, (m) => m.link);
    const token = new URL(link).searchParams.get("token");
    const hash = directory.accounts.get(user.id).password_hash;
    proxy.state.mode = "unsigned";
    proxy.state.rewritten = 0;
    try {
      const res = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-8!", passwordConfirm: "Directory-Pass-8!" }, B);
      assert.equal(res.status, 503);
      assert.equal(res.body.errors[0].code, "service_unavailable");
      const created = await post(`${url}/admin/users`, { username: `u${Date.now()}`, email: `u${Date.now()}@example.test`, password: "Initial-Pass-word-1!" }, { authorization: `Bearer ${ADMIN}` });
      assert.equal(created.status, 503, "an unsigned 201 is not taken for a created account");
      assert.ok(proxy.state.rewritten >= 2);
    } finally {
      proxy.state.mode = "pass";
    }
    assert.equal(directory.accounts.get(user.id).password_hash, hash);
    assert.equal((await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-8!", passwordConfirm: "Directory-Pass-8!" }, B)).status, 200);
  });

  test("a redirect is not followed: the Worker talks to USER_DIRECTORY_URL only, and answers 503", async () => {
    const user = await newUser();
    await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B);
    const { link } = await nextMessage(url, user.email, (m) => m.link);
    const token = new URL(link).searchParams.get("token");
    const hash = directory.accounts.get(user.id).password_hash;
    proxy.state.mode = "redirect";
    proxy.state.rewritten = 0;
    try {
      const res = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-9!", passwordConfirm: "Directory-Pass-9!" }, B);
      assert.equal(res.status, 503);
      assert.equal(res.body.errors[0].code, "service_unavailable");
      assert.ok(proxy.state.rewritten >= 1, "the proxy did redirect");
    } finally {
      proxy.state.mode = "pass";
    }
    assert.equal(directory.accounts.get(user.id).password_hash, hash, "unchanged: the redirect led nowhere");
    assert.equal((await post(`${url}/api/v1/auth/resetpass`, { token, password: "Directory-Pass-9!", passwordConfirm: "Directory-Pass-9!" }, B)).status, 200);
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
