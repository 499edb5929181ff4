// Brute force: how many guesses at a live 6-digit code the limits let through, with the
// development limits (wrangler.toml's top level) and with the production limits (its
// [env.production] ratelimits, copied into a temp config under target/bench-attack/), from one
// client IP and from many. The built Worker runs under `wrangler dev` on 127.0.0.1.
//
// "Many IPs": the Worker keys its per-IP limits on the CF-Connecting-IP header. wrangler dev
// passes a request's own CF-Connecting-IP on to the Worker (it sets the header only when it is
// absent), so each request here names its IP in that header: one fixed address per attacker, or 64
// rotating ones per attacker from 198.18.0.0/15 (the benchmarking range; they are header values, no traffic goes there).
// On Cloudflare the edge sets the header itself, so a client cannot choose it: many IPs there
// means many real addresses (a botnet, or an IPv6 prefix: the limit keys on the full address).
//
// Scenarios, each for at most BF_SECONDS (default 125: parts of three 60-second windows), each
// attacker with its own victim account and its own IP or IPs:
// - dialect A: ask for a code (resetPasswordRequest {username}), then guess it
//   (resetPasswordRequest {username, code}) until it burns at the fifth wrong try, again and again;
// - dialect B with phone: the same with forgotpass/mobile {phone} and resetpass/mobile {phone, token};
// - dialect B without phone: resetpass/mobile {token} against every live SMS code, until the day's
//   guess budget answers 429 (first from one IP, then from many).
// The attacker is given every advantage: it learns the moment its new code is live from the dev
// outbox (a real one would have to wait and see), and a 429 makes it sleep to the next 60-second
// window exactly. Its guesses are wrong on purpose (it reads the code, and avoids it), so the run
// counts guesses; the chance of success is worked out from the counts: each code admits 5
// distinct guesses of 10^6, so a code falls with probability 5 × 10^-6.
// Run: make bench-bruteforce (or node benches/attack/bruteforce.mjs after make worker).

import { B_HEADERS, loadVars, ADMIN_TOKEN } from "./vars.mjs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { OUT_DIR, developmentLimits, fmt, productionLimits, runContext, send, sleep, startWrangler, writeConfig } from "./lib.mjs";

const SECONDS = Number(process.env.BF_SECONDS ?? 125);
const MANY = 64;
const DIGITS = 6;
const TRIES = 5;
const password = "Guessing-passphrase-7x";

/** The client IP of request `n`: one fixed address per attacker, or 64 rotating ones. */
const ipOf = (mode, n, attacker) => (mode === "one IP" ? `198.18.0.${attacker}` : `198.18.${1 + attacker}.${1 + (n % MANY)}`);
const untilNextWindow = () => 60_000 - (Date.now() % 60_000) + 50;

/** Distinct wrong guesses for `right`. */
function* wrongGuesses(right) {
  for (let n = 1; ; n += 1) {
    const g = String((Number(right) + n * 104_729) % 10 ** DIGITS).padStart(DIGITS, "0");
    if (g !== right) yield g;
  }
}

// The dev outbox is limited per IP like the admin routes (60 a minute in production): this
// benchmark's own reads of it (the attacker's oracle, not part of the attack) rotate over 256
// addresses of 192.0.2.0/24 so they are never the bottleneck.
let outboxReads = 0;
async function newestCode(url, to, seen) {
  const res = await send(`${url}/dev/outbox?to=${encodeURIComponent(to)}`, undefined, { "cf-connecting-ip": `192.0.2.${outboxReads++ % 256}` }, "GET");
  const m = Array.isArray(res.body) ? res.body.find((x) => x.code && !seen.has(x.id)) : undefined;
  return m;
}

