// Guessing codes, end to end: the security properties behind `make bench-bruteforce`, checked
// on the built Worker with its development limits (no timing is asserted here).
// - A code takes at most 5 wrong tries, however they arrive: one after another, all at once, or
//   each from another client IP (wrangler dev passes a request's own CF-Connecting-IP header on
//   to the Worker, so "another IP" is simulated by that header). After the fifth, the right code
//   is refused too; after four, it still works.
// - Dialect B's code redeemed without `phone` is a guess against every live code; the day's
//   guess budget admits exactly budget / p failed guesses (budget 5 x 10^-5, p = live codes / 10^6:
//   50 with one live 6-digit code), from any number of IPs, all at once, and then every no-phone lookup answers
//   429 with retry-after until 00:00 UTC, the right code included, while redemption with `phone`
//   still works.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { CLIENT_ID, ORIGIN, baseVars, createUser, nextMessage, post, startWorker } from "./worker-harness.mjs";

const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
const NEW_PASSWORD = "Guessed-passphrase-77";
let worker;
let url;
let serial = 0;

before(async () => {
  worker = await startWorker(baseVars());
  url = worker.url;
});

after(async () => {
  await worker?.stop();
});

async function newUser() {
  serial += 1;
  const stamp = `${serial}-${Date.now()}`;
  const user = { username: `bf${stamp}`, email: `bf${stamp}@example.test`, password: "Initial-passphrase-1", phone: `+4477006${String(serial).padStart(5, "0")}` };
  user.id = await createUser(url, user);
  return user;
}

/** `count` distinct 6-digit codes, none of them `right`. */
function wrongCodes(right, count, from = 0) {
  const out = [];
  for (let n = from; out.length < count; n += 1) {
    const guess = String((Number(right) + 1 + n * 7919) % 1_000_000).padStart(6, "0");
    if (guess !== right && !out.includes(guess)) out.push(guess);
  }
  return out;
}

const ip = (n) => ({ "cf-connecting-ip": `203.0.113.${n % 250}` });

/** Asks dialect A for a code for `user`; returns it (read from the dev outbox). */
async function emailedCode(user) {
  const seen = new Set();
  const before = await fetch(`${url}/dev/outbox?to=${encodeURIComponent(user.email)}`).then((r) => r.json());
  for (const m of before) seen.add(m.id);
  assert.equal((await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username })).status, 200);
  return (await nextMessage(url, user.email, (m) => m.code && !seen.has(m.id))).code;
}

/** Asks dialect B for an SMS code for `user`; returns it. */
async function textedCode(user) {
  const before = await fetch(`${url}/dev/outbox?to=${encodeURIComponent(user.phone)}`).then((r) => r.json());
  const seen = new Set(before.map((m) => m.id));
  assert.equal((await post(`${url}/api/v1/auth/forgotpass/mobile`, { phone: user.phone }, B_HEADERS)).status, 200);
  return (await nextMessage(url, user.phone, (m) => m.code && !seen.has(m.id))).code;
}

const guessA = (user, code, headers = {}) => post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code }, headers);
const guessB = (code, phone, headers = {}) => post(`${url}/api/v1/auth/resetpass/mobile`,
  { token: code, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD, ...(phone ? { phone } : {}) }, { ...B_HEADERS, ...headers });

// First, while the only live SMS code is the one this test asks for (N = 1), the daily budget.
describe("dialect B without phone: the day's guess budget", () => {
  test("admits exactly 50 failed guesses with one live 6-digit code, from 70 IPs, 10 at a time, then 429 for everyone", async () => {
    const user = await newUser();
    const code = await textedCode(user);
    const guesses = wrongCodes(code, 70);
    const answers = [];
    // 7 rounds of 10 concurrent guesses, each guess from another IP.
    for (let round = 0; round < 7; round += 1) {
      const batch = guesses.slice(round * 10, round * 10 + 10);
      answers.push(...await Promise.all(batch.map((g, i) => guessB(g, null, ip(round * 10 + i)))));
    }
    const failed = answers.filter((a) => a.status === 400);
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(failed.length + refused.length, answers.length, `only 400 and 429: ${[...new Set(answers.map((a) => a.status))]}`);
    assert.ok(failed.every((a) => a.body.errors[0].code === "invalid_secret"));
    assert.equal(failed.length, 50, "budget 5 x 10^-5 / p 10^-6 = 50 failed guesses admitted, no more");
    const secondsToMidnight = 86_400 - (Math.floor(Date.now() / 1000) % 86_400);
    for (const r of refused) {
      assert.deepEqual([r.body.errors[0].code, r.body.errors[0].field], ["phone_required", "phone"]);
      const retryAfter = Number(r.headers.get("retry-after"));
      assert.ok(Math.abs(retryAfter - secondsToMidnight) <= 120, `retry-after ${retryAfter}, to midnight ${secondsToMidnight}`);
    }
    // Spent for everyone: the right code without phone is refused too, from a fresh IP.
    assert.equal((await guessB(code, null, ip(249))).status, 429);
    // Redemption with the phone is not affected.
    const withPhone = await guessB(code, user.phone, ip(248));
    assert.equal(withPhone.status, 200, JSON.stringify(withPhone.body));
  });
});

