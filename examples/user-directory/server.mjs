// A reference receiver for pwreset's user-directory protocol, version 2 (docs/user-directory.md):
// the other side of USER_DIRECTORY_URL, as an application would implement it. Accounts live in
// memory here; a real application reads and writes its own user table in the same four handlers.
//
// Every call is checked before it is read: the HMAC-SHA256 signature over
// "v2.request.{timestamp}.{nonce}.POST.{path}.{body}" with the shared secret (compared in constant
// time), a timestamp within 300 s of this clock, and a nonce not seen in that window (no replay).
// Every answer to a call that passed is signed in turn, over
// "v2.answer.{nonce}.{path}.{status}.{body}" with the call's nonce and path, in the
// X-Pwreset-Signature header: pwreset acts on no answer without it, so an answer rewritten on the
// way, or replayed to another call, is refused.
//
// Run it alone: USER_DIRECTORY_SECRET=... PORT=8790 node examples/user-directory/server.mjs

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

/** The protocol version: the prefix of every signature (`v2=<hex>`). */
export const PROTOCOL_VERSION = "v2";
export const REPLAY_WINDOW_SECONDS = 300;
const MAX_BODY_BYTES = 64 * 1024;

/** A call's signature: `hex(HMAC-SHA256(secret, "v2.request.{timestamp}.{nonce}.POST.{path}.{body}"))`. */
export function signRequest(secret, timestamp, nonce, path, body) {
  return createHmac("sha256", secret).update(`v2.request.${timestamp}.${nonce}.POST.${path}.${body}`).digest("hex");
}

/**
 * An answer's signature: `hex(HMAC-SHA256(secret, "v2.answer.{nonce}.{path}.{status}.{body}"))`, with
 * the nonce and path of the call it answers and the exact body sent.
 */
export function signAnswer(secret, nonce, path, status, body) {
  return createHmac("sha256", secret).update(`v2.answer.${nonce}.${path}.${status}.${body}`).digest("hex");
}

/**
 * Starts the receiver on 127.0.0.1. options: secret (required), port (default 0 = any free one),
 * now (() => unix seconds).
 */
export async function startUserDirectory({ secret, port = 0, now = () => Math.floor(Date.now() / 1000) }) {
  if (!secret || secret.length < 32) throw new Error("the shared secret needs at least 32 characters");
  const accounts = new Map(); // id -> account
  const seenNonces = new Map(); // nonce -> expiry (unix seconds)
  const calls = []; // { path, body } of every accepted call
  const refused = []; // { path, reason } of every refused call
  let down = false;

  // The call's nonce when its signature headers check out; otherwise { problem }.
  function verify(req, path, body) {
    const header = req.headers["x-pwreset-timestamp"] ?? "";
    const timestamp = /^[0-9]+$/.test(header) ? Number(header) : NaN;
    const nonce = req.headers["x-pwreset-nonce"];
    const given = req.headers["x-pwreset-signature"] ?? "";
    if (given.startsWith("v1=")) return { problem: "protocol v1: this receiver speaks v2 (docs/user-directory.md, migration)" };
    const signature = /^v2=([0-9a-f]{64})$/.exec(given)?.[1];
    if (!Number.isSafeInteger(timestamp) || typeof nonce !== "string" || !/^[0-9a-f]{16,64}$/.test(nonce) || !signature) {
      return { problem: "missing or malformed signature headers" };
    }
    if (Math.abs(now() - timestamp) > REPLAY_WINDOW_SECONDS) return { problem: "timestamp outside the replay window" };
    const expected = Buffer.from(signRequest(secret, header, nonce, path, body), "hex");
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return { problem: "bad signature" };
    for (const [seen, expiry] of seenNonces) if (expiry < now()) seenNonces.delete(seen);
    if (seenNonces.has(nonce)) return { problem: "replayed nonce" };
    seenNonces.set(nonce, timestamp + REPLAY_WINDOW_SECONDS);
    return { nonce };
  }

  const handlers = {
    "/lookup": ({ by, value }) => {
      const fields = { id: "id", username: "username", email: "email", phone: "phone" };
      const field = fields[by];
      if (!field || typeof value !== "string") return [400, { error: "by must be id, username, email or phone" }];
      const found = [...accounts.values()].filter((a) => a[field] === value);
      return [200, { accounts: found }];
    },
    "/create": (account) => {
      const taken = [...accounts.values()].some((a) => a.username === account.username || (account.phone && a.phone === account.phone));
      if (taken) return [409, { error: "taken" }];
      accounts.set(account.id, { ...account });
      return [201, { id: account.id }];
    },
    "/set-password": ({ id, password_hash: hash, password_changed_at: changedAt }) => {
      const account = accounts.get(id);
      if (!account) return [404, { error: "no such account" }];
      // argon2id, as a PHC string, or in Django's form with USER_DIRECTORY_HASH_FORMAT=django.
      if (typeof hash !== "string" || !/^(argon2)?\$argon2id\$/.test(hash)) return [400, { error: "expected an argon2id hash" }];
      account.password_hash = hash;
      account.password_changed_at = changedAt;
      return [200, {}];
    },
    "/revoke-sessions": ({ id }) => {
      const account = accounts.get(id);
      if (!account) return [404, { error: "no such account" }];
      account.sessions_revoked = (account.sessions_revoked ?? 0) + 1;
      return [200, {}];
    },
  };

  const server = createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const path = new URL(req.url, "http://directory").pathname;
      const body = Buffer.concat(chunks).toString("utf8");
      // Unsigned: answers to calls that did not check out (nothing to bind them to). pwreset
      // treats 401 and 5xx as failures, signed or not, and refuses any other unsigned answer.
      const reply = (status, value) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (down) return reply(503, { error: "down" });
      const handler = handlers[path];
      if (req.method !== "POST" || !handler) return reply(404, { error: "not found" });
      const { nonce, problem } = verify(req, path, body);
      if (problem) {
        refused.push({ path, reason: problem });
        return reply(401, { error: problem });
      }
      // Signed for this call: its nonce and path, the status and the exact bytes sent.
      const signed = (status, value) => {
        const text = JSON.stringify(value);
        const signature = `${PROTOCOL_VERSION}=${signAnswer(secret, nonce, path, status, text)}`;
        return res.writeHead(status, { "content-type": "application/json", "x-pwreset-signature": signature }).end(text);
      };
      let parsed;
      try { parsed = JSON.parse(body); } catch { return signed(400, { error: "not JSON" }); }
      calls.push({ path, body: parsed });
      const [status, value] = handler(parsed);
      return signed(status, value);
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    accounts,
    calls: () => [...calls],
    refused: () => [...refused],
    setDown(value) { down = value; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const directory = await startUserDirectory({
    secret: process.env.USER_DIRECTORY_SECRET,
    port: Number(process.env.PORT ?? 8790),
  });
  console.log(`user directory listening on ${directory.url}`);
}
