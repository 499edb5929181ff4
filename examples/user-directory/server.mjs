// A reference receiver for pwreset's user-directory protocol (docs/user-directory.md): the other
// side of USER_DIRECTORY_URL, as an application would implement it. Accounts live in memory here;
// a real application reads and writes its own user table in the same four handlers.
//
// Every call is checked before it is read: the HMAC-SHA256 signature over
// "{timestamp}.{nonce}.POST.{path}.{body}" with the shared secret (compared in constant time), a
// timestamp within 300 s of this clock, and a nonce not seen in that window (no replay).
//
// Run it alone: USER_DIRECTORY_SECRET=... PORT=8790 node examples/user-directory/server.mjs

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

export const REPLAY_WINDOW_SECONDS = 300;
const MAX_BODY_BYTES = 64 * 1024;

/** `hex(HMAC-SHA256(secret, "{timestamp}.{nonce}.POST.{path}.{body}"))`. */
export function sign(secret, timestamp, nonce, path, body) {
  return createHmac("sha256", secret).update(`${timestamp}.${nonce}.POST.${path}.${body}`).digest("hex");
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

  function verify(req, path, body) {
    const timestamp = Number(req.headers["x-pwreset-timestamp"]);
    const nonce = req.headers["x-pwreset-nonce"];
    const signature = /^v1=([0-9a-f]{64})$/.exec(req.headers["x-pwreset-signature"] ?? "")?.[1];
    if (!Number.isInteger(timestamp) || typeof nonce !== "string" || !/^[0-9a-f]{16,64}$/.test(nonce) || !signature) {
      return "missing or malformed signature headers";
    }
    if (Math.abs(now() - timestamp) > REPLAY_WINDOW_SECONDS) return "timestamp outside the replay window";
    const expected = Buffer.from(sign(secret, timestamp, nonce, path, body), "hex");
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return "bad signature";
    for (const [seen, expiry] of seenNonces) if (expiry < now()) seenNonces.delete(seen);
    if (seenNonces.has(nonce)) return "replayed nonce";
    seenNonces.set(nonce, timestamp + REPLAY_WINDOW_SECONDS);
    return null;
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
      if (typeof hash !== "string" || !hash.startsWith("$argon2id$")) return [400, { error: "expected an argon2id PHC string" }];
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
      const reply = (status, value) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (down) return reply(503, { error: "down" });
      const handler = handlers[path];
      if (req.method !== "POST" || !handler) return reply(404, { error: "not found" });
      const problem = verify(req, path, body);
      if (problem) {
        refused.push({ path, reason: problem });
        return reply(401, { error: problem });
      }
      let parsed;
      try { parsed = JSON.parse(body); } catch { return reply(400, { error: "not JSON" }); }
      calls.push({ path, body: parsed });
      const [status, value] = handler(parsed);
      return reply(status, value);
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
