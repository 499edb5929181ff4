// The built Worker end to end, over HTTP on 127.0.0.1, with its real local KV, Durable Objects,
// Queues and rate limits: dialects A and B, the shared rules, admin and dev routes.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  ADMIN_TOKEN, CLIENT_ID, ORIGIN, TEST_KEYS, baseVars, createUser, eventually, get, linkPattern,
  nextMessage, post, startWorker,
} from "./worker-harness.mjs";

const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
const C_HEADERS = { apikey: baseVars().API_KEYS };
let worker;
let url;
let serial = 0;

/** A fresh account (unique names), with its password. */
async function newUser(extra = {}) {
  serial += 1;
  const user = {
    username: `user${serial}-${Date.now()}`,
    email: `user${serial}-${Date.now()}@example.test`,
    password: "Initial-passphrase-1",
    phone: `+4477009${String(serial).padStart(5, "0")}`,
    first_name: "Pat",
    ...extra,
  };
  user.id = await createUser(url, user);
  return user;
}

before(async () => {
  worker = await startWorker(baseVars());
  url = worker.url;
});

after(async () => {
  await worker?.stop();
});

describe("dialect A (reg)", () => {
  test("a code by e-mail buys a signed payload, which sets the password and returns a token", async () => {
    const user = await newUser();
    const requested = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username });
    assert.deepEqual([requested.status, requested.body], [200, { status: "success" }]);
    const message = await nextMessage(url, user.email, (m) => m.code);
    assert.match(message.code, /^[0-9]{6}$/);
    const step2 = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code: message.code });
    assert.equal(step2.status, 200);
    assert.equal(step2.body.status, "success");
    assert.match(step2.body.signedPayload, /^[A-Za-z0-9_-]+$/);
    const reset = await post(`${url}/reg/user/resetPassword`, {
      username: user.username, signedPayload: step2.body.signedPayload, newPassword: "Fresh-passphrase-22",
    });
    assert.equal(reset.status, 200);
    assert.equal(reset.body.status, "success");
    const info = await get(`${url}/reg/user/info`, { authorization: `Bearer ${reset.body.token}` });
    assert.equal(info.status, 200);
    assert.deepEqual(Object.keys(info.body).sort(), ["accounts", "addresses", "approved", "emails", "phone", "primaryEmail", "userGroups", "userScopes", "userType"]);
    assert.equal(info.body.primaryEmail.email, user.email);
    assert.equal(info.body.userType, "CUSTOMER");
    // Replay of the payload is refused.
    const replay = await post(`${url}/reg/user/resetPassword`, {
      username: user.username, signedPayload: step2.body.signedPayload, newPassword: "Other-passphrase-33",
    });
    assert.equal(replay.status, 401);
    // A "password changed" notice went out.
    await nextMessage(url, user.email, (m) => /changed/i.test(m.subject));
  });

  test("a policy refusal answers 400 and leaves the payload usable", async () => {
    const user = await newUser();
    await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username });
    const { code } = await nextMessage(url, user.email, (m) => m.code);
    const { body } = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code });
    const weak = await post(`${url}/reg/user/resetPassword`, { username: user.username, signedPayload: body.signedPayload, newPassword: "password" });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.errors[0].code, "password_too_common");
    assert.equal(weak.body.errors[0].field, "newPassword");
    const good = await post(`${url}/reg/user/resetPassword`, { username: user.username, signedPayload: body.signedPayload, newPassword: "Good-passphrase-44" });
    assert.equal(good.status, 200);
  });

  test("five wrong codes burn it: the right code is refused after", async () => {
    const user = await newUser();
    await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username });
    const { code } = await nextMessage(url, user.email, (m) => m.code);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i += 1) {
      const res = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code: wrong });
      assert.equal(res.status, 400);
    }
    const sixth = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code });
    assert.equal(sixth.status, 400);
  });

  test("concurrent wrong guesses never count past the cap", async () => {
    const user = await newUser();
    await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username });
    const { code } = await nextMessage(url, user.email, (m) => m.code);
    const wrongs = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
    const answers = await Promise.all(wrongs.map((w) => post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code: w })));
    assert.ok(answers.every((a) => a.status === 400));
    const right = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code });
    assert.equal(right.status, 400, "the code burnt after 5 of the concurrent wrong tries");
  });

  test("tampered and foreign payloads are refused with 401", async () => {
    const user = await newUser();
    const other = await newUser();
    await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username });
    const { code } = await nextMessage(url, user.email, (m) => m.code);
    const { body } = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code });
    const payload = body.signedPayload;
    const flipped = payload.slice(0, 10) + (payload[10] === "A" ? "B" : "A") + payload.slice(11);
    for (const [username, signedPayload] of [[user.username, flipped], [other.username, payload], [user.username, "garbage"]]) {
      const res = await post(`${url}/reg/user/resetPassword`, { username, signedPayload, newPassword: "Fine-passphrase-55" });
      assert.equal(res.status, 401, `${username} ${signedPayload.slice(0, 12)}`);
    }
  });

  test("an access token dies when the password changes again", async () => {
    const user = await newUser();
    const token = await resetByLink(user, "First-new-passphrase-1");
    assert.equal((await get(`${url}/reg/user/info`, { authorization: `Bearer ${token}` })).status, 200);
    await resetByLink(user, "Second-new-passphrase-2");
    assert.equal((await get(`${url}/reg/user/info`, { authorization: `Bearer ${token}` })).status, 401);
  });
});

