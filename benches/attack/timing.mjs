// Enumeration by timing: can the answer time of a route tell whether an account exists? For each
// route that takes an identifier, TIMING_N requests (default 1,000) for an existing account and as
// many for an unknown one; for each route that takes a secret, a wrong secret for an existing
// account against the same for an unknown one. The two populations are interleaved (A B A B …,
// one request at a time on one kept-alive connection) so drift (other processes, the queue
// consumer's work, JIT, caches) lands on both alike. Reported per route: p50, p90, p99 of each, the
// difference of the medians, and a 95 % bootstrap interval for it (2,000 resamples). The goal is a
// median difference under 1 ms. The built Worker runs under `wrangler dev` with every rate limit
// raised (a temp config under target/bench-attack/), so 1,000 requests for one identifier are
// not answered 429.
// Run: make bench-timing (or node benches/attack/timing.mjs after make worker).

import { ADMIN_TOKEN, B_HEADERS, C_HEADERS, loadVars } from "./vars.mjs";
import { RAISED, fmt, percentile, runContext, send, startWrangler, writeConfig } from "./lib.mjs";

const N = Number(process.env.TIMING_N ?? 1000);
const WARM_UP = Number(process.env.TIMING_WARM_UP ?? 100);
const RESAMPLES = 2000;

const worker = await startWrangler(writeConfig("timing.toml", RAISED), loadVars());
const { url } = worker;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const jane = { username: "jane-timing", email: "jane-timing@example.test", password: "Initial-passphrase-1", phone: "+15557650001", first_name: "Jane" };
const created = await send(`${url}/admin/users`, jane, auth);
if (created.status !== 201) throw new Error(`admin/users ${created.status}`);
const janeId = created.body.id;

const wrongCode = "000000";
const password = "Timing-passphrase-9x";
// Each pair: [existing, unknown] request bodies for one route, and the status both must get.
const routes = [
  { name: "A `resetPasswordRequest {username}`", path: "/reg/user/resetPasswordRequest", headers: {}, status: 200,
    existing: { username: jane.username }, unknown: { username: "nobody-timing" } },
  { name: "B `forgotpass {email}`", path: "/api/v1/auth/forgotpass", headers: B_HEADERS, status: 200,
    existing: { email: jane.email }, unknown: { email: "nobody-timing@example.test" } },
  { name: "B `forgotpass/mobile {phone}`", path: "/api/v1/auth/forgotpass/mobile", headers: B_HEADERS, status: 200,
    existing: { phone: jane.phone }, unknown: { phone: "+15557659999" } },
  { name: "C `forgot-password/ {email}`", path: "/api/v1/user/forgot-password/", headers: C_HEADERS, status: 200,
    existing: { email: jane.email }, unknown: { email: "nobody-timing@example.test" } },
  { name: "A `resetPasswordRequest {username, code}`, wrong code", path: "/reg/user/resetPasswordRequest", headers: {}, status: 400,
    existing: { username: jane.username, code: wrongCode }, unknown: { username: "nobody-timing", code: wrongCode } },
  { name: "B `resetpass/mobile {phone, token}`, wrong code", path: "/api/v1/auth/resetpass/mobile", headers: B_HEADERS, status: 400,
    existing: { phone: jane.phone, token: wrongCode, password, passwordConfirm: password },
    unknown: { phone: "+15557659999", token: wrongCode, password, passwordConfirm: password } },
  { name: "C `forgot-password-submit/ {user, token}`, wrong token", path: "/api/v1/user/forgot-password-submit/", headers: C_HEADERS, status: 400,
    existing: { user: janeId, token: "ab".repeat(32), new_password: password },
    unknown: { user: "00000000-0000-4000-8000-000000000000", token: "ab".repeat(32), new_password: password } },
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
    const times = { existing: [], unknown: [] };
    for (let i = 0; i < WARM_UP + N; i += 1) {
      // A B A B …, and B A on odd rounds, so neither population always goes first.
      const order = i % 2 === 0 ? ["existing", "unknown"] : ["unknown", "existing"];
      for (const which of order) {
        const res = await send(`${url}${route.path}`, route[which], route.headers);
        if (res.status !== route.status) throw new Error(`${route.name} ${which}: ${res.status} ${JSON.stringify(res.body)}`);
        if (i >= WARM_UP) times[which].push(res.ms);
      }
    }
    const [low, high] = bootstrapMedianDiff(times.existing, times.unknown);
    results.push({ route, times, diff: percentile(times.existing, 50) - percentile(times.unknown, 50), low, high });
  }
} finally {
  await worker.stop();
}

console.log(`# Enumeration by timing, ${runContext()}`);
console.log(`# ${N} requests per population after ${WARM_UP} warm-up each, interleaved, one at a time on one connection; wall time in ms from Node's fetch`);
console.log("| route | population | p50 | p90 | p99 | median difference (existing − unknown) | 95 % interval |");
console.log("|---|---|---|---|---|---|---|");
for (const r of results) {
  for (const which of ["existing", "unknown"]) {
    const t = r.times[which];
    const tail = which === "existing" ? `| **${fmt(r.diff, 3)}** | ${fmt(r.low, 3)} … ${fmt(r.high, 3)} |` : "| | |";
    console.log(`| ${which === "existing" ? r.route.name : ""} | ${which} | ${fmt(percentile(t, 50))} | ${fmt(percentile(t, 90))} | ${fmt(percentile(t, 99))} ${tail}`);
  }
}
const worst = Math.max(...results.map((r) => Math.abs(r.diff)));
console.log(`largest |median difference|: ${fmt(worst, 3)} ms (goal: under 1 ms)`);
