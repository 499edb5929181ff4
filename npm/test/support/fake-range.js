// A fake of the Pwned Passwords range API on 127.0.0.1: `GET /range/{5 hex}` answers the suffixes
// of its corpus under that prefix with their counts, plus zero-count padding lines, as the real API
// does with `Add-Padding: true`. It records every request whole (method, URL, headers, body), so a
// test can show that nothing but the prefix leaves, and can be told to fail in the ways a network
// does. It answers CORS (preflight included), as a browser needs.
import { createHash } from "node:crypto";
import { createServer } from "node:http";

/** The SHA-1 of `password` (UTF-8) as 40 uppercase hex digits. */
export function sha1(password) {
  return createHash("sha1").update(password, "utf8").digest("hex").toUpperCase();
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET",
  "access-control-allow-headers": "add-padding",
};

/**
 * Starts the fake. `corpus` maps passwords to their counts; `padding` lists passwords whose suffix
 * appears only as a zero-count padding line. `fault` (settable) is `null`, `"503"`, `"html"` (a 200
 * that is no range) or `"hang"` (never answers).
 */
export async function startFakeRange({ corpus = {}, padding = [], lowercase = false } = {}) {
  const listed = Object.entries(corpus).map(([password, count]) => [sha1(password), count]);
  const padded = padding.map(sha1);
  const requests = [];
  const hanging = new Set();
  let fault = null;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method, url: req.url, headers: { ...req.headers }, body });
      if (req.method === "OPTIONS") {
        res.writeHead(204, CORS).end();
        return;
      }
      if (fault === "hang") {
        hanging.add(res);
        return;
      }
      if (fault === "503") {
        res.writeHead(503, CORS).end("unavailable");
        return;
      }
      if (fault === "html") {
        res.writeHead(200, { ...CORS, "content-type": "text/html" }).end("<!doctype html><title>Not here</title>");
        return;
      }
      const match = /^\/(?:[a-z]+\/)?range\/([0-9A-F]{5})$/.exec(req.url ?? "");
      if (req.method !== "GET" || !match) {
        res.writeHead(400, CORS).end("bad request");
        return;
      }
      const prefix = match[1];
      const lines = [];
      for (const [hash, count] of listed) if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:${count}`);
      for (const hash of padded) if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:0`);
      for (let i = 0; i < 8; i += 1) lines.push(`${"ABCDEF0123456789"[i].repeat(35)}:0`);
      const text = lines.map((line) => (lowercase ? line.toLowerCase() : line)).join("\r\n");
      res.writeHead(200, { ...CORS, "content-type": "text/plain" }).end(text);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Every request so far (preflights included). */
    requests: () => [...requests],
    clear() {
      requests.length = 0;
    },
    setFault(value) {
      fault = value;
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
