// docs/openapi.json against the built Worker: the Worker serves it unchanged, it is valid OpenAPI
// 3.1, it names every route (and only routes that exist), and schemathesis, fuzzing every
// documented operation over 127.0.0.1, finds no answer that the document does not describe: no
// 5xx it does not list, no undocumented status, content type or body shape.
//
// schemathesis runs from the virtualenv that scripts/setup.sh makes (target/schemathesis-venv,
// pinned by tests/e2e/requirements-schemathesis.txt).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import {
  ADMIN_TOKEN, CLIENT_ID, INTROSPECTION_TOKEN, ORIGIN, baseVars, createUser, get, nextMessage, post, startWorker,
} from "./worker-harness.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOCUMENT_PATH = join(ROOT, "docs", "openapi.json");
const VENV_BIN = join(ROOT, "target", "schemathesis-venv", "bin");
const API_KEY = baseVars().API_KEYS;

/** Fixed so that a failure can be replayed exactly. */
const SEED = 20261125;
/**
 * Test cases per operation in the fuzzing phase. With the examples and coverage phases this makes
 * about 2,000 requests, in about a minute on two cores. Some of them pass a development rate limit
 * (1,000 a minute per IP, 100 per identifier): `429` is a documented answer like any other.
 */
const MAX_EXAMPLES = 100;
const CHECKS = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
];

/** Every route the Worker serves, with its methods (HEAD is answered like GET and not listed). */
const ROUTES = {
  "/reg/user/resetPasswordRequest": ["post"],
  "/reg/user/resetPassword": ["post"],
  "/reg/user/info": ["get"],
  "/api/v1/auth/forgotpass": ["options", "post"],
  "/api/v1/auth/forgotpass/mobile": ["options", "post"],
  "/api/v1/auth/resetpass": ["options", "post"],
  "/api/v1/auth/resetpass/mobile": ["options", "post"],
  "/api/v1/user/forgot-password/": ["post"],
  "/api/v1/user/forgot-password-submit/": ["post"],
  "/api/v1/user/profile/change-password/": ["post"],
  "/admin/users": ["post"],
  "/admin/dead-letters": ["get"],
  "/dev/outbox": ["get"],
  "/dev/messages": ["get"],
  "/openapi.json": ["get"],
  "/reset": ["get", "post"],
  "/reset/check": ["post"],
  "/forgot": ["get", "post"],
  "/.well-known/jwks.json": ["get"],
  "/oauth/introspect": ["post"],
};
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const documentText = readFileSync(DOCUMENT_PATH, "utf8");
const documentJson = JSON.parse(documentText);

/** Runs a program; resolves with its exit code and everything it printed. */
function run(program, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let output = "";
    child.stdout.on("data", (chunk) => { output += chunk; });
    child.stderr.on("data", (chunk) => { output += chunk; });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

function requireVenv() {
  assert.ok(
    existsSync(join(VENV_BIN, "schemathesis")),
    `schemathesis is not installed in ${VENV_BIN}: run scripts/setup.sh (or make setup)`,
  );
}

/** Every `$ref` in `node`, with where it was found. */
function* refs(node, where = "#") {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* refs(item, `${where}/${i}`);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") yield [where, value];
      else yield* refs(value, `${where}/${key}`);
    }
  }
}

function resolvePointer(doc, pointer) {
  if (!pointer.startsWith("#/")) return undefined;
  return pointer.slice(2).split("/").reduce(
    (node, part) => node?.[part.replaceAll("~1", "/").replaceAll("~0", "~")],
    doc,
  );
}

/** The documented operations, as [path, method] pairs. */
function documentedOperations() {
  return Object.entries(documentJson.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => [path, method]));
}