/** One attacker on one victim, per-account codes (dialect A, or B with phone). */
async function perCodeAttack(url, dialect, mode, victim, deadline, attacker) {
  const c = { codes: 0, guesses: 0, limited: 0, requests: 0, burntChecked: "not checked (the run ended mid-code)" };
  const seen = new Set();
  const to = dialect === "A" ? victim.email : victim.phone;
  let n = 0;
  const ask = () => (dialect === "A"
    ? send(`${url}/reg/user/resetPasswordRequest`, { username: victim.username }, { "cf-connecting-ip": ipOf(mode, n++, attacker) })
    : send(`${url}/api/v1/auth/forgotpass/mobile`, { phone: victim.phone }, { ...B_HEADERS, "cf-connecting-ip": ipOf(mode, n++, attacker) }));
  const guess = (code) => (dialect === "A"
    ? send(`${url}/reg/user/resetPasswordRequest`, { username: victim.username, code }, { "cf-connecting-ip": ipOf(mode, n++, attacker) })
    : send(`${url}/api/v1/auth/resetpass/mobile`, { phone: victim.phone, token: code, password, passwordConfirm: password }, { ...B_HEADERS, "cf-connecting-ip": ipOf(mode, n++, attacker) }));
  let lastRight = null;
  let lastTries = 0;
  while (Date.now() < deadline) {
    const asked = await ask();
    c.requests += 1;
    if (asked.status === 429) { c.limited += 1; await sleep(Math.min(untilNextWindow(), Math.max(0, deadline - Date.now()))); continue; }
    if (asked.status !== 200) throw new Error(`${dialect} ask: ${asked.status} ${JSON.stringify(asked.body)}`);
    // Wait (the attacker's best case: the outbox says when) for the new code to be live.
    let message;
    while (!(message = await newestCode(url, to, seen)) && Date.now() < deadline) await sleep(50);
    if (!message) break;
    seen.add(message.id);
    c.codes += 1;
    lastRight = message.code;
    const guesses = wrongGuesses(message.code);
    lastTries = 0;
    while (lastTries < TRIES && Date.now() < deadline) {
      const g = guesses.next().value;
      const res = await guess(g);
      if (res.status === 429) { c.limited += 1; await sleep(Math.min(untilNextWindow(), Math.max(0, deadline - Date.now()))); continue; }
      if (res.status !== 400) throw new Error(`${dialect} guess: ${res.status} ${JSON.stringify(res.body)}`);
      c.guesses += 1;
      lastTries += 1;
    }
  }
  // The security property, once at the end: the last code, burnt by its 5 wrong tries, is refused
  // even when right (a 429 here means the IP's window is spent: then it is not checked).
  if (lastRight && lastTries === TRIES) {
    const res = await guess(lastRight);
    c.burntChecked = res.status === 429 ? "not checked (429)" : res.status === 400 ? "refused" : `ANSWERED ${res.status}`;
  }
  return c;
}

/** Guesses without phone from `mode` until the day's budget answers 429 or the deadline. */
async function noPhoneAttack(url, mode, liveCode, deadline, attacker) {
  const c = { guesses: 0, ipLimited: 0, budgetRefused: 0, budgetRetryAfter: null };
  const guesses = wrongGuesses(liveCode);
  let n = 0;
  const one = async () => {
    const res = await send(`${url}/api/v1/auth/resetpass/mobile`, { token: guesses.next().value, password, passwordConfirm: password },
      { ...B_HEADERS, "cf-connecting-ip": ipOf(mode, n++, attacker) });
    if (res.status === 400) c.guesses += 1;
    else if (res.status === 429 && Number(res.headers.get("retry-after")) > 60) { c.budgetRefused += 1; c.budgetRetryAfter = Number(res.headers.get("retry-after")); }
    else if (res.status === 429) c.ipLimited += 1;
    else throw new Error(`no-phone guess: ${res.status} ${JSON.stringify(res.body)}`);
    return res.status;
  };
  while (Date.now() < deadline && c.budgetRefused === 0) {
    if (mode === "one IP") {
      const status = await one();
      if (status === 429 && c.budgetRefused === 0) await sleep(Math.min(untilNextWindow(), Math.max(0, deadline - Date.now())));
    } else {
      await Promise.all(Array.from({ length: 8 }, one));
    }
  }
  return c;
}

async function createUser(url, user) {
  const res = await send(`${url}/admin/users`, user, { authorization: `Bearer ${ADMIN_TOKEN}` });
  if (res.status !== 201) throw new Error(`admin/users ${res.status}`);
  return user;
}

const runs = [];
const LIMIT_SETS = [["development", developmentLimits()], ["production", productionLimits()]]
  .filter(([label]) => !process.env.BF_LIMITS || process.env.BF_LIMITS === label);