describe("per code: at most 5 wrong tries", () => {
  test("dialect A: four wrong tries leave the code usable; a fifth burns it, the right code is then refused", async () => {
    const user = await newUser();
    let code = await emailedCode(user);
    for (const wrong of wrongCodes(code, 4)) assert.equal((await guessA(user, wrong)).status, 400);
    assert.equal((await guessA(user, code)).status, 200, "the right code after 4 wrong tries");

    code = await emailedCode(user);
    for (const wrong of wrongCodes(code, 5)) assert.equal((await guessA(user, wrong)).status, 400);
    const right = await guessA(user, code);
    assert.equal(right.status, 400, "the right code after 5 wrong tries");
    assert.equal(right.body.errors[0].code, "secret_exhausted", "its tries are spent: ask for a new one");
  });

  test("dialect A: 30 concurrent wrong guesses from 30 IPs, then the right code from another: refused", async () => {
    const user = await newUser();
    const code = await emailedCode(user);
    const answers = await Promise.all(wrongCodes(code, 30).map((g, i) => guessA(user, g, ip(i))));
    assert.deepEqual(answers.filter((a) => a.status !== 400).map((a) => [a.status, a.body]), []);
    assert.equal((await guessA(user, code, ip(200))).status, 400, "burnt after the first 5 of them");
  });

  test("dialect A: the right code as the 21st of 40 guesses from 40 IPs is refused: the code burnt at the fifth wrong one", async () => {
    const user = await newUser();
    const code = await emailedCode(user);
    const guesses = wrongCodes(code, 39);
    guesses.splice(20, 0, code); // the right code as the 21st guess
    const statuses = [];
    for (const g of guesses) statuses.push((await guessA(user, g, ip(statuses.length))).status);
    assert.deepEqual([...new Set(statuses)], [400], "never 200: the code burnt at the fifth wrong guess");
  });

  test("dialect B with phone: five wrong codes from five IPs burn it; the sixth try (right) is refused", async () => {
    const user = await newUser();
    const code = await textedCode(user);
    for (const [i, wrong] of wrongCodes(code, 5).entries()) {
      const res = await guessB(wrong, user.phone, ip(100 + i));
      assert.equal(res.status, 400);
      assert.equal(res.body.errors[0].code, "invalid_secret");
    }
    assert.equal((await guessB(code, user.phone, ip(120))).status, 400);
  });

  test("dialect B with phone: 25 concurrent wrong guesses, then the right code: refused", async () => {
    const user = await newUser();
    const code = await textedCode(user);
    const answers = await Promise.all(wrongCodes(code, 25).map((g, i) => guessB(g, user.phone, ip(130 + i))));
    assert.deepEqual(answers.filter((a) => a.status !== 400).map((a) => [a.status, a.body]), []);
    assert.equal((await guessB(code, user.phone, ip(170))).status, 400);
  });

  test("a new code starts a new count of 5 (and the old one is dead)", async () => {
    const user = await newUser();
    const first = await emailedCode(user);
    for (const wrong of wrongCodes(first, 3)) assert.equal((await guessA(user, wrong)).status, 400);
    const second = await emailedCode(user);
    assert.equal((await guessA(user, first)).status, 400, "the replaced code is dead");
    for (const wrong of wrongCodes(second, 3)) assert.equal((await guessA(user, wrong)).status, 400);
    assert.equal((await guessA(user, second)).status, 200, "4 wrong tries on the new code, then right");
  });
});
