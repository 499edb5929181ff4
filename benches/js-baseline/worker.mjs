// A baseline for the side-by-side benchmark (benches/attack/sidebyside.mjs): the job of pwreset's
// password-setting route written as a plain JavaScript Worker, run by the same workerd.
// POST /reset {token, password, passwordConfirm}:
//   1. parse the JSON body;
//   2. verify the token's HMAC-SHA256 (WebCrypto) and its expiry: base64url(JSON {sub, exp, n}) "."
//      base64url(tag), keyed with the TOKEN_KEY variable;
//   3. find the account (in memory here: the Rust Worker reads KV and asks a Durable Object);
//   4. judge the password: at least 8 characters, not all digits, equal to its confirmation, and
//      zxcvbn (@zxcvbn-ts/core with language-common and language-en dictionaries, the account's
//      username, e-mail and first name as user inputs) scoring at least 3;
//   5. refuse it when it is the current password (derive it with the stored salt and compare), then
//      hash it with a fresh salt: WebCrypto has no argon2id, so PBKDF2-SHA256 with OWASP's
//      600,000 iterations stands in for both argon2id steps of the Rust route;
//   6. answer an HS256 access token signed with WebCrypto's HMAC.
// GET /ping answers 204 (the per-request baseline: routing and an answer, nothing else).
// STRENGTH=off skips zxcvbn (to compare with the Rust Worker's default build, which has none).

import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

const strength = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

const ITERATIONS = 600_000;
const encoder = new TextEncoder();
const ACCOUNT = { id: "acct-1", username: "jane", email: "jane@example.test", first_name: "Jane" };
let stored = null; // { salt, hash } of the account's current password, made on first use
let keys = null;

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

async function pbkdf2(password, salt) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: ITERATIONS }, key, 256));
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i] ^ b[i];
  return diff === 0;
}

async function setUp(env) {
  if (!keys) {
    const raw = encoder.encode(env.TOKEN_KEY);
    keys = {
      token: await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]),
      access: await crypto.subtle.importKey("raw", encoder.encode(`${env.TOKEN_KEY}/access`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
    };
  }
  if (!stored) {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    stored = { salt, hash: await pbkdf2("Initial-passphrase-1", salt) };
  }
}

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

async function reset(request, env) {
  let body;
  try { body = await request.json(); } catch { return json(400, { status: "fail", code: "invalid_json" }); }
  if (typeof body?.token !== "string" || typeof body.password !== "string") return json(400, { status: "fail", code: "field_required" });
  await setUp(env);
  const [payload, tag] = body.token.split(".");
  let claims;
  try {
    if (!(await crypto.subtle.verify("HMAC", keys.token, unb64url(tag), encoder.encode(payload)))) throw new Error("mac");
    claims = JSON.parse(new TextDecoder().decode(unb64url(payload)));
  } catch { return json(400, { status: "fail", code: "invalid_secret" }); }
  if (claims.exp < Date.now() / 1000 || claims.sub !== ACCOUNT.id) return json(400, { status: "fail", code: "invalid_secret" });
  const errors = [];
  const password = body.password;
  if ([...password].length < 8) errors.push("password_too_short");
  if (/^[0-9]+$/.test(password)) errors.push("password_entirely_numeric");
  if (body.passwordConfirm !== password) errors.push("password_mismatch");
  if (env.STRENGTH !== "off" && strength.check(password, [ACCOUNT.username, ACCOUNT.email, ACCOUNT.first_name]).score < 3) errors.push("password_too_weak");
  if (errors.length) return json(400, { status: "fail", errors });
  if (equal(await pbkdf2(password, stored.salt), stored.hash)) return json(400, { status: "fail", errors: ["password_same_as_old"] });
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt);
  void hash; // a real Worker would store { salt, hash } now; the account keeps its old one here
  const now = Math.floor(Date.now() / 1000);
  const head = b64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const claimsOut = b64url(encoder.encode(JSON.stringify({ sub: ACCOUNT.id, iat: now, exp: now + 3600, jti: crypto.randomUUID() })));
  const signature = b64url(await crypto.subtle.sign("HMAC", keys.access, encoder.encode(`${head}.${claimsOut}`)));
  return json(200, { status: "success", token: `${head}.${claimsOut}.${signature}` });
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/ping") return new Response(null, { status: 204 });
    if (pathname === "/reset" && request.method === "POST") return reset(request, env);
    return json(404, { error: "not_found" });
  },
};
