// Runs the built Worker (worker/build) under wrangler's local runtime (workerd with local KV,
// Durable Objects, Queues and rate limits) on 127.0.0.1 and a free port, for end-to-end tests.
// Each instance gets its own state folder and the variables the test gives; its log lines (the
// Worker's JSON audit lines among them) are kept for assertions.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/** A development keyring (never used outside tests). */
export const TEST_KEYS = "ktest-1:DssbGkkvrNGHiL37HGfgwK1QMKi2aJ8g2jaQOfX7kVM";
export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
/** The bearer of POST /oauth/introspect (INTROSPECTION_TOKENS: at least 32 characters). */
export const INTROSPECTION_TOKEN = "test-introspection-token-0123456789abcdef";
export const CLIENT_ID = "web-client";
export const ORIGIN = "http://localhost:3000";
/**
 * The links' base: loopback, as development requires, and on purpose not the test Worker's own
 * port, so that a test can tell a link built from PUBLIC_URL from one built from the request.
 * Tests that follow a link move it to the Worker first (`localLink`).
 */
export const PUBLIC_URL = "http://127.0.0.1:8787";

/**
 * Variables for an outbox Worker; `overrides` replace or add. The outbox and `GET /dev/outbox`
 * exist only with ENVIRONMENT=development, which needs a loopback PUBLIC_URL.
 */
export function baseVars(overrides = {}) {
  return {
    ENVIRONMENT: "development",
    PUBLIC_URL,
    KEYS: TEST_KEYS,
    ADMIN_TOKEN,
    CLIENTS: JSON.stringify({ [CLIENT_ID]: [ORIGIN] }),
    API_KEYS: "test-api-key-0123456789abcdef",
    INTROSPECTION_TOKENS: INTROSPECTION_TOKEN,
    EMAIL_PROVIDER: "outbox",
    EMAIL_FROM: "pwreset <no-reply@example.test>",
    SMS_PROVIDER: "outbox",
    SMS_FROM: "+15005550006",
    PASSWORD_POLICY: "django",
    // A refused secret waits this long after it arrived (default 500 ms): shorter here, so the
    // suites that guess hundreds of times one after another stay quick.
    REFUSAL_MIN_MS: "100",
    ...overrides,
  };
}

/** A pattern for links to `path` under PUBLIC_URL followed by `rest` (a pattern itself). */
export function linkPattern(path, rest, { whole = false } = {}) {
  const base = `${PUBLIC_URL}${path}`.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(whole ? `^${base}${rest}$` : `${base}${rest}`);
}

/** `link` (built from PUBLIC_URL) moved to the Worker at `url`, to be followed. */
export function localLink(url, link) {
  if (!link.startsWith(`${PUBLIC_URL}/`)) throw new Error(`not a link under PUBLIC_URL: ${link}`);
  return url + link.slice(PUBLIC_URL.length);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the Worker; resolves once it answers. `vars` is an object, or a function of the Worker's
 * own URL that returns one (a test whose browser posts forms sets PUBLIC_URL to the Worker itself).
 */
export async function startWorker(vars = baseVars()) {
  const port = await freePort();
  const inspector = await freePort();
  if (typeof vars === "function") vars = vars(`http://127.0.0.1:${port}`);
  const state = mkdtempSync(join(tmpdir(), "pwreset-e2e-"));
  const args = [WRANGLER, "dev", "--local", "--ip", "127.0.0.1", "--port", String(port),
    "--inspector-port", String(inspector), "--persist-to", state, "--show-interactive-dev-session=false",
    "--log-level", "log"];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = [];
  const collect = (chunk) => lines.push(...chunk.toString().split("\n").filter(Boolean));
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler exited:\n${lines.join("\n")}`);
    try {
      await fetch(`${url}/__ready`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`the Worker did not start in 60 s:\n${lines.join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    /** Everything wrangler and the Worker printed so far. */
    logs: () => lines.join("\n"),
    /** The Worker's JSON log lines, parsed. */
    events: () => lines.filter((l) => l.trim().startsWith("{")).map((l) => { try { return JSON.parse(l.trim()); } catch { return null; } }).filter(Boolean),
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => {
        const timer = setTimeout(() => { child.kill("SIGKILL"); resolve(); }, 5000);
        child.once("exit", () => { clearTimeout(timer); resolve(); });
      });
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/**
 * POSTs JSON (`content-type: application/json`, unless `headers` names another); returns
 * { status, headers, body (parsed or text) }.
 */
export async function post(url, body, headers = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** GETs; same shape as post. */
export async function get(url, headers = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Polls `probe` until it returns a truthy value (the queue delivers within seconds). */
export async function eventually(probe, { timeoutMs = 20_000, everyMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Creates an account through the admin route; returns its id. */
export async function createUser(url, user) {
  const res = await post(`${url}/admin/users`, user, { authorization: `Bearer ${ADMIN_TOKEN}` });
  if (res.status !== 201) throw new Error(`admin/users answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** The newest outbox message to `to` that satisfies `match`, waiting for it. */
export async function nextMessage(url, to, match = () => true) {
  return eventually(async () => {
    const res = await get(`${url}/dev/outbox?to=${encodeURIComponent(to)}`);
    return Array.isArray(res.body) ? res.body.find(match) : undefined;
  });
}

/**
 * A new page in `context` that records, in `problems`, script errors, Content-Security-Policy
 * violations and any dialog (dismissed): a test of the pages expects none.
 */
export async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on("dialog", (dialog) => { problems.push(`dialog: ${dialog.message()}`); dialog.dismiss(); });
  return { page, problems };
}

/**
 * The id of the element that has the focus once `expectedId`'s element took it, or after 5 s:
 * `autofocus` applies once a page has loaded, a moment after its answer, so a test polls for it.
 */
export async function focusedId(page, expectedId) {
  const focused = () => page.evaluate(() => document.activeElement?.id);
  for (let i = 0; i < 50 && (await focused()) !== expectedId; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return focused();
}
