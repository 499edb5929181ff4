// Access tokens as an application meets them, against the built Worker: a token from a real reset
// verified from GET /.well-known/jwks.json alone by two independent implementations (jose's
// createRemoteJWKSet in Node, PyJWT's PyJWKClient with pyca/cryptography in Python), and
// POST /oauth/introspect saying it is active, then, after a password change, not.
//
// The Python side runs tests/interop/verify_jwks.py from target/interop-venv (scripts/setup.sh,
// pinned by tests/interop/requirements.txt).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";

import {
  INTROSPECTION_TOKEN, PUBLIC_URL, TEST_KEYS, baseVars, createUser, get, nextMessage, post, startWorker,
} from "./worker-harness.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PYTHON = join(ROOT, "target", "interop-venv", "bin", "python");
const VERIFY_JWKS = join(ROOT, "tests", "interop", "verify_jwks.py");
const API_KEY = baseVars().API_KEYS;
const KID = TEST_KEYS.split(":")[0];

/** PyJWT's verdict on `token`, from the JWK Set at `jwksUrl` alone. */
function pyjwtVerify(jwksUrl, token) {
  assert.ok(existsSync(PYTHON), `PyJWT is not installed in ${PYTHON}: run scripts/setup.sh (or make setup)`);
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [VERIFY_JWKS, jwksUrl, PUBLIC_URL, "pwreset"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => { out += chunk; });
    child.stderr.on("data", (chunk) => { err += chunk; });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`verify_jwks.py exited ${code}: ${err}`));
      else resolve(JSON.parse(out));
    });
    child.stdin.end(token);
  });
}

