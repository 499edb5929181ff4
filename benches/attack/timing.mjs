// Enumeration by timing: can the answer time of a route tell whether an account exists? For each
// route that takes an identifier, TIMING_N requests (default 1,000) for an existing account, for an
// e-mail address six accounts share, and for an unknown one; for each route that takes a secret, a
// wrong secret for: an existing account with a live code (a wrong try counts, so its guard writes;
// a pool, at most 4 tries each, so no code burns), an address six accounts share (dialect A; a
// pool, 4 tries each) and an unknown name or phone (a pool, 4 tries each): each compared with the
// unknown names; and an existing account whose guard has never been used (each request to another
// fresh account: its first guard call) compared with unknown names never seen before (each
// request a new one: with an object per name, its first call would create one). The populations are interleaved (A B C, B C A, …, one request at a time on one
// kept-alive connection) so drift (other processes, the queue consumer's work, JIT, caches) lands
// on all alike; the secret routes run first, while the queue is idle. Reported per route: p50, p90, p99 of each, the
// difference of the medians, and a 95 % bootstrap interval for it (2,000 resamples). The goal is a
// median difference under 1 ms. The built Worker runs under `wrangler dev` with every rate limit
// raised (a temp config under target/bench-attack/), so 1,000 requests for one identifier are
// not answered 429.
// Run: make bench-timing (or node benches/attack/timing.mjs after make worker).

import { ADMIN_TOKEN, B_HEADERS, C_HEADERS, loadVars } from "./vars.mjs";
import { RAISED, fmt, percentile, runContext, send, startWrangler, writeConfig } from "./lib.mjs";

const N = Number(process.env.TIMING_N ?? 1000);
// The least time of a refused secret (REFUSAL_MIN_MS, default 500 ms in a deployment): 50 ms here,
// above this machine's p99 of a refusal, so the secret routes' 13,200 requests take 11 minutes,
// not two hours. TIMING_REFUSAL_MIN_MS=0 measures what the lookups alone leak.
const REFUSAL_MIN_MS = process.env.TIMING_REFUSAL_MIN_MS ?? "50";
const WARM_UP = Number(process.env.TIMING_WARM_UP ?? 100);
const RESAMPLES = 2000;

const worker = await startWrangler(writeConfig("timing.toml", RAISED), loadVars({ REFUSAL_MIN_MS }));
const { url } = worker;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const POOL = Math.ceil((N + WARM_UP) / 4); // at most 4 wrong tries per account: under the 5 that burn a code

async function createAll(accounts) {
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < accounts.length) {
      const account = accounts[next++];
      const res = await send(`${url}/admin/users`, account, auth);
      if (res.status !== 201) throw new Error(`admin/users ${res.status} ${JSON.stringify(res.body)}`);
      account.id = res.body.id;
    }
  }));
}

const person = (tag, n) => ({ username: `${tag}-${n}`, email: `${tag}-${n}@example.test`, password: "Initial-passphrase-1",
  phone: `+1555${tag === "live-a" ? 1 : tag === "live-b" ? 2 : tag === "quiet" ? 3 : 4}${String(n).padStart(6, "0")}`, first_name: "Jane" });
const jane = person("jane", 0);
const liveA = Array.from({ length: POOL }, (_, i) => person("live-a", i)); // a live e-mailed code each
const liveB = Array.from({ length: POOL }, (_, i) => person("live-b", i)); // a live SMS code each
const quiet = Array.from({ length: POOL }, (_, i) => person("quiet", i)); // never asked for a code
// Never guessed at, one per request: A's route uses the first half by username, B's the second by
// phone, so every request is the first guard call of its account.
const FRESH = WARM_UP + N;
const fresh = Array.from({ length: 2 * FRESH }, (_, i) => ({ ...person("fresh", i),
  phone: `+1556${String(i).padStart(7, "0")}` }));
// Addresses six accounts share; each is guessed 4 times, like the live codes and the unknown names.
const SHARED_GROUPS = POOL;
const shared = Array.from({ length: SHARED_GROUPS * 6 }, (_, i) => ({ ...person("shared", i),
  email: `shared-${Math.floor(i / 6)}@example.test`, phone: undefined }));
