// checkBreached against a local fake of the Pwned Passwords range API: the server's rules (SHA-1 of
// the UTF-8 text, only the uppercase 5-digit prefix sent, `Add-Padding: true`, the match made here,
// zero-count padding never counts), and every way it can fail as a typed error.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";

import { PwresetError, checkBreached } from "pwreset";

import { sha1, startFakeRange } from "./support/fake-range.js";

const BREACHED = "Correct-Horse-Battery-1";
const UNICODE = "pässwörd-🔒-ß";
const PADDED = "Only-In-The-Padding-9";
let fake;

before(async () => {
  fake = await startFakeRange({ corpus: { [BREACHED]: 3861, password: 9_545_824, [UNICODE]: 2 }, padding: [PADDED] });
});
after(() => fake.close());
beforeEach(() => {
  fake.clear();
  fake.setFault(null);
});

/** Asserts that the one request sent held the prefix of `password`'s hash and nothing more of it. */
function onlyThePrefixLeft(password) {
  const hash = sha1(password);
  const requests = fake.requests();
  assert.equal(requests.length, 1);
  const [request] = requests;
  assert.equal(request.method, "GET");
  assert.equal(request.url, `/range/${hash.slice(0, 5)}`);
  assert.equal(request.headers["add-padding"], "true");
  assert.equal(request.body, "");
  const sent = `${request.url}\n${JSON.stringify(request.headers)}`.toUpperCase();
  // No 6-character piece of the hash past the prefix, and not the password, went anywhere.
  for (let start = 1; start + 6 <= hash.length; start += 1) {
    assert.ok(!sent.includes(hash.slice(start, start + 6)), `hash piece at ${start} was sent`);
  }
  assert.ok(!sent.includes(password.toUpperCase()));
}

describe("checkBreached", () => {
  it("finds a breached password with its count, sending only the 5-digit prefix with Add-Padding", async () => {
    assert.deepEqual(await checkBreached(BREACHED, { baseUrl: fake.url }), { breached: true, count: 3861 });
    onlyThePrefixLeft(BREACHED);
  });

  it("uses the server's hash: SHA-1 of the UTF-8 text, uppercase (\"password\" is 5BAA6…)", async () => {
    assert.deepEqual(await checkBreached("password", { baseUrl: fake.url }), { breached: true, count: 9_545_824 });
    assert.equal(fake.requests()[0].url, "/range/5BAA6");
    fake.clear();
    assert.deepEqual(await checkBreached(UNICODE, { baseUrl: fake.url }), { breached: true, count: 2 });
    onlyThePrefixLeft(UNICODE);
  });

  it("a password that is not listed is not breached", async () => {
    assert.deepEqual(await checkBreached("kD9#mQ2$vL7pX!-unlisted", { baseUrl: fake.url }), { breached: false, count: 0 });
    onlyThePrefixLeft("kD9#mQ2$vL7pX!-unlisted");
  });

  it("a zero-count padding line with the password's own suffix does not count", async () => {
    assert.deepEqual(await checkBreached(PADDED, { baseUrl: fake.url }), { breached: false, count: 0 });
    onlyThePrefixLeft(PADDED);
  });

  it("suffixes are matched in any case, as the server matches them", async () => {
    const lower = await startFakeRange({ corpus: { [BREACHED]: 5 }, lowercase: true });
    try {
      assert.deepEqual(await checkBreached(BREACHED, { baseUrl: lower.url }), { breached: true, count: 5 });
    } finally {
      await lower.close();
    }
  });

  it("a base URL with a path or a trailing slash is joined with /range/", async () => {
    await checkBreached(BREACHED, { baseUrl: `${fake.url}/pwned/` });
    await checkBreached(BREACHED, { baseUrl: new URL(`${fake.url}/`) });
    assert.deepEqual(
      fake.requests().map((r) => r.url),
      [`/pwned/range/${sha1(BREACHED).slice(0, 5)}`, `/range/${sha1(BREACHED).slice(0, 5)}`],
    );
  });

  it("uses the fetch it is given, with the URL, GET, the padding header and no referrer", async () => {
    const calls = [];
    const fetch = async (url, init) => {
      calls.push({ url, method: init.method, headers: init.headers, referrerPolicy: init.referrerPolicy, aborted: init.signal.aborted });
      return new Response(`${sha1("hunter2").slice(5)}:17\r\n${"0".repeat(35)}:0`, { status: 200 });
    };
    assert.deepEqual(await checkBreached("hunter2", { fetch }), { breached: true, count: 17 });
    assert.deepEqual(calls, [
      {
        url: `https://api.pwnedpasswords.com/range/${sha1("hunter2").slice(0, 5)}`,
        method: "GET",
        headers: { "Add-Padding": "true" },
        referrerPolicy: "no-referrer",
        aborted: false,
      },
    ]);
  });
});