describe("the OpenAPI document", () => {
  let worker;
  before(async () => { worker = await startWorker(baseVars()); });
  after(async () => { await worker?.stop(); });

  test("GET /openapi.json serves docs/openapi.json unchanged, as JSON", async () => {
    const res = await fetch(`${worker.url}/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^application\/json/);
    assert.equal(await res.text(), documentText,
      "the built Worker serves another document: rebuild it (FORCE=1 scripts/build-worker.sh)");
  });

  test("is valid OpenAPI 3.1, with valid JSON Schemas and no dangling $ref", async () => {
    requireVenv();
    assert.match(documentJson.openapi, /^3\.1\.\d+$/);
    for (const [where, target] of refs(documentJson)) {
      assert.notEqual(resolvePointer(documentJson, target), undefined, `${where}: $ref ${target} resolves to nothing`);
    }
    // schemathesis's own OpenAPI 3.1 meta-schema, and Draft 2020-12 for every schema in the document.
    const check = [
      "import json, sys",
      "import jsonschema_rs",
      "from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR",
      "doc = json.load(open(sys.argv[1]))",
      "problems = [f'{list(e.instance_path)}: {e.message}' for e in OPENAPI_31_VALIDATOR.iter_errors(doc)]",
      "def schemas(node, where):",
      "    if isinstance(node, dict):",
      "        for key, value in node.items():",
      "            if key == 'schema' and isinstance(value, dict):",
      "                yield where + '/schema', value",
      "            else:",
      "                yield from schemas(value, where + '/' + str(key))",
      "    elif isinstance(node, list):",
      "        for i, value in enumerate(node):",
      "            yield from schemas(value, where + '/' + str(i))",
      "found = list(schemas(doc['paths'], '#/paths')) + list(schemas(doc['components'], '#/components'))",
      "found += [('#/components/schemas/' + k, v) for k, v in doc['components']['schemas'].items()]",
      "for where, schema in found:",
      "    try:",
      "        jsonschema_rs.meta.validate(schema)",
      "    except jsonschema_rs.ValidationError as e:",
      "        problems.append(f'{where}: {e.message}')",
      "print('\\n'.join(problems))",
      "sys.exit(1 if problems else 0)",
    ].join("\n");
    const result = await run(join(VENV_BIN, "python"), ["-c", check, DOCUMENT_PATH]);
    assert.equal(result.code, 0, `the document is not valid:\n${result.output}`);
  });

  test("documents every route the Worker serves, with exactly the methods it answers", async () => {
    assert.deepEqual(
      Object.fromEntries(Object.entries(documentJson.paths).map(([path, item]) =>
        [path, HTTP_METHODS.filter((m) => item[m]).sort()])),
      ROUTES,
    );
    for (const [path, methods] of Object.entries(ROUTES)) {
      // A method the route does not answer gets 405, whose Allow header names those it does.
      const res = await fetch(`${worker.url}${path}`, { method: "PUT" });
      assert.equal(res.status, 405, `PUT ${path}`);
      const allowed = res.headers.get("allow").toLowerCase().split(/,\s*/).filter((m) => m !== "head");
      assert.deepEqual(allowed.sort(), methods, `Allow of ${path}`);
    }
  });

  // workers-rs reads every method it does not know (QUERY, PROPFIND, …) as GET; the Worker must
  // route by the raw name.
  test("a method the Worker does not know answers 405 on every route", async () => {
    for (const path of Object.keys(ROUTES)) {
      for (const method of ["QUERY", "PROPFIND"]) {
        const res = await fetch(`${worker.url}${path}`, { method });
        await res.arrayBuffer();
        assert.equal(res.status, 405, `${method} ${path}`);
      }
    }
  });

  // A body left half-read breaks the connection under the local runtime, so the next POST would get
  // wrangler's own `503 text/plain`: the Worker leaves a declared-too-large body unread and reads an
  // undeclared one to its end.
  test("a body over 16 KiB gets its 413 and leaves the next request unharmed", async () => {
    const oversized = JSON.stringify({ username: "jane", padding: "x".repeat(200_000) });
    for (let i = 0; i < 3; i += 1) {
      const refused = await post(`${worker.url}/reg/user/resetPasswordRequest`, oversized);
      assert.equal(refused.status, 413);
      const next = await post(`${worker.url}/reg/user/resetPasswordRequest`, { username: "jane" });
      assert.equal(next.status, 200, `the request after an oversized one: ${next.status} ${JSON.stringify(next.body)}`);
    }
  });

  test("every documented operation exists on the Worker (neither 404 nor 405)", async () => {
    for (const [path, method] of documentedOperations()) {
      const init = { method: method.toUpperCase(), headers: { origin: ORIGIN } };
      if (method === "post") init.body = "{}";
      const res = await fetch(`${worker.url}${path}${path === "/dev/outbox" ? "?to=x@example.test" : ""}`, init);
      await res.arrayBuffer();
      assert.ok(![404, 405].includes(res.status), `${method.toUpperCase()} ${path} answered ${res.status}`);
    }
  });
});

/**
 * Runs schemathesis on the document against `url`, with the given config lines (TOML) and checks,
 * in a scratch folder it leaves nothing in the repository from; resolves with its exit code.
 */
async function schemathesis(url, { config, checks, phases, maxExamples }) {
  requireVenv();
  const scratch = mkdtempSync(join(tmpdir(), "pwreset-schemathesis-"));
  try {
    const configPath = join(scratch, "schemathesis.toml");
    writeFileSync(configPath, ["[cache]", "enabled = false", "", ...config, ""].join("\n"));
    // Imported by schemathesis on the main thread before any test runs. anyio (which schemathesis
    // otherwise first imports from a worker thread, deep inside Hypothesis) compiles its own
    // source on import, and under CPython 3.11 that can fail there with "AST constructor
    // recursion depth mismatch", which schemathesis reports as an error of the run.
    writeFileSync(join(scratch, "preload_transports.py"), "import schemathesis.transport.asgi  # noqa: F401\n");
    const args = [
      "--config-file", configPath,
      "run", DOCUMENT_PATH,
      "--url", url,
      "--checks", checks.join(","),
      "--phases", phases,
      "--max-examples", String(maxExamples),
      "--seed", String(SEED),
      "--workers", "2",
      "--generation-database", "none",
      "--request-timeout", "30",
      "--no-color",
    ];
    const started = Date.now();
    const result = await run(join(VENV_BIN, "schemathesis"), args, {
      cwd: scratch,
      env: {
        ...process.env,
        NO_COLOR: "1",
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONPATH: scratch,
        SCHEMATHESIS_HOOKS: "preload_transports",
      },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`schemathesis ${args.join(" ")}\n(${seconds} s)\n${result.output}`);
    return result.code;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe("schemathesis against the Worker", () => {
  let worker;
  before(async () => { worker = await startWorker(baseVars()); });
  after(async () => { await worker?.stop(); });

  /**
   * A real access token (dialect A's reset), so that the Bearer routes are fuzzed past 401. Its
   * account's password is then the document's example `old_password`, so that change-password
   * can succeed too.
   */
  async function accessToken(name) {
    const user = {
      username: `${name}-${Date.now()}`,
      email: `${name}-${Date.now()}@example.test`,
      password: "Starting-passphrase-42",
    };
    await createUser(worker.url, user);
    await post(`${worker.url}/reg/user/resetPasswordRequest`, { username: user.username });
    const { code } = await nextMessage(worker.url, user.email, (m) => m.code);
    const exchanged = await post(`${worker.url}/reg/user/resetPasswordRequest`, { username: user.username, code });
    const reset = await post(`${worker.url}/reg/user/resetPassword`, {
      username: user.username, signedPayload: exchanged.body.signedPayload, newPassword: "Initial-passphrase-1",
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const info = await get(`${worker.url}/reg/user/info`, { authorization: `Bearer ${reset.body.token}` });
    assert.equal(info.status, 200);
    return reset.body.token;
  }

  test("finds no failure on any documented operation", { timeout: 15 * 60_000 }, async () => {
    // Credentials go to the security schemes the document names; Origin is fixed to the test
    // client's, so that dialect B's bodies are reached (its 401/403 have their own tests).
    // change-password gets a token of its own: once it succeeds, its account's earlier tokens are
    // revoked, and the one /reg/user/info uses must stay good.
    const config = [
      "[parameters]",
      `"header.Origin" = ${JSON.stringify(ORIGIN)}`,
      "",
      "[auth.openapi.accessToken]",
      `bearer = ${JSON.stringify(await accessToken("fuzz-info"))}`,
      "",
      "[auth.openapi.adminToken]",
      `bearer = ${JSON.stringify(ADMIN_TOKEN)}`,
      "",
      "[auth.openapi.introspectionToken]",
      `bearer = ${JSON.stringify(INTROSPECTION_TOKEN)}`,
      "",
      "[auth.openapi.apiKey]",
      `api_key = ${JSON.stringify(API_KEY)}`,
      "",
      "[auth.openapi.clientId]",
      `api_key = ${JSON.stringify(CLIENT_ID)}`,
      "",
      "[[operations]]",
      'include-operation-id = "userChangePassword"',
      `headers = { Authorization = ${JSON.stringify(`Bearer ${await accessToken("fuzz-change")}`)} }`,
    ];
    const code = await schemathesis(worker.url, {
      config, checks: CHECKS, phases: "examples,coverage,fuzzing", maxExamples: MAX_EXAMPLES,
    });
    assert.equal(code, 0, `schemathesis reported failures (exit ${code}); see its output above`);
  });
});

describe("schemathesis against a misconfigured Worker", () => {
  let worker;
  before(async () => { worker = await startWorker(baseVars({ KEYS: "" })); });
  after(async () => { await worker?.stop(); });

  test("every operation's bare 503 answer is documented", { timeout: 10 * 60_000 }, async () => {
    const probe = await get(`${worker.url}/openapi.json`);
    assert.equal(probe.status, 503);
    assert.equal(probe.body, "");
    assert.match(probe.headers.get("content-type"), /^text\/plain/);
    // Every answer is that 503 here, so not_a_server_error is left out: the other checks ask that
    // each operation documents it, with its content type and shape.
    const code = await schemathesis(worker.url, {
      config: [],
      checks: CHECKS.filter((check) => check !== "not_a_server_error"),
      phases: "examples,fuzzing",
      maxExamples: 5,
    });
    assert.equal(code, 0, `schemathesis reported failures (exit ${code}); see its output above`);
  });
});
