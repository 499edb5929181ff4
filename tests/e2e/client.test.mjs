// The npm package's createResetClient against the built Worker (not a recorder): every route of every
// dialect driven through the client only, codes and links read through its dev.outbox, and the
// failures a frontend meets: ResetApiError with status, body and retryAfter, and PwresetError
// network_error once the Worker is gone. The package is imported through its Node entry.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { PwresetError, ResetApiError, createResetClient } from "../../npm/src/entry-node.js";
import { ADMIN_TOKEN, CLIENT_ID, ORIGIN, baseVars, startWorker } from "./worker-harness.mjs";

const API_KEY = baseVars().API_KEYS;
let worker;
let stopped = false;
let client;
let serial = 0;

before(async () => {
  worker = await startWorker(baseVars());
  client = createResetClient({ baseUrl: worker.url, clientId: CLIENT_ID, origin: ORIGIN, apiKey: API_KEY });
});

after(async () => {
  if (!stopped) await worker?.stop();
});

/** A fresh account, created through the client's admin route; returns it with its id. */
async function newUser(extra = {}) {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = {
    username: `client${stamp}`,
    email: `client${stamp}@example.test`,
    password: "Initial-Pass-word-1!",
    phone: `+4477005${String(serial).padStart(5, "0")}`,
    first_name: "Pat",
    ...extra,
  };
  const created = await client.admin.createUser(ADMIN_TOKEN, user);
  assert.deepEqual(Object.keys(created), ["id"]);
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  return { ...user, id: created.id };
}

/** The newest outbox message to `to` that `match` accepts and `seen` does not hold, read through the client. */
async function message(to, match, seen = new Set()) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const messages = await client.dev.outbox(to);
    assert.ok(Array.isArray(messages));
    const found = messages.find((m) => match(m) && !seen.has(m.id));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no message to ${to} in 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The ids of the messages to `to` so far. */
async function seenIds(to) {
  return new Set((await client.dev.outbox(to)).map((m) => m.id));
}

/** Asserts that `promise` rejects with a ResetApiError of `status` whose body passes `check`. */
async function refused(promise, status, check = () => {}) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ResetApiError, String(error));
    assert.equal(error.status, status, JSON.stringify(error.body));
    check(error.body, error);
    return true;
  });
}

describe("dialect A (reg) through the client", () => {
  test("request a code, trade it for a payload, reset, then read the account with the token", async () => {
    const user = await newUser();
    assert.deepEqual(await client.reg.resetPasswordRequest({ username: user.username }), { status: "success" });
    const mail = await message(user.email, (m) => m.code);
    assert.equal(mail.channel, "email");
    assert.equal(mail.to, user.email);
    assert.equal(typeof mail.created_at, "number");
    assert.match(mail.code, /^[0-9]{6}$/);
    const traded = await client.reg.resetPasswordRequest({ username: user.username, code: mail.code });
    assert.equal(traded.status, "success");
    assert.match(traded.signedPayload, /^[A-Za-z0-9_-]+$/);

    await refused(client.reg.resetPassword({ newPassword: "password", signedPayload: traded.signedPayload, username: user.username }), 400, (body) => {
      assert.equal(body.status, "fail");
      assert.deepEqual(body.errors.map((e) => [e.field, e.code]), [["newPassword", "password_too_common"]]);
    });
    const reset = await client.reg.resetPassword({ newPassword: "Fresh-Pass-word-22!", signedPayload: traded.signedPayload, username: user.username });
    assert.equal(reset.status, "success");
    assert.equal(typeof reset.token, "string");

    const info = await client.reg.userInfo(reset.token);
    assert.deepEqual(Object.keys(info).sort(), ["accounts", "addresses", "approved", "emails", "phone", "primaryEmail", "userGroups", "userScopes", "userType"]);
    assert.equal(info.primaryEmail.email, user.email);
    assert.equal(info.phone, user.phone);
    assert.equal(info.userType, "CUSTOMER");
    await refused(client.reg.userInfo("not-a-token"), 401, (body) => assert.equal(body.errors[0].code, "unauthorized"));
    await refused(client.reg.resetPasswordRequest({ username: user.username, code: mail.code }), 400, (body) =>
      assert.equal(body.errors[0].code, "invalid_secret"));
  });

  test("an account without a phone reads back phone null", async () => {
    const { phone, ...withoutPhone } = await newUser({ phone: undefined });
    assert.equal(phone, undefined);
    await client.reg.resetPasswordRequest({ username: withoutPhone.username });
    const { code } = await message(withoutPhone.email, (m) => m.code);
    const { signedPayload } = await client.reg.resetPasswordRequest({ username: withoutPhone.username, code });
    const { token } = await client.reg.resetPassword({ newPassword: "Fresh-Pass-word-23!", signedPayload, username: withoutPhone.username });
    assert.equal((await client.reg.userInfo(token)).phone, null);
  });
});