/** Dialect B's link flow; returns the access token. */
async function resetByLink(user, password) {
  const before = await get(`${url}/dev/outbox?to=${encodeURIComponent(user.email)}`);
  const seen = new Set(before.body.map((m) => m.id));
  const res = await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B_HEADERS);
  assert.equal(res.status, 200);
  const message = await nextMessage(url, user.email, (m) => m.link && !seen.has(m.id));
  const token = new URL(message.link).searchParams.get("token");
  const done = await post(`${url}/api/v1/auth/resetpass`, { token, password, passwordConfirm: password }, B_HEADERS);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return done.body.token;
}

describe("dialect B (auth v1)", () => {
  test("an e-mailed link built from PUBLIC_URL resets once; its token is a Bearer for dialect A", async () => {
    const user = await newUser();
    const res = await post(`${url}/api/v1/auth/forgotpass`, { email: user.email }, { ...B_HEADERS, host: "evil.example" });
    assert.deepEqual([res.status, res.body], [200, { status: "success" }]);
    assert.equal(res.headers.get("access-control-allow-origin"), ORIGIN);
    const message = await nextMessage(url, user.email, (m) => m.link);
    assert.match(message.link, linkPattern("/reset", "\\?token=[0-9a-f]{64}", { whole: true }));
    const token = new URL(message.link).searchParams.get("token");
    const mismatch = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Linked-passphrase-1", passwordConfirm: "Linked-passphrase-2" }, B_HEADERS);
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.status, "fail");
    assert.equal(mismatch.body.errors[0].field, "passwordConfirm");
    assert.equal(mismatch.body.errors[0].code, "password_mismatch");
    const done = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Linked-passphrase-1", passwordConfirm: "Linked-passphrase-1" }, B_HEADERS);
    assert.equal(done.status, 200);
    const again = await post(`${url}/api/v1/auth/resetpass`, { token, password: "Linked-passphrase-3", passwordConfirm: "Linked-passphrase-3" }, B_HEADERS);
    assert.equal(again.status, 400);
    const info = await get(`${url}/reg/user/info`, { authorization: `Bearer ${done.body.token}` });
    assert.equal(info.status, 200);
  });

  test("an SMS code resets with the phone and without it", async () => {
    for (const withPhone of [true, false]) {
      const user = await newUser();
      const res = await post(`${url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, B_HEADERS);
      assert.equal(res.status, 200);
      const { code, channel, to } = await nextMessage(url, user.phone, (m) => m.code);
      assert.equal(channel, "sms");
      assert.equal(to, user.phone);
      const body = { token: code, password: "Mobile-passphrase-9", passwordConfirm: "Mobile-passphrase-9" };
      if (withPhone) body.phone = user.phone;
      const done = await post(`${url}/api/v1/auth/resetpass/mobile`, body, B_HEADERS);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      const replay = await post(`${url}/api/v1/auth/resetpass/mobile`, body, B_HEADERS);
      assert.equal(replay.status, 400);
    }
  });

  test("clients and origins are checked; preflight is answered per registered origin", async () => {
    const body = { email: "x@example.test" };
    assert.equal((await post(`${url}/api/v1/auth/forgotpass`, body, { origin: ORIGIN })).status, 401);
    assert.equal((await post(`${url}/api/v1/auth/forgotpass`, body, { client_id: "nope", origin: ORIGIN })).status, 401);
    assert.equal((await post(`${url}/api/v1/auth/forgotpass`, body, { client_id: CLIENT_ID, origin: "https://evil.example" })).status, 403);
    const preflight = await fetch(`${url}/api/v1/auth/resetpass`, { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type, client_id" } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), ORIGIN);
    assert.match(preflight.headers.get("access-control-allow-headers"), /client_id/);
    const foreign = await fetch(`${url}/api/v1/auth/resetpass`, { method: "OPTIONS", headers: { origin: "https://evil.example" } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get("access-control-allow-origin"), null);
  });
});

describe("shared rules", () => {
  test("reset requests answer alike for known and unknown accounts", async () => {
    const user = await newUser();
    const pairs = [
      [`${url}/reg/user/resetPasswordRequest`, { username: user.username }, { username: "nobody-here" }, {}],
      [`${url}/api/v1/auth/forgotpass`, { email: user.email }, { email: "nobody@example.test" }, B_HEADERS],
      [`${url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, { phone: "+15550000000" }, B_HEADERS],
    ];
    for (const [route, known, unknown, headers] of pairs) {
      const a = await post(route, known, headers);
      const b = await post(route, unknown, headers);
      assert.deepEqual([a.status, a.body], [b.status, b.body], route);
    }
  });

  test("a refused secret is answered no sooner than REFUSAL_MIN_MS after it was sent, for a known and an unknown name", async () => {
    const user = await newUser();
    const minimum = Number(baseVars().REFUSAL_MIN_MS);
    for (const username of [user.username, "nobody-here"]) {
      const sent = performance.now();
      const res = await post(`${url}/reg/user/resetPasswordRequest`, { username, code: "000000" });
      const took = performance.now() - sent;
      assert.equal(res.status, 400);
      // The Worker waits on a timer from the request's arrival, which comes after the send.
      assert.ok(took >= minimum, `${username}: answered after ${took.toFixed(1)} ms`);
    }
  });

  test("bad bodies get a 4xx in the dialect's shape, never a 5xx", async () => {
    const cases = [
      ["not json", 400, "invalid_json"],
      ["[1,2]", 400, "invalid_json"],
      [JSON.stringify({}), 400, "field_required"],
      [JSON.stringify({ username: 42 }), 400, "field_invalid"],
      [JSON.stringify({ username: "x".repeat(17_000) }), 413, "body_too_large"],
    ];
    for (const [body, status, code] of cases) {
      const a = await post(`${url}/reg/user/resetPasswordRequest`, body);
      assert.equal(a.status, status, body.slice(0, 20));
      assert.equal(a.body.status ?? a.body.error, a.body.status ? "fail" : code);
      const b = await post(`${url}/api/v1/auth/resetpass`, body, B_HEADERS);
      assert.equal(b.status, status);
    }
  });

  test("a body not sent as application/json gets 415 in the route's shape and mails nothing", async () => {
    const user = await newUser();
    // What a form or fetch() on a foreign page may send without a CORS preflight.
    const plain = (route, body, headers = {}) => post(`${url}${route}`, JSON.stringify(body), { "content-type": "text/plain;charset=UTF-8", ...headers });
    const a = await plain("/reg/user/resetPasswordRequest", { username: user.username });
    assert.equal(a.status, 415);
    assert.deepEqual([a.body.status, a.body.errors[0].code, a.body.errors[0].field], ["fail", "unsupported_media_type", "content-type"]);
    const b = await plain("/api/v1/auth/forgotpass", { email: user.email }, B_HEADERS);
    assert.equal(b.status, 415);
    assert.equal(b.body.errors[0].code, "unsupported_media_type");
    assert.equal(b.headers.get("access-control-allow-origin"), ORIGIN);
    const c = await plain("/api/v1/user/forgot-password/", { email: user.email }, C_HEADERS);
    assert.deepEqual([c.status, c.body.status_code, c.body.error_type], [415, 415, "Unsupported Media Type"]);
    const form = await post(`${url}/api/v1/auth/forgotpass/mobile`, `phone=${encodeURIComponent(user.phone)}`, { ...B_HEADERS, "content-type": "application/x-www-form-urlencoded" });
    assert.equal(form.status, 415);
    const admin = await plain("/admin/users", { username: `${user.username}-2`, email: user.email, password: "x" }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    assert.deepEqual([admin.status, admin.body.error], [415, "unsupported_media_type"]);
    // JSON with its parameters is JSON.
    const json = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username }, { "content-type": "Application/JSON; charset=utf-8" });
    assert.equal(json.status, 200);
    // Only the JSON request reached the queue: one code, and nothing else, once it has arrived.
    await nextMessage(url, user.email, (m) => m.code);
    await new Promise((r) => setTimeout(r, 2_000));
    const outbox = await get(`${url}/dev/outbox?to=${encodeURIComponent(user.email)}`);
    assert.equal(outbox.body.length, 1, JSON.stringify(outbox.body));
  });

  test("unknown routes answer 404 and wrong methods 405, in JSON", async () => {
    const missing = await get(`${url}/no/such/route`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, "not_found");
    const wrong = await get(`${url}/reg/user/resetPassword`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "POST");
  });

  test("admin: 201 with the token, 401 without, 409 for a taken username, 400 for a bad field", async () => {
    const user = await newUser();
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    assert.equal((await post(`${url}/admin/users`, { username: "z", email: "z@example.test", password: "x" })).status, 401);
    assert.equal((await post(`${url}/admin/users`, { username: user.username, email: "q@example.test", password: "x" }, auth)).status, 409);
    const bad = await post(`${url}/admin/users`, { username: "q", email: "not-an-email", password: "x" }, auth);
    assert.deepEqual([bad.status, bad.body.field], [400, "email"]);
  });

  test("no password, code, link token, payload or key reaches the log", async () => {
    const logs = worker.logs();
    assert.ok(!logs.includes("Initial-passphrase-1"));
    assert.ok(!logs.includes("Fresh-passphrase-22"));
    assert.ok(!logs.includes(TEST_KEYS.split(":")[1]));
    assert.ok(!logs.includes(ADMIN_TOKEN));
    for (const event of worker.events()) {
      const text = JSON.stringify(event);
      assert.ok(!/\b[0-9a-f]{64}\b/.test(text), `a 64-hex value in ${text}`);
      assert.ok(!/"code":"[0-9]{6,10}"/.test(text), `a code in ${text}`);
    }
    assert.ok(worker.events().some((e) => e.event === "password_changed"), "audit events are logged");
  });
});

