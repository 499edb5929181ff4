// A fake of the Pwned Passwords range API for end-to-end tests: `GET /range/{5 hex}` answers the
// suffixes of its corpus under that prefix plus zero-count padding, like the real one. It records
// every request and refuses (and records as a violation) anything that is not exactly a 5-digit
// prefix, so a test can prove that no more than the prefix ever leaves.

import { createHash } from "node:crypto";
import { createServer } from "node:http";

export async function startFakePwned(corpus = []) {
  const hashes = corpus.map((p) => createHash("sha1").update(p).digest("hex").toUpperCase());
  const requests = [];
  const violations = [];
  let down = false;
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, padding: req.headers["add-padding"], userAgent: req.headers["user-agent"] });
    const match = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? "");
    if (down) {
      res.writeHead(503).end();
      return;
    }
    if (req.method !== "GET" || !match || req.headers["add-padding"] !== "true" || !req.headers["user-agent"]) {
      violations.push({ method: req.method, url: req.url, padding: req.headers["add-padding"] });
      res.writeHead(400).end("bad request");
      return;
    }
    const lines = hashes.filter((h) => h.startsWith(match[1])).map((h) => `${h.slice(5)}:7`);
    for (let i = 0; i < 5; i += 1) lines.push(`${String(i).repeat(35)}:0`);
    res.writeHead(200, { "content-type": "text/plain" }).end(lines.join("\r\n"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests: () => [...requests],
    violations: () => [...violations],
    setDown(value) { down = value; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
