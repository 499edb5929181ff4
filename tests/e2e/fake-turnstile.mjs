// A fake of Cloudflare Turnstile's siteverify for end-to-end tests: `POST /turnstile/v0/siteverify`
// with a form-encoded `secret`, `response` and optional `remoteip`, as Cloudflare documents it. It
// answers `{"success":true}` for a token the test declared good (each once, as the real one: a
// spent token answers `timeout-or-duplicate`), `{"success":false}` with Cloudflare's error codes
// otherwise, and can be made to fail (`setDown`: a 503). It records every request, and as a
// violation anything that is not exactly that shape, so a test can prove what left the Worker.

import { createServer } from "node:http";

export const SITEVERIFY_PATH = "/turnstile/v0/siteverify";

/** Starts the fake; `secret` is the secret key the Worker must send. */
export async function startFakeTurnstile({ secret }) {
  const good = new Set();
  const spent = new Set();
  const requests = [];
  const violations = [];
  let down = false;
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      const form = new URLSearchParams(body);
      const seen = {
        method: req.method,
        path: req.url,
        contentType: req.headers["content-type"],
        userAgent: req.headers["user-agent"],
        fields: [...form.keys()],
        secret: form.get("secret"),
        response: form.get("response"),
        remoteip: form.get("remoteip"),
      };
      requests.push(seen);
      const shapeOk = req.method === "POST" && req.url === SITEVERIFY_PATH
        && seen.contentType === "application/x-www-form-urlencoded"
        && seen.fields.every((f) => ["secret", "response", "remoteip"].includes(f))
        && seen.secret !== null && seen.response !== null;
      if (!shapeOk) violations.push(seen);
      if (down) {
        res.writeHead(503).end();
        return;
      }
      const answer = (success, codes = []) => {
        res.writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ success, "error-codes": codes, ...(success ? { challenge_ts: new Date().toISOString(), hostname: "127.0.0.1" } : {}) }));
      };
      if (!shapeOk) answer(false, ["bad-request"]);
      else if (seen.secret !== secret) answer(false, ["invalid-input-secret"]);
      else if (spent.has(seen.response)) answer(false, ["timeout-or-duplicate"]);
      else if (good.has(seen.response)) {
        spent.add(seen.response);
        answer(true);
      } else answer(false, ["invalid-input-response"]);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    /** What to set TURNSTILE_VERIFY_URL to. */
    verifyUrl: `${url}${SITEVERIFY_PATH}`,
    /** Declares `token` good, once. */
    allow(token) { good.add(token); },
    requests: () => [...requests],
    violations: () => [...violations],
    setDown(value) { down = value; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