/** POST /oauth/introspect with `token=…` as a form. */
async function introspect(url, token, bearer = INTROSPECTION_TOKEN) {
  const res = await fetch(`${url}/oauth/introspect`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${bearer}` },
    body: new URLSearchParams({ token }).toString(),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

describe("access tokens for applications", () => {
  let worker;
  let jwksUrl;
  const user = {
    username: `tokens-${Date.now()}`,
    email: `tokens-${Date.now()}@example.test`,
    password: "Starting-passphrase-42",
  };
  let token;

  before(async () => {
    worker = await startWorker(baseVars());
    jwksUrl = `${worker.url}/.well-known/jwks.json`;
    user.id = await createUser(worker.url, user);
    // A real reset, dialect A: a code by e-mail, the signed payload, the new password.
    await post(`${worker.url}/reg/user/resetPasswordRequest`, { username: user.username });
    const { code } = await nextMessage(worker.url, user.email, (m) => m.code);
    const exchanged = await post(`${worker.url}/reg/user/resetPasswordRequest`, { username: user.username, code });
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    const reset = await post(`${worker.url}/reg/user/resetPassword`, {
      username: user.username, signedPayload: exchanged.body.signedPayload, newPassword: "Initial-passphrase-1",
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    token = reset.body.token;
  });
  after(async () => { await worker?.stop(); });

  test("GET /.well-known/jwks.json: one Ed25519 public key per keyring entry, cacheable", async () => {
    const res = await get(jwksUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.equal(res.headers.get("cache-control"), "public, max-age=300");
    assert.deepEqual(Object.keys(res.body), ["keys"]);
    assert.equal(res.body.keys.length, 1);
    const [key] = res.body.keys;
    assert.deepEqual(Object.keys(key).sort(), ["alg", "crv", "kid", "kty", "use", "x"]);
    assert.deepEqual({ ...key, x: undefined }, { alg: "EdDSA", crv: "Ed25519", kid: KID, kty: "OKP", use: "sig", x: undefined });
    assert.equal(Buffer.from(key.x, "base64url").length, 32);
    assert.ok(!JSON.stringify(res.body).includes(TEST_KEYS.split(":")[1]), "the keyring's key is published");
  });

  test("a reset's token is EdDSA and verifies with jose's createRemoteJWKSet", async () => {
    assert.deepEqual(decodeProtectedHeader(token), { alg: "EdDSA", kid: KID });
    const jwks = createRemoteJWKSet(new URL(jwksUrl));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      algorithms: ["EdDSA"], issuer: PUBLIC_URL, audience: "pwreset",
    });
    assert.equal(protectedHeader.kid, KID);
    assert.equal(payload.sub, user.id);
    assert.equal(payload.exp - payload.iat, 3600);
    // A changed signature does not verify.
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BA" : "AA");
    await assert.rejects(jwtVerify(tampered, jwks, { algorithms: ["EdDSA"], issuer: PUBLIC_URL, audience: "pwreset" }));
  });

  test("and with PyJWT's PyJWKClient, in Python, from the JWK Set alone", async () => {
    const verdict = await pyjwtVerify(jwksUrl, token);
    assert.equal(verdict.ok, true, verdict.error);
    assert.equal(verdict.kid, KID);
    assert.equal(verdict.header.alg, "EdDSA");
    assert.equal(verdict.claims.sub, user.id);
    assert.equal(verdict.claims.iss, PUBLIC_URL);
    assert.equal(verdict.claims.aud, "pwreset");
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BA" : "AA");
    const refused = await pyjwtVerify(jwksUrl, tampered);
    assert.equal(refused.ok, false);
  });

  test("POST /oauth/introspect: active with the claims, as a form or JSON; 401 without the bearer", async () => {
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl)), {
      algorithms: ["EdDSA"], issuer: PUBLIC_URL, audience: "pwreset",
    });
    const answer = await introspect(worker.url, token);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("content-type"), "application/json");
    assert.equal(answer.headers.get("cache-control"), "no-store");
    assert.deepEqual(answer.body, {
      active: true, aud: "pwreset", exp: payload.exp, iat: payload.iat, iss: PUBLIC_URL, jti: payload.jti, sub: user.id,
    });
    const byJson = await post(`${worker.url}/oauth/introspect`, { token }, { authorization: `Bearer ${INTROSPECTION_TOKEN}` });
    assert.deepEqual(byJson.body, answer.body);

    const wrong = await introspect(worker.url, token, "not-the-introspection-token-0123456789");
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get("www-authenticate"), "Bearer");
    assert.equal(wrong.body.error, "invalid_token");
    const none = await fetch(`${worker.url}/oauth/introspect`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${token}`,
    });
    assert.equal(none.status, 401);
    assert.equal(none.headers.get("www-authenticate"), "Bearer");

    const missing = await post(`${worker.url}/oauth/introspect`, {}, { authorization: `Bearer ${INTROSPECTION_TOKEN}` });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, "invalid_request");
    const text = await post(`${worker.url}/oauth/introspect`, `token=${token}`, {
      authorization: `Bearer ${INTROSPECTION_TOKEN}`, "content-type": "text/plain",
    });
    assert.equal(text.status, 415);
    const garbage = await introspect(worker.url, "not.a.token");
    assert.deepEqual(garbage.body, { active: false });
  });

  test("after a password change the token is inactive (its signature alone still holds)", async () => {
    const changed = await post(`${worker.url}/api/v1/user/profile/change-password/`, {
      old_password: "Initial-passphrase-1", new_password: "Cobalt#Meadow42", confirm_password: "Cobalt#Meadow42",
    }, { apikey: API_KEY, authorization: `Bearer ${token}` });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const revoked = await introspect(worker.url, token);
    assert.equal(revoked.status, 200);
    assert.deepEqual(revoked.body, { active: false });
    // The JWK Set cannot show a revocation: that is what introspection is for.
    const stillSigned = await pyjwtVerify(jwksUrl, token);
    assert.equal(stillSigned.ok, true);
    const info = await get(`${worker.url}/reg/user/info`, { authorization: `Bearer ${token}` });
    assert.equal(info.status, 401);

    const fresh = changed.body.token;
    assert.equal(decodeProtectedHeader(fresh).alg, "EdDSA");
    assert.equal((await introspect(worker.url, fresh)).body.active, true);
    assert.equal((await pyjwtVerify(jwksUrl, fresh)).claims.sub, user.id);
    // Nothing of either token, nor the introspection bearer, is in the Worker's log.
    const logs = worker.logs();
    for (const secret of [token, fresh, INTROSPECTION_TOKEN]) assert.ok(!logs.includes(secret));
  });
});