describe("configuration", () => {
  /** Every kind of route, as requests: the configuration decides before any route does. */
  const everyRoute = (base) => [
    ["POST", `${base}/reg/user/resetPasswordRequest`, { "content-type": "application/json" }, JSON.stringify({ username: "jane" })],
    ["POST", `${base}/api/v1/auth/forgotpass`, { "content-type": "application/json", ...B_HEADERS }, JSON.stringify({ email: "jane@example.test" })],
    ["OPTIONS", `${base}/api/v1/auth/forgotpass`, { origin: ORIGIN }],
    ["POST", `${base}/api/v1/user/forgot-password/`, { "content-type": "application/json", ...C_HEADERS }, JSON.stringify({ email: "jane" })],
    ["POST", `${base}/admin/users`, { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` }, "{}"],
    ["GET", `${base}/reg/user/info`, { authorization: "Bearer x" }],
    ["GET", `${base}/dev/outbox?to=jane%40example.test`, {}],
    ["GET", `${base}/reset?token=${"a".repeat(64)}`, {}],
    ["GET", `${base}/openapi.json`, {}],
    ["GET", `${base}/no/such/route`, {}],
  ];

  /** Checks that every route answers a bare 503; returns the problems the Worker logged. */
  async function bare503Everywhere(bad) {
    for (const [method, target, headers, body] of everyRoute(bad.url)) {
      const res = await fetch(target, { method, headers, body });
      const text = await res.text();
      assert.equal(res.status, 503, `${method} ${target}: ${text}`);
      assert.equal(text, "", `${method} ${target}: a body`);
      assert.match(res.headers.get("content-type"), /^text\/plain/, `${method} ${target}`);
    }
    const logged = await eventually(() => bad.events().find((e) => e.event === "configuration_invalid"));
    return logged.problems.join("\n");
  }

  test("a policy with min_score works in the default build: no rebuild, strength judged", async () => {
    const strict = await startWorker(baseVars({ PASSWORD_POLICY: JSON.stringify({ preset: "django", min_score: 3 }) }));
    try {
      // The dry run of an unknown link is the policy's verdict alone.
      const check = (password) => post(`${strict.url}/reset/check`, { token: "0".repeat(64), password });
      const weak = await check("Summer2026!");
      assert.equal(weak.status, 200, JSON.stringify(weak.body));
      assert.deepEqual(weak.body.errors.map((e) => e.code), ["password_too_weak"]);
      assert.ok(weak.body.strength.score < 3, JSON.stringify(weak.body.strength));
      const strong = await check("Velvet-Harbor-Lantern-83!");
      assert.equal(strong.status, 200, JSON.stringify(strong.body));
      assert.equal(strong.body.valid, true, JSON.stringify(strong.body));
      assert.ok(strong.body.strength.score >= 3);
      assert.equal(strict.events().find((e) => e.event === "configuration_invalid"), undefined);
    } finally {
      await strict.stop();
    }
  });

  test("a bad configuration answers a bare 503 on every route and logs its problems, without secrets", async () => {
    const bad = await startWorker(baseVars({ KEYS: "k1:short", CODE_TTL_SECONDS: "3600", EMAIL_PROVIDER: "pigeon" }));
    try {
      const problems = await bare503Everywhere(bad);
      assert.match(problems, /KEYS/);
      assert.match(problems, /CODE_TTL_SECONDS/);
      assert.match(problems, /EMAIL_PROVIDER/);
      const logged = bad.events().filter((e) => e.event === "configuration_invalid").map((e) => JSON.stringify(e)).join("\n");
      assert.ok(!logged.includes("k1:short"), logged);
    } finally {
      await bad.stop();
    }
  });

  // Development is chosen, never fallen into: without ENVIRONMENT=development the outbox is a
  // configuration error, so no route (the outbox least of all) is served.
  for (const environment of [undefined, "Production", "staging"]) {
    test(`ENVIRONMENT ${environment ?? "unset"} with the outbox: a bare 503 everywhere, /dev/outbox not served`, async () => {
      const vars = baseVars({ ENVIRONMENT: environment });
      if (environment === undefined) delete vars.ENVIRONMENT;
      const bad = await startWorker(vars);
      try {
        const problems = await bare503Everywhere(bad);
        assert.match(problems, /EMAIL_PROVIDER is outbox/);
        assert.match(problems, /SMS_PROVIDER is outbox/);
        assert.match(problems, /PUBLIC_URL must be an https/);
        assert.ok(!problems.includes(TEST_KEYS.split(":")[1]));
      } finally {
        await bad.stop();
      }
    });
  }

  test("ENVIRONMENT=development with a PUBLIC_URL that is not loopback is refused", async () => {
    const bad = await startWorker(baseVars({ PUBLIC_URL: "https://reset.example.test" }));
    try {
      const problems = await bare503Everywhere(bad);
      assert.match(problems, /PUBLIC_URL must be a loopback address/);
    } finally {
      await bad.stop();
    }
  });
});