const sharedEmail = (i) => `shared-${i % SHARED_GROUPS}@example.test`;
await createAll([jane, ...liveA, ...liveB, ...quiet, ...fresh, ...shared]);
for (const a of liveA) await send(`${url}/reg/user/resetPasswordRequest`, { username: a.username });
for (const a of liveB) await send(`${url}/api/v1/auth/forgotpass/mobile`, { phone: a.phone }, B_HEADERS);
// Wait until every code is out (the queue has done all its work), so the runs below are quiet.
for (const [pool, to] of [[liveA, (a) => a.email], [liveB, (a) => a.phone]]) {
  for (const a of pool) {
    for (let t = 0; ; t += 1) {
      const box = await send(`${url}/dev/outbox?to=${encodeURIComponent(to(a))}`, undefined, {}, "GET");
      if (Array.isArray(box.body) && box.body.some((m) => m.code)) break;
      if (t > 600) throw new Error("codes were not sent in time");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const wrongCode = "000000"; // 1 in 10^6 to be some account's code: then that one request answers 200 and the run stops
const password = "Timing-passphrase-9x";
// Unknown identifiers: a pool used like the existing accounts (4 tries each), and ones never seen
// before (each request a new one), the baseline of the accounts whose guard was never used.
const unknownName = (i) => `nobody-timing-${i % POOL}`;
const unknownPhone = (i) => `+15559${String(i % POOL).padStart(6, "0")}`;
const newName = (i) => `never-seen-${i}`;
const newPhone = (i) => `+15558${String(i).padStart(6, "0")}`;
// Which unknown population each one is compared with (by default "unknown"): like with like (a
// first guard call with a never-seen name; an e-mail address with an unknown address, since an
// identifier that looks like an address is also looked up as one).
const BASELINE = { "existing, guard never used": "unknown, never seen", "shared address": "unknown address" };
const unknownAddress = (i) => `nobody-timing-${i % POOL}@example.test`;
// Each route: the populations (a body per request index i), the status all must get. The secret
// routes run first, while the queue is idle; the request routes last (each of their requests
// queues work).
const routes = [
  { name: "A `resetPasswordRequest {username, code}`, wrong code", path: "/reg/user/resetPasswordRequest", headers: {}, status: 400,
    populations: {
      "existing, live code": (i) => ({ username: liveA[i % POOL].username, code: wrongCode }),
      "existing, guard never used": (i) => ({ username: fresh[i].username, code: wrongCode }),
      "shared address": (i) => ({ username: sharedEmail(i), code: wrongCode }),
      "unknown address": (i) => ({ username: unknownAddress(i), code: wrongCode }),
      unknown: (i) => ({ username: unknownName(i), code: wrongCode }),
      "unknown, never seen": (i) => ({ username: newName(i), code: wrongCode }),
    } },
  { name: "B `resetpass/mobile {phone, token}`, wrong code", path: "/api/v1/auth/resetpass/mobile", headers: B_HEADERS, status: 400,
    populations: {
      "existing, live code": (i) => ({ phone: liveB[i % POOL].phone, token: wrongCode, password, passwordConfirm: password }),
      "existing, guard never used": (i) => ({ phone: fresh[FRESH + i].phone, token: wrongCode, password, passwordConfirm: password }),
      unknown: (i) => ({ phone: unknownPhone(i), token: wrongCode, password, passwordConfirm: password }),
      "unknown, never seen": (i) => ({ phone: newPhone(i), token: wrongCode, password, passwordConfirm: password }),
    } },
  { name: "C `forgot-password-submit/ {user, token}`, wrong token", path: "/api/v1/user/forgot-password-submit/", headers: C_HEADERS, status: 400,
    populations: {
      existing: (i) => ({ user: quiet[i % POOL].id, token: "ab".repeat(32), new_password: password }),
      unknown: () => ({ user: "00000000-0000-4000-8000-000000000000", token: "ab".repeat(32), new_password: password }),
    } },
  { name: "A `resetPasswordRequest {username}`", path: "/reg/user/resetPasswordRequest", headers: {}, status: 200,
    populations: { existing: () => ({ username: jane.username }), unknown: () => ({ username: "nobody-timing" }) } },
  { name: "B `forgotpass {email}`", path: "/api/v1/auth/forgotpass", headers: B_HEADERS, status: 200,
    populations: { existing: () => ({ email: jane.email }), "shared address": () => ({ email: sharedEmail(0) }),
      unknown: () => ({ email: "nobody-timing@example.test" }) } },
  { name: "B `forgotpass/mobile {phone}`", path: "/api/v1/auth/forgotpass/mobile", headers: B_HEADERS, status: 200,
    populations: { existing: () => ({ phone: jane.phone }), unknown: () => ({ phone: "+15557659999" }) } },
  { name: "C `forgot-password/ {email}`", path: "/api/v1/user/forgot-password/", headers: C_HEADERS, status: 200,
    populations: { existing: () => ({ email: jane.email }), "shared address": () => ({ email: sharedEmail(0) }),
      unknown: () => ({ email: "nobody-timing@example.test" }) } },
];

/** A deterministic generator for the bootstrap (the figures can be re-derived). */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 95 % percentile-bootstrap interval of median(a) - median(b). */
function bootstrapMedianDiff(a, b) {
  const random = rng(20261125);
  const diffs = [];
  const pick = (xs) => {
    const sample = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i += 1) sample[i] = xs[Math.floor(random() * xs.length)];
    sample.sort();
    return sample[Math.floor(sample.length / 2)];
  };
  for (let r = 0; r < RESAMPLES; r += 1) diffs.push(pick(a) - pick(b));
  diffs.sort((x, y) => x - y);
  return [diffs[Math.floor(0.025 * RESAMPLES)], diffs[Math.floor(0.975 * RESAMPLES)]];
}

const results = [];
try {
  for (const route of routes) {
    const names = Object.keys(route.populations);
    const times = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < WARM_UP + N; i += 1) {
      // A B C, then B C A, …: each population goes first, second, third in turn.
      const k = i % names.length;
      const order = [...names.slice(k), ...names.slice(0, k)];
      for (const which of order) {
        const res = await send(`${url}${route.path}`, route.populations[which](i), route.headers);
        if (res.status !== route.status) throw new Error(`${route.name} ${which}: ${res.status} ${JSON.stringify(res.body)}`);
        if (i >= WARM_UP) times[which].push(res.ms);
      }
    }
    const comparisons = names.filter((n) => !n.startsWith("unknown")).map((n) => {
      const baseName = BASELINE[n] in times ? BASELINE[n] : "unknown";
      const base = times[baseName];
      const [low, high] = bootstrapMedianDiff(times[n], base);
      return { name: n, base: baseName, diff: percentile(times[n], 50) - percentile(base, 50), low, high };
    });
    results.push({ route, names, times, comparisons });
  }
} finally {
  await worker.stop();
}

console.log(`# Enumeration by timing, ${runContext()}`);
console.log(`# ${N} requests per population after ${WARM_UP} warm-up each, interleaved, one at a time on one connection; wall time in ms from Node's fetch; REFUSAL_MIN_MS=${REFUSAL_MIN_MS}; live codes, unknown names and shared addresses (of 6 accounts each): pools of ${POOL}, 4 tries each; guards never used and unknown names never seen: a new one per request`);
console.log("| route | population | p50 | p90 | p99 | median difference to its unknown population | 95 % interval |");
console.log("|---|---|---|---|---|---|---|");
for (const r of results) {
  r.names.forEach((which, k) => {
    const t = r.times[which];
    const c = r.comparisons.find((x) => x.name === which);
    const against = c && c.base !== "unknown" ? ` (to ${c.base})` : "";
    const tail = c ? `| **${fmt(c.diff, 3)}**${against} | ${fmt(c.low, 3)} … ${fmt(c.high, 3)} |` : "| | |";
    console.log(`| ${k === 0 ? r.route.name : ""} | ${which} | ${fmt(percentile(t, 50))} | ${fmt(percentile(t, 90))} | ${fmt(percentile(t, 99))} ${tail}`);
  });
}
const worst = Math.max(...results.flatMap((r) => r.comparisons.map((c) => Math.abs(c.diff))));
console.log(`largest |median difference|: ${fmt(worst, 3)} ms (goal: under 1 ms)`);