describe("dialect B (auth v1) through the client", () => {
  test("forgotpass e-mails a link; resetpass with its token sets the password once", async () => {
    const user = await newUser();
    assert.deepEqual(await client.authV1.forgotpass({ email: user.email }), { status: "success" });
    const mail = await message(user.email, (m) => m.link);
    const token = new URL(mail.link).searchParams.get("token");
    assert.match(token, /^[0-9a-f]{64}$/);
    await refused(client.authV1.resetpass({ token, password: "Linked-Pass-word-1!", passwordConfirm: "Linked-Pass-word-2!" }), 400, (body) =>
      assert.deepEqual(body.errors.map((e) => [e.field, e.code]), [["passwordConfirm", "password_mismatch"]]));
    const done = await client.authV1.resetpass({ token, password: "Linked-Pass-word-1!", passwordConfirm: "Linked-Pass-word-1!" });
    assert.equal(done.status, "success");
    assert.equal((await client.reg.userInfo(done.token)).primaryEmail.email, user.email);
    await refused(client.authV1.resetpass({ token, password: "Linked-Pass-word-3!", passwordConfirm: "Linked-Pass-word-3!" }), 400, (body) =>
      assert.equal(body.errors[0].code, "invalid_secret"));
  });

  test("forgotpass/mobile texts a code; resetpass/mobile redeems it with the phone and without it", async () => {
    for (const withPhone of [true, false]) {
      const user = await newUser();
      assert.deepEqual(await client.authV1.forgotpassMobile({ phone: user.phone }), { status: "success" });
      const sms = await message(user.phone, (m) => m.code);
      assert.equal(sms.channel, "sms");
      assert.equal(sms.to, user.phone);
      const body = { token: sms.code, password: "Mobile-Pass-word-9!", passwordConfirm: "Mobile-Pass-word-9!" };
      if (withPhone) body.phone = user.phone;
      const done = await client.authV1.resetpassMobile(body);
      assert.equal(done.status, "success", `with phone: ${withPhone}`);
      assert.equal((await client.reg.userInfo(done.token)).phone, user.phone);
      await refused(client.authV1.resetpassMobile(body), 400, (answer) => assert.equal(answer.errors[0].code, "invalid_secret"));
    }
  });

  test("without a registered client_id, or from another origin, the Worker refuses", async () => {
    const anonymous = createResetClient({ baseUrl: worker.url, origin: ORIGIN });
    await refused(anonymous.authV1.forgotpass({ email: "x@example.test" }), 401, (body) => assert.equal(body.errors[0].code, "unknown_client"));
    const elsewhere = createResetClient({ baseUrl: worker.url, clientId: CLIENT_ID, origin: "https://evil.example" });
    await refused(elsewhere.authV1.forgotpass({ email: "x@example.test" }), 403, (body) => assert.equal(body.errors[0].code, "forbidden_origin"));
  });
});

