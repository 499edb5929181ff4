// createResetClient: every route's method, path, headers and body, and how answers come back. The
// server here is a local recorder, so these are the client's request shapes; tests/e2e/client.test.mjs
// drives the same client against the built Worker.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, it } from "node:test";

import { PwresetError, ResetApiError, createResetClient } from "pwreset";

let server;
let baseUrl;
let seen = [];
let answer = { status: 200, body: { status: "success" }, headers: {} };

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: body ? JSON.parse(body) : undefined });
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

async function last(call) {
  seen = [];
  const result = await call();
  assert.equal(seen.length, 1);
  return { result, request: seen[0] };
}

describe("routes", () => {
  const client = () => createResetClient({ baseUrl, clientId: "cid", apiKey: "key", origin: "http://app.test" });

  it("dialect A", async () => {
    let { request } = await last(() => client().reg.resetPasswordRequest({ username: "jane" }));
    assert.equal(request.method, "POST");
    assert.equal(request.url, "/reg/user/resetPasswordRequest");
    assert.equal(request.headers["content-type"], "application/json");
    assert.deepEqual(request.body, { username: "jane" });
    ({ request } = await last(() => client().reg.resetPassword({ newPassword: "N3w!pass", signedPayload: "p", username: "jane" })));
    assert.equal(request.url, "/reg/user/resetPassword");
    ({ request } = await last(() => client().reg.userInfo("tok")));
    assert.equal(request.method, "GET");
    assert.equal(request.url, "/reg/user/info");
    assert.equal(request.headers.authorization, "Bearer tok");
  });

  it("dialect B sends client_id and origin", async () => {
    const routes = [
      ["forgotpass", "/api/v1/auth/forgotpass", { email: "j@example.com" }],
      ["forgotpassMobile", "/api/v1/auth/forgotpass/mobile", { phone: "+15550100" }],
      ["resetpass", "/api/v1/auth/resetpass", { token: "t", password: "p", passwordConfirm: "p" }],
      ["resetpassMobile", "/api/v1/auth/resetpass/mobile", { token: "123456", password: "p", passwordConfirm: "p" }],
    ];
    for (const [method, path, body] of routes) {
      const { request } = await last(() => client().authV1[method](body));
      assert.equal(request.url, path);
      assert.equal(request.headers.client_id, "cid");
      assert.equal(request.headers.origin, "http://app.test");
      assert.deepEqual(request.body, body);
    }
  });

  it("dialect C sends apikey under the configured prefix and version", async () => {
    const custom = createResetClient({ baseUrl, apiKey: "key", prefix: "svc", version: "v2" });
    let { request } = await last(() => custom.user.forgotPassword({ email: "jane" }));
    assert.equal(request.url, "/svc/v2/user/forgot-password/");
    assert.equal(request.headers.apikey, "key");
    ({ request } = await last(() => client().user.forgotPasswordSubmit({ user: "u", token: "t", new_password: "p" })));
    assert.equal(request.url, "/api/v1/user/forgot-password-submit/");
    ({ request } = await last(() =>
      client().user.changePassword("tok", { old_password: "o", new_password: "n", confirm_password: "n" })));
    assert.equal(request.url, "/api/v1/user/profile/change-password/");
    assert.equal(request.headers.authorization, "Bearer tok");
    assert.equal(request.headers.apikey, "key");
  });

  it("operator and development routes", async () => {
    let { request } = await last(() => client().admin.createUser("admin", { username: "u", email: "e@x.test", password: "p" }));
    assert.equal(request.url, "/admin/users");
    assert.equal(request.headers.authorization, "Bearer admin");
    ({ request } = await last(() => client().dev.outbox("jane+1@example.com")));
    assert.equal(request.url, "/dev/outbox?to=jane%2B1%40example.com");
    ({ request } = await last(() => client().openapi()));
    assert.equal(request.url, "/openapi.json");
  });
});

describe("answers", () => {
  it("a 2xx resolves to the parsed body", async () => {
    answer = { status: 200, body: { status: "success", token: "abc" }, headers: {} };
    const body = await createResetClient({ baseUrl }).authV1.resetpass({ token: "t", password: "p", passwordConfirm: "p" });
    assert.deepEqual(body, { status: "success", token: "abc" });
  });

  it("a 429 throws ResetApiError with status, body and retryAfter", async () => {
    answer = { status: 429, body: { status: "fail", message: "slow down" }, headers: { "retry-after": "30" } };
    await assert.rejects(createResetClient({ baseUrl }).reg.resetPasswordRequest({ username: "x" }), (e) => {
      assert.ok(e instanceof ResetApiError);
      assert.equal(e.status, 429);
      assert.equal(e.retryAfter, 30);
      assert.deepEqual(e.body, { status: "fail", message: "slow down" });
      return true;
    });
  });

  it("a non-JSON error body is kept as text", async () => {
    answer = { status: 500, body: "oops", headers: {} };
    await assert.rejects(createResetClient({ baseUrl }).openapi(), (e) => e.status === 500 && e.body === "oops" && e.retryAfter === null);
    answer = { status: 200, body: { status: "success" }, headers: {} };
  });
});

describe("bad input", () => {
  it("is a PwresetError before any request is sent", () => {
    seen = [];
    assert.throws(() => createResetClient(), (e) => e instanceof PwresetError && e.code === "invalid_argument");
    assert.throws(() => createResetClient({ baseUrl: "not a url" }), (e) => e.code === "invalid_argument");
    assert.throws(() => createResetClient({ baseUrl }).reg.userInfo(""), (e) => e.code === "invalid_argument");
    assert.equal(seen.length, 0);
  });

  it("a network failure is a PwresetError naming the address, not a bare TypeError", async () => {
    // A port nothing listens on: the connection is refused.
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const client = createResetClient({ baseUrl: `http://127.0.0.1:${port}` });
    await assert.rejects(client.dev.outbox("jane@example.com"), (e) => {
      assert.ok(e instanceof PwresetError, String(e));
      assert.equal(e.code, "network_error");
      assert.match(e.message, new RegExp(`^could not reach the reset API at http://127\\.0\\.0\\.1:${port}/dev/outbox: `));
      assert.ok(!e.message.includes("jane"), "the query is not in the message");
      assert.ok(e.cause instanceof Error);
      return true;
    });
    const failing = createResetClient({ baseUrl, fetch: async () => Promise.reject(new TypeError("fetch failed")) });
    await assert.rejects(failing.openapi(), (e) => e.code === "network_error" && e.message.endsWith("fetch failed"));
  });

  it("a body that is not an object is refused", async () => {
    await assert.rejects(createResetClient({ baseUrl }).authV1.forgotpass("jane"), (e) => e.code === "invalid_argument");
  });
});
