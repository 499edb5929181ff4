// Loading: a module that can't be loaded is a typed error, and a later call may retry; in Node the
// wasm may come from a file path, a file: URL or http(s); a second, different source is refused
// rather than silently ignored.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";

import { PwresetError, estimateStrength, loadStrength, ready, validatePassword } from "pwreset";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const policyFile = fileURLToPath(new URL("../dist/pwreset_policy_bg.wasm", import.meta.url));

/** Runs a module script in a fresh Node process (a fresh package state) and returns its output. */
async function fresh(script) {
  const { stdout } = await promisify(execFile)("node", ["--input-type=module", "-e", script], { cwd: packageDir, timeout: 30_000 });
  return stdout.trim();
}

it("bad wasm bytes are load_failed, and ready() can then succeed", async () => {
  await assert.rejects(ready({ policyWasm: new Uint8Array([0, 97, 115, 109, 1]) }), (e) => {
    return e instanceof PwresetError && e.code === "load_failed" && e.message.includes("policy module");
  });
  assert.throws(() => validatePassword("x"), (e) => e.code === "not_ready");
  await ready();
  assert.equal(validatePassword("kD9#mQ2$vL7pX!").valid, true);
});

it("the strength module likewise", async () => {
  await assert.rejects(loadStrength({ wasm: new Uint8Array([1, 2, 3]) }), (e) => e.code === "load_failed");
  assert.equal((await estimateStrength("password")).score, 0);
});

it("ready() refuses options that are not an object, and unknown options", async () => {
  await assert.rejects(ready("fast"), (e) => e.code === "invalid_argument");
  await assert.rejects(ready({ policyWASM: "x" }), (e) => e.code === "invalid_argument" && e.message.includes("policyWASM"));
});

describe("sources in Node", () => {
  let server;
  let base;
  before(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/wasm" });
      res.end(readFileSync(policyFile));
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => server.close());

  const check = `import("pwreset").then(async ({ ready, validatePassword }) => {`;

  it("a file path, as the types allow", async () => {
    const out = await fresh(`${check} await ready({ policyWasm: ${JSON.stringify(policyFile)} }); console.log(validatePassword("x").valid); });`);
    assert.equal(out, "false");
  });

  it("a file: URL, as a string or a URL object", async () => {
    const url = pathToFileURL(policyFile).href;
    assert.equal(await fresh(`${check} await ready({ policyWasm: ${JSON.stringify(url)} }); console.log(validatePassword("x").valid); });`), "false");
    assert.equal(await fresh(`${check} await ready({ policyWasm: new URL(${JSON.stringify(url)}) }); console.log(validatePassword("x").valid); });`), "false");
  });

  it("an http URL", async () => {
    const out = await fresh(`${check} await ready({ policyWasm: ${JSON.stringify(`${base}/policy.wasm`)} }); console.log(validatePassword("x").valid); });`);
    assert.equal(out, "false");
  });

  it("a missing file is load_failed naming the path", async () => {
    const out = await fresh(`${check} await ready({ policyWasm: "/nonexistent/p.wasm" }).catch((e) => console.log(e.code, e.message.includes("/nonexistent/p.wasm"))); });`);
    assert.equal(out, "load_failed true");
  });

  it("a second ready() with another source is refused, not silently ignored; the same source is fine", async () => {
    const out = await fresh(`${check}
      await ready({ policyWasm: ${JSON.stringify(policyFile)} });
      await ready({ policyWasm: ${JSON.stringify(policyFile)} });
      await ready();
      await ready({ policyWasm: "/elsewhere/p.wasm" }).catch((e) => console.log(e.code, e.message));
    });`);
    assert.match(out, /^invalid_argument the policy module is already loaded from .*pwreset_policy_bg\.wasm; it can't be replaced by \/elsewhere\/p\.wasm/);
  });
});

describe("fetching wasm in browsers", () => {
  let server;
  let base;
  before(async () => {
    // Like a dev server's SPA fallback: every unknown path answers the HTML index page.
    server = createServer((req, res) => {
      if (req.url === "/node_modules/pwreset/dist/pwreset_policy_bg.wasm") {
        res.writeHead(200, { "content-type": "application/wasm" });
        res.end(readFileSync(policyFile));
        return;
      }
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><html><body>app</body></html>");
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => server.close());

  it("an HTML page where the wasm should be is an error naming the URL, the answer and the fix", async () => {
    const { fetchWasm } = await import("../src/fetch-wasm.js");
    await assert.rejects(fetchWasm(new URL(`${base}/assets/pwreset_policy_bg.wasm`), "policy"), (e) => {
      assert.match(e.message, new RegExp(`^${base}/assets/pwreset_policy_bg\\.wasm is not the policy module's wasm`));
      assert.match(e.message, /the server answered HTTP 200 text\/html, starting "<!doctype html>/);
      assert.match(e.message, /Fix: serve node_modules\/pwreset\/dist\/\*\.wasm at that URL .* or pass its URL to ready\(\{ policyWasm \}\)/);
      return true;
    });
  });

  it("under Vite's pre-bundled deps it finds the installed package's file, or names Vite's one-line fix", async () => {
    const { fetchWasm } = await import("../src/fetch-wasm.js");
    const found = await fetchWasm(new URL(`${base}/node_modules/.vite/deps/pwreset_policy_bg.wasm`), "policy");
    assert.equal(found.url, `${base}/node_modules/pwreset/dist/pwreset_policy_bg.wasm`);
    await assert.rejects(fetchWasm(new URL(`${base}/node_modules/.vite/deps/pwreset_strength_bg.wasm`), "strength"), (e) =>
      e.message.includes('optimizeDeps: { exclude: ["pwreset"] }'),
    );
  });
});