describe("dialect C (user) through the client", () => {
  test("forgot-password e-mails a link with user and token; submit resets; change-password changes it again", async () => {
    const user = await newUser();
    const asked = await client.user.forgotPassword({ email: user.username });
    assert.equal(asked.status_code, 200);
    assert.equal(typeof asked.message, "string");
    const mail = await message(user.email, (m) => m.link);
    const link = new URL(mail.link);
    const [id, token] = [link.searchParams.get("user"), link.searchParams.get("token")];
    assert.equal(id, user.id);
    await refused(client.user.forgotPasswordSubmit({ user: id, token, new_password: "abc" }), 400, (body) => {
      assert.equal(body.error_type, "Validation Error");
      assert.ok(body.errors.some((e) => e.description === "Your password must contain at least 8 characters."));
    });
    const submitted = await client.user.forgotPasswordSubmit({ user: id, token, new_password: "Good-Pass-word-9!" });
    assert.deepEqual([submitted.status_code, typeof submitted.message, typeof submitted.token], [200, "string", "string"]);

    await refused(
      client.user.changePassword(submitted.token, { old_password: "nope", new_password: "Final-Pass-word-6!", confirm_password: "Final-Pass-word-6!" }),
      401,
      (body) => assert.deepEqual(body.errors, [{ field: "old_password", description: "Your old password was entered incorrectly. Please enter it again." }]),
    );
    const changed = await client.user.changePassword(submitted.token, {
      old_password: "Good-Pass-word-9!", new_password: "Final-Pass-word-6!", confirm_password: "Final-Pass-word-6!",
    });
    assert.deepEqual([changed.status_code, typeof changed.token], [200, "string"]);
    assert.equal((await client.reg.userInfo(changed.token)).primaryEmail.email, user.email, "dialect C's token works in A");
  });

  test("without the apikey the Worker refuses with the dialect's own error shape", async () => {
    const keyless = createResetClient({ baseUrl: worker.url });
    await refused(keyless.user.forgotPassword({ email: "someone" }), 401, (body) => assert.equal(body.error_type, "Authentication Error"));
  });
});

describe("admin, dev and the OpenAPI document through the client", () => {
  test("createUser: 201 with an id; a taken username is 409; a wrong admin token 401", async () => {
    const user = await newUser();
    await refused(client.admin.createUser(ADMIN_TOKEN, { username: user.username, email: "other@example.test", password: "x" }), 409, (body) =>
      assert.equal(body.error, "conflict"));
    await refused(client.admin.createUser("wrong-admin-token-0123456789", { username: "u", email: "u@example.test", password: "x" }), 401, (body) =>
      assert.equal(body.error, "unauthorized"));
  });

  test("dev.outbox reads a phone number's messages (the + survives the query string)", async () => {
    const user = await newUser();
    const before = await seenIds(user.phone);
    await client.authV1.forgotpassMobile({ phone: user.phone });
    const sms = await message(user.phone, (m) => m.code, before);
    assert.deepEqual(Object.keys(sms).sort(), ["channel", "code", "created_at", "id", "subject", "text", "to"]);
    assert.deepEqual(await client.dev.outbox(`nobody-${Date.now()}@example.test`), []);
  });

  test("openapi() is the Worker's OpenAPI 3.1 document, naming the client's routes", async () => {
    const document = await client.openapi();
    assert.match(document.openapi, /^3\.1\./);
    for (const path of [
      "/reg/user/resetPasswordRequest", "/reg/user/resetPassword", "/reg/user/info", "/api/v1/auth/forgotpass",
      "/api/v1/auth/forgotpass/mobile", "/api/v1/auth/resetpass", "/api/v1/auth/resetpass/mobile", "/admin/users", "/dev/outbox",
    ]) {
      assert.ok(document.paths[path], path);
    }
  });
});

describe("failures a frontend meets", () => {
  test("a rate limit is a ResetApiError with status 429, the body and retryAfter in seconds", async () => {
    // request_per_identifier allows 100 requests a minute per address under wrangler dev; the
    // window is fixed, so keep asking until the limit answers (at most two windows' worth).
    const email = `limited-${Date.now()}@example.test`;
    let limited = null;
    for (let i = 0; i < 250 && !limited; i += 1) {
      try {
        await client.authV1.forgotpass({ email });
      } catch (error) {
        limited = error;
      }
    }
    assert.ok(limited instanceof ResetApiError, String(limited));
    assert.equal(limited.status, 429);
    assert.equal(limited.retryAfter, 60);
    assert.equal(limited.body.status, "fail");
    assert.deepEqual(limited.body.errors.map((e) => [e.field, e.code]), [["request", "rate_limited"]]);
  });

  test("once the Worker is stopped, every call is a PwresetError network_error", async () => {
    const { url } = worker;
    await worker.stop();
    stopped = true;
    const calls = [
      () => client.openapi(),
      () => client.reg.resetPasswordRequest({ username: "jane" }),
      () => client.dev.outbox("jane@example.test"),
    ];
    for (const call of calls) {
      await assert.rejects(call(), (error) => {
        assert.ok(error instanceof PwresetError, String(error));
        assert.equal(error.code, "network_error");
        assert.ok(error.message.startsWith(`could not reach the reset API at ${url}/`), error.message);
        assert.ok(!error.message.includes("jane"), "no query or body in the message");
        return true;
      });
    }
  });
});