for (const [label, limits] of LIMIT_SETS) {
  const worker = await startWrangler(writeConfig(`bruteforce-${label}.toml`, limits), loadVars());
  const { url } = worker;
  try {
    const victims = [];
    for (let i = 0; i < 5; i += 1) {
      victims.push(await createUser(url, { username: `victim-${i}`, email: `victim-${i}@example.test`, password: "Initial-passphrase-1", phone: `+1555300000${i}` }));
    }
    // No phone: one live SMS code in the whole service (victim 4's), N = 1.
    await send(`${url}/api/v1/auth/forgotpass/mobile`, { phone: victims[4].phone }, { ...B_HEADERS, "cf-connecting-ip": "192.0.2.1" });
    let live;
    while (!(live = await newestCode(url, victims[4].phone, new Set()))) await sleep(100);
    const t0 = Date.now();
    const onePhoneless = await noPhoneAttack(url, "one IP", live.code, t0 + SECONDS * 1000, 5);
    const oneSeconds = (Date.now() - t0) / 1000;
    const t1 = Date.now();
    const manyPhoneless = await noPhoneAttack(url, "many IPs", live.code, t1 + SECONDS * 1000, 6);
    const manySeconds = (Date.now() - t1) / 1000;
    // Per-account codes: four attackers at once, each on its own victim and IPs (their limits are
    // independent keys), for SECONDS.
    const deadline = Date.now() + SECONDS * 1000;
    const started = Date.now();
    const [aOne, aMany, bOne, bMany] = await Promise.all([
      perCodeAttack(url, "A", "one IP", victims[0], deadline, 1),
      perCodeAttack(url, "A", "many IPs", victims[1], deadline, 2),
      perCodeAttack(url, "B", "one IP", victims[2], deadline, 3),
      perCodeAttack(url, "B", "many IPs", victims[3], deadline, 4),
    ]);
    const seconds = (Date.now() - started) / 1000;
    // The limits count per fixed 60-second window: how many windows the run touched.
    const windows = Math.floor(Date.now() / 60_000) - Math.floor(started / 60_000) + 1;
    runs.push({ label, limits, seconds, windows, aOne, aMany, bOne, bMany, onePhoneless, oneSeconds, manyPhoneless, manySeconds,
      budgetSpent: worker.events().some((e) => e.event === "global_code_budget_spent") });
  } finally {
    writeFileSync(join(OUT_DIR, `bruteforce-${label}-wrangler.log`), worker.logs());
    await worker.stop();
  }
}

const perCode = TRIES / 10 ** DIGITS;
const chance = (codes) => 1 - (1 - perCode) ** codes;
const pct = (p) => (p >= 0.001 ? `${fmt(100 * p, 2)} %` : `${p.toExponential(1)}`);
console.log(`# Brute force, ${runContext()}; ${SECONDS} s per scenario`);
for (const r of runs) {
  const L = r.limits;
  console.log(`\n## ${r.label} limits: request_per_ip ${L.LIMIT_REQUEST_PER_IP}, request_per_identifier ${L.LIMIT_REQUEST_PER_IDENTIFIER}, attempt_per_ip ${L.LIMIT_ATTEMPT_PER_IP} per 60 s`);
  console.log(`per-code scenarios: ${fmt(r.seconds, 1)} s, touching ${r.windows} rate-limit windows of 60 s. codes/hour: 60 × the`
    + ` identifier limit (${L.LIMIT_REQUEST_PER_IDENTIFIER}) when it answered 429, else 60 × the codes per minute observed`);
  console.log("| scenario | from | codes issued | wrong guesses against live codes | 429s | codes per minute observed | codes/hour | chance per hour | chance per day | right code after 5 wrong |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, mode, c] of [["A (code by e-mail)", "one IP", r.aOne], ["A (code by e-mail)", "64 IPs", r.aMany], ["B mobile with phone", "one IP", r.bOne], ["B mobile with phone", "64 IPs", r.bMany]]) {
    const observed = (c.codes / r.seconds) * 60;
    const perMinute = c.limited > 0 ? Math.min(observed, L.LIMIT_REQUEST_PER_IDENTIFIER) : observed;
    const codesPerHour = perMinute * 60;
    console.log(`| ${name} | ${mode} | ${c.codes} | ${c.guesses} | ${c.limited} | ${fmt(observed, 1)} | ${fmt(codesPerHour, 0)} | ${pct(chance(codesPerHour))} | ${pct(chance(codesPerHour * 24))} | ${c.burntChecked} |`);
  }
  const p = r.onePhoneless;
  const q = r.manyPhoneless;
  console.log(`| B mobile without phone (1 live code) | one IP | – | ${p.guesses} in ${fmt(r.oneSeconds, 1)} s | ${p.ipLimited} per-IP, ${p.budgetRefused} budget | ${fmt((p.guesses / r.oneSeconds) * 60, 1)} | – | ≤ 5e-5 a day in all | ≤ 5e-5 + 1e-6 | – |`);
  console.log(`| B mobile without phone, after that | 64 IPs | – | ${q.guesses} in ${fmt(r.manySeconds, 1)} s | ${q.ipLimited} per-IP, ${q.budgetRefused} budget (retry-after ${q.budgetRetryAfter ?? "–"} s) | | | | | |`);
  console.log(`no-phone guesses admitted in all: ${p.guesses + q.guesses} (the budget admits 100 with one live code); global_code_budget_spent logged: ${r.budgetSpent}`);
}