describe("checkBreached failures", () => {
  const failed = (pattern) => (error) => {
    assert.ok(error instanceof PwresetError, String(error));
    assert.equal(error.code, "breached_check_failed");
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(sha1(BREACHED).slice(0, 5)), "no part of the hash in the message");
    return true;
  };

  it("an answer other than 200 is breached_check_failed", async () => {
    fake.setFault("503");
    await assert.rejects(checkBreached(BREACHED, { baseUrl: fake.url }), failed(/answered 503$/));
  });

  it("a 200 that is not a range (an HTML page) is breached_check_failed, not \"not breached\"", async () => {
    fake.setFault("html");
    await assert.rejects(checkBreached(BREACHED, { baseUrl: fake.url }), failed(/not a list of hash suffixes/));
  });

  it("no answer at all (connection refused) is breached_check_failed", async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(checkBreached(BREACHED, { baseUrl: `http://127.0.0.1:${port}` }), (error) => {
      failed(new RegExp(`^could not reach the range API at http://127\\.0\\.0\\.1:${port}/range/: `))(error);
      assert.ok(error.cause instanceof Error);
      return true;
    });
  });

  it("an answer slower than timeoutMs is breached_check_failed", async () => {
    fake.setFault("hang");
    await assert.rejects(checkBreached(BREACHED, { baseUrl: fake.url, timeoutMs: 150 }), failed(/no answer within 150 ms$/));
  });

  it("the caller's signal aborts it with code aborted, before or during the request", async () => {
    await assert.rejects(
      checkBreached(BREACHED, { baseUrl: fake.url, signal: AbortSignal.abort() }),
      (error) => error instanceof PwresetError && error.code === "aborted",
    );
    assert.equal(fake.requests().length, 0, "nothing is sent once aborted");
    fake.setFault("hang");
    const controller = new AbortController();
    const pending = checkBreached(BREACHED, { baseUrl: fake.url, signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (error) => error instanceof PwresetError && error.code === "aborted");
  });

  it("bad arguments are refused before anything is sent; an unpaired surrogate is not hashed", async () => {
    const cases = [
      [() => checkBreached(42), "invalid_argument"],
      [() => checkBreached("abc\ud800def", { baseUrl: fake.url }), "unpaired_surrogate"],
      [() => checkBreached("x", { baseUrl: "not a url" }), "invalid_argument"],
      [() => checkBreached("x", { baseUrl: "ftp://127.0.0.1/" }), "invalid_argument"],
      [() => checkBreached("x", { baseUrl: fake.url, timeoutMs: 0 }), "invalid_argument"],
      [() => checkBreached("x", { baseUrl: fake.url, fetch: "fetch" }), "invalid_argument"],
      [() => checkBreached("x", { baseUrl: fake.url, signal: "stop" }), "invalid_argument"],
      [() => checkBreached("x", { baseUrl: fake.url, timeout: 5 }), "invalid_argument"],
      [() => checkBreached("x", "https://example.test"), "invalid_argument"],
    ];
    for (const [call, code] of cases) {
      await assert.rejects(call(), (e) => e instanceof PwresetError && e.code === code, String(call));
    }
    assert.equal(fake.requests().length, 0);
  });
});
