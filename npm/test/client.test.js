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

  it("a body with a top-level message and no errors: that message", async () => {
    answer = { status: 429, body: { status: "fail", message: "slow down" }, headers: { "retry-after": "30" } };
    await assert.rejects(createResetClient({ baseUrl }).reg.resetPasswordRequest({ username: "x" }), (e) => {
      assert.equal(e.message, "slow down", "the body's message when it lists no errors");
      assert.deepEqual(e.errors, []);
      return true;
    });
  });

  it("a non-JSON error body is kept as text", async () => {
    answer = { status: 500, body: "oops", headers: {} };
    await assert.rejects(createResetClient({ baseUrl }).openapi(), (e) => e.status === 500 && e.body === "oops" && e.retryAfter === null);
    answer = { status: 200, body: { status: "success" }, headers: {} };
  });
});

// The error bodies each dialect answers (docs/api.md "Error shapes", the Worker's
// api/dialects/status_shape.rs, user.rs, admin.rs; the same texts tests/e2e asserts), and what
// ResetApiError makes of them: errors as [{ code, field, message }] and a message for people.
describe("errors, normalised per dialect", () => {
  /** Answers `body` with `status` to `call` and returns what it threw. */
  async function thrown(status, body, call, headers = {}) {
    answer = { status, body, headers };
    try {
      await call(createResetClient({ baseUrl, clientId: "cid", apiKey: "key", origin: "http://app.test" }));
    } catch (error) {
      return error;
    } finally {
      answer = { status: 200, body: { status: "success" }, headers: {} };
    }
    assert.fail("the call did not throw");
  }

  it("dialect A: a refused password lists every rule; the first one's text is the message", async () => {
    const body = {
      status: "fail",
      message: "The new password was refused.",
      errors: [
        { field: "newPassword", code: "password_too_short", message: "This password is too short. It must contain at least 8 characters." },
        { field: "newPassword", code: "password_too_common", message: "This password is too common." },
      ],
    };
    const e = await thrown(400, body, (c) => c.reg.resetPassword({ newPassword: "abc", signedPayload: "p", username: "jane" }));
    assert.ok(e instanceof ResetApiError);
    assert.equal(e.status, 400);
    assert.deepEqual(e.errors, [
      { code: "password_too_short", field: "newPassword", message: "This password is too short. It must contain at least 8 characters." },
      { code: "password_too_common", field: "newPassword", message: "This password is too common." },
    ]);
    assert.equal(e.message, "This password is too short. It must contain at least 8 characters.");
    assert.deepEqual(e.body, body, "the raw body is kept");
    assert.equal(e.retryAfter, null);
  });

  it("dialect A: a bad signed payload (401)", async () => {
    const text = "The reset code or link is invalid or has expired.";
    const e = await thrown(401, { status: "fail", message: text, errors: [{ field: "signedPayload", code: "invalid_secret", message: text }] }, (c) =>
      c.reg.resetPassword({ newPassword: "N3w!pass", signedPayload: "forged", username: "jane" }));
    assert.deepEqual([e.status, e.message, e.errors], [401, text, [{ code: "invalid_secret", field: "signedPayload", message: text }]]);
  });

  it("dialect B: an Origin the client did not register (403), and a rate limit with retry-after", async () => {
    const text = "This client may not be used from this origin.";
    let e = await thrown(403, { status: "fail", message: text, errors: [{ field: "origin", code: "forbidden_origin", message: text }] }, (c) =>
      c.authV1.forgotpass({ email: "jane@example.com" }));
    assert.deepEqual([e.status, e.message, e.errors], [403, text, [{ code: "forbidden_origin", field: "origin", message: text }]]);
    const limited = "Too many attempts. Try again later.";
    e = await thrown(
      429,
      { status: "fail", message: limited, errors: [{ field: "request", code: "rate_limited", message: limited }] },
      (c) => c.authV1.resetpass({ token: "t", password: "p", passwordConfirm: "p" }),
      { "retry-after": "60" },
    );
    assert.deepEqual([e.status, e.retryAfter, e.message, e.errors], [429, 60, limited, [{ code: "rate_limited", field: "request", message: limited }]]);
  });

  it("dialect C: description is the message, code is null (the dialect has none)", async () => {
    const body = {
      status_code: 400,
      error_type: "Validation Error",
      errors: [
        { field: "password", description: "Your password must contain at least 8 characters." },
        { field: "password", description: "Your password must contain at least one capital letter, small letter, number and special character." },
      ],
    };
    let e = await thrown(400, body, (c) => c.user.forgotPasswordSubmit({ user: "u", token: "t", new_password: "abc" }));
    assert.equal(e.status, 400);
    assert.deepEqual(e.errors, [
      { code: null, field: "password", message: "Your password must contain at least 8 characters." },
      { code: null, field: "password", message: "Your password must contain at least one capital letter, small letter, number and special character." },
    ]);
    assert.equal(e.message, "Your password must contain at least 8 characters.");
    assert.deepEqual(e.body, body);
    const wrong = "Your old password was entered incorrectly. Please enter it again.";
    e = await thrown(401, { status_code: 401, error_type: "Authentication Error", errors: [{ field: "old_password", description: wrong }] }, (c) =>
      c.user.changePassword("tok", { old_password: "o", new_password: "n", confirm_password: "n" }));
    assert.deepEqual([e.status, e.message, e.errors], [401, wrong, [{ code: null, field: "old_password", message: wrong }]]);
  });

  it("admin, dev and unknown routes: error is the code, field when one is at fault", async () => {
    let e = await thrown(409, { error: "conflict", message: "The username is taken." }, (c) =>
      c.admin.createUser("admin", { username: "u", email: "e@x.test", password: "p" }));
    assert.deepEqual([e.status, e.message, e.errors], [409, "The username is taken.", [{ code: "conflict", field: null, message: "The username is taken." }]]);
    e = await thrown(400, { error: "field_required", message: "The field \"to\" is required.", field: "to" }, (c) => c.dev.outbox("x"));
    assert.deepEqual(e.errors, [{ code: "field_required", field: "to", message: "The field \"to\" is required." }]);
    e = await thrown(404, { error: "not_found", message: "The outbox is off." }, (c) => c.dev.outbox("x"));
    assert.equal(e.message, "The outbox is off.");
  });

  it("an OAuth-style error_description is a message too", async () => {
    const e = await thrown(401, { error: "invalid_token", error_description: "The access token expired." }, (c) => c.reg.userInfo("tok"));
    assert.deepEqual([e.message, e.errors], ["The access token expired.", [{ code: "invalid_token", field: null, message: "The access token expired." }]]);
  });

  it("no usable body: no errors, and the status in the message", async () => {
    // A Worker whose configuration fails its checks answers a bare 503 with an empty body.
    let e = await thrown(503, "", (c) => c.openapi());
    assert.deepEqual([e.status, e.body, e.errors, e.message], [503, null, [], "reset API answered 503"]);
    e = await thrown(502, "<html>Bad gateway</html>", (c) => c.openapi());
    assert.deepEqual([e.body, e.errors, e.message], ["<html>Bad gateway</html>", [], "reset API answered 502"]);
    e = await thrown(400, { errors: [null, "x", { code: "field_invalid" }] }, (c) => c.openapi());
    assert.deepEqual([e.errors, e.message], [[{ code: "field_invalid", field: null, message: "reset API answered 400" }], "reset API answered 400"]);
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
