// Load: the built Worker under `wrangler dev` (workerd, local KV, Durable Objects, Queues) on
// 127.0.0.1, driven by LOAD_CLIENTS concurrent clients (default 100) for LOAD_SECONDS (default 60)
// across the request and submit routes of all three dialects, with every rate limit raised (a temp
// config under target/bench-attack/). Then it checks:
// - no answer was a 5xx (nor a failed connection);
// - every accepted request for an existing account got its message delivered exactly once: the
//   dev outbox (GET /dev/outbox, newest 50 per address, so each address is used at most 45 times)
//   holds one message per accepted request, no id twice;
// - every successful reset is visible in the directory: its access token works on
//   GET /reg/user/info (the token carries a fingerprint of the new password hash, checked against
//   the account read back from KV), and once more after the run for each account's last reset.
// Clients: LOAD_SUBMITTERS of them (default 20) run whole reset flows (request, wait for the
// message in the outbox, redeem, set a new password, read /reg/user/info), each on accounts of
// its own so no other client replaces its code; the others send request-route calls back to back
// for a pool of accounts (and, once an address has had its 45, for unknown identifiers, which
// are accepted and send nothing), pausing LOAD_THINK_MS (default 4000) between calls, which offers
// about what wrangler dev's queue consumer gets through here (one batch of 10 at a time, about 20
// messages a second on this machine); with less (1000, or 0: back to back) they outrun it, the
// backlog grows and the submitters wait behind it for their messages. Password setting is argon2id twice (verify the old, hash the new)
// in wasm: the submitters are what the CPU can take, not what the 2-core machine could absorb
// for requests alone, and the report says so. Bounded: it stops after LOAD_SECONDS, then waits at
// most LOAD_DRAIN_SECONDS (default 300) for the queue to drain, or until it made no progress for
// 30 s (the report then says the queue stalled).
// Run: make bench-load (or node benches/attack/load.mjs after make worker).

import { ADMIN_TOKEN, B_HEADERS, C_HEADERS, loadVars } from "./vars.mjs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { OUT_DIR, RAISED, cpuSeconds, fmt, percentile, runContext, send, sleep, startWrangler, writeConfig } from "./lib.mjs";

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 100);
const SUBMITTERS = Number(process.env.LOAD_SUBMITTERS ?? 20);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const DRAIN_SECONDS = Number(process.env.LOAD_DRAIN_SECONDS ?? 300);
const POOL = Number(process.env.LOAD_POOL ?? 300); // accounts for the request-only clients
const PER_ADDRESS = 45; // the outbox lists the newest 50 per address
const ACCOUNTS_PER_SUBMITTER = 4;
/** Pause of a request-only client between its calls (0: back to back, which outruns the queue). */
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 4000);

const started = Date.now();
const worker = await startWrangler(writeConfig("load.toml", RAISED), loadVars());
const { url } = worker;
const stats = new Map(); // route -> { ms: [], statuses: {} }
const failures = [];

function record(route, result) {
  let s = stats.get(route);
  if (!s) stats.set(route, (s = { ms: [], statuses: {} }));
  s.ms.push(result.ms);
  s.statuses[result.status] = (s.statuses[result.status] ?? 0) + 1;
  if (result.status >= 500) failures.push({ route, status: result.status, body: result.body });
  return result;
}

/** One timed call; a failed connection is recorded as status 0 (counted as a failure). */
async function call(route, path, body, headers, method = "POST") {
  try {
    return record(route, await send(`${url}${path}`, body, headers, method));
  } catch (error) {
    failures.push({ route, status: 0, body: String(error?.cause?.code ?? error) });
    return record(route, { ms: 0, status: 0, body: null });
  }
}

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const makeAccount = (tag) => ({
  username: `load-${tag}`, email: `load-${tag}@example.test`, password: "Initial-passphrase-1",
  phone: `+1555${String(tag).padStart(7, "0")}`, first_name: "Lo",
});

async function createAll(accounts, concurrency = 4) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < accounts.length) {
      const account = accounts[next++];
      const res = await send(`${url}/admin/users`, account, auth);
      if (res.status !== 201) throw new Error(`admin/users ${res.status} ${JSON.stringify(res.body)}`);
      account.id = res.body.id;
    }
  }));
}

// ------------------------------------------------------------------ accounts
const pool = Array.from({ length: POOL }, (_, i) => makeAccount(i));
const submitterAccounts = Array.from({ length: SUBMITTERS }, (_, s) =>
  Array.from({ length: ACCOUNTS_PER_SUBMITTER }, (_, k) => makeAccount(500_000 + s * 100 + k)));
const prepStart = Date.now();
await createAll([...pool, ...submitterAccounts.flat()]);
const prepSeconds = (Date.now() - prepStart) / 1000;

// What each address should receive: accepted requests per (address, kind).
const expected = new Map(); // address -> count of reset messages expected
const bump = (address) => expected.set(address, (expected.get(address) ?? 0) + 1);
const used = new Map(); // address -> requests sent for it
let unknownRequests = 0;

const REQUEST_ROUTES = [
  { route: "A request", path: "/reg/user/resetPasswordRequest", body: (a) => ({ username: a.username }), address: (a) => a.email, headers: {} },
  { route: "B forgotpass", path: "/api/v1/auth/forgotpass", body: (a) => ({ email: a.email }), address: (a) => a.email, headers: B_HEADERS },
  { route: "B forgotpass/mobile", path: "/api/v1/auth/forgotpass/mobile", body: (a) => ({ phone: a.phone }), address: (a) => a.phone, headers: B_HEADERS },
  { route: "C forgot-password", path: "/api/v1/user/forgot-password/", body: (a) => ({ email: a.email }), address: (a) => a.email, headers: C_HEADERS },
];

const deadline = () => Date.now() >= runEnds;
let runEnds = 0;
let requestCursor = 0;

/** A request-only client: back-to-back request-route calls over the pool. */
async function requester(index) {
  let n = index;
  while (!deadline()) {
    const spec = REQUEST_ROUTES[n++ % REQUEST_ROUTES.length];
    const account = pool[requestCursor++ % pool.length];
    const address = spec.address(account);
    const known = (used.get(address) ?? 0) < PER_ADDRESS;
    let body = spec.body(account);
    if (known) used.set(address, (used.get(address) ?? 0) + 1);
    else {
      unknownRequests += 1;
      body = spec.body(makeAccount(900_000 + (n % 1000) + index * 1000)); // no such account
    }
    const res = await call(spec.route, spec.path, body, spec.headers);
    if (res.status === 200 && known) bump(address);
    else if (known) used.set(address, used.get(address) - 1);
    if (THINK_MS > 0) await sleep(THINK_MS);
  }
}

/** Polls the outbox for a message to `to` not in `seen`, until the run's end + 30 s. */
async function waitMessage(to, seen, match) {
  const until = runEnds + 30_000;
  while (Date.now() < until) {
    const res = await call("GET /dev/outbox (poll)", `/dev/outbox?to=${encodeURIComponent(to)}`, undefined, {}, "GET");
    if (Array.isArray(res.body)) {
      const found = res.body.find((m) => !seen.has(m.id) && match(m));
      if (found) return found;
    }
    await sleep(300);
  }
  return null;
}

const resets = { ok: 0, infoOk: 0, refused: [], lastToken: new Map() };
const FLOWS = ["A", "B link", "B mobile", "C"];

async function seenIds(to) {
  const res = await send(`${url}/dev/outbox?to=${encodeURIComponent(to)}`, undefined, {}, "GET");
  return new Set(Array.isArray(res.body) ? res.body.map((m) => m.id) : []);
}

/** A submitting client: whole reset flows on its own accounts, in turn through the dialects. */
async function submitter(index) {
  const accounts = submitterAccounts[index];
  let round = index;
  while (!deadline()) {
    const account = accounts[round % accounts.length];
    const flow = FLOWS[round % FLOWS.length];
    round += 1;
    const password = `Load-Pass-${index}-${round}-x!`;
    const to = flow === "B mobile" ? account.phone : account.email;
    const seen = await seenIds(to);
    const spec = REQUEST_ROUTES[{ A: 0, "B link": 1, "B mobile": 2, C: 3 }[flow]];
    const asked = await call(spec.route, spec.path, spec.body(account), spec.headers);
    if (asked.status !== 200) continue;
    bump(to);
    const message = await waitMessage(to, seen, (m) => (flow === "A" || flow === "B mobile" ? m.code : m.link));
    if (!message) { resets.refused.push({ flow, why: "no message before the end" }); continue; }
    let done;
    if (flow === "A") {
      const payload = await call("A code → payload", "/reg/user/resetPasswordRequest", { username: account.username, code: message.code }, {});
      if (payload.status !== 200) { resets.refused.push({ flow, status: payload.status, body: payload.body }); continue; }
      done = await call("A resetPassword", "/reg/user/resetPassword", { username: account.username, signedPayload: payload.body.signedPayload, newPassword: password }, {});
    } else if (flow === "B link") {
      const token = new URL(message.link).searchParams.get("token");
      done = await call("B resetpass", "/api/v1/auth/resetpass", { token, password, passwordConfirm: password }, B_HEADERS);
    } else if (flow === "B mobile") {
      done = await call("B resetpass/mobile", "/api/v1/auth/resetpass/mobile", { token: message.code, phone: account.phone, password, passwordConfirm: password }, B_HEADERS);
    } else {
      const link = new URL(message.link);
      done = await call("C forgot-password-submit", "/api/v1/user/forgot-password-submit/", { user: link.searchParams.get("user"), token: link.searchParams.get("token"), new_password: password }, C_HEADERS);
    }
    if (done.status !== 200) { resets.refused.push({ flow, status: done.status, body: done.body }); continue; }
    resets.ok += 1;
    bump(`changed:${account.email}`); // the "password changed" notice
    const info = await call("GET /reg/user/info", "/reg/user/info", undefined, { authorization: `Bearer ${done.body.token}` }, "GET");
    if (info.status === 200 && info.body.primaryEmail?.email === account.email) resets.infoOk += 1;
    else resets.refused.push({ flow, why: "info", status: info.status });
    resets.lastToken.set(account.email, done.body.token);
  }
}

// ------------------------------------------------------------------ the run
const pids = worker.workerdPids();
const cpuBefore = cpuSeconds(pids);
const clientCpuBefore = process.cpuUsage();
runEnds = Date.now() + SECONDS * 1000;
const runStart = Date.now();
await Promise.all([
  ...Array.from({ length: CLIENTS - SUBMITTERS }, (_, i) => requester(i)),
  ...Array.from({ length: SUBMITTERS }, (_, i) => submitter(i)),
]);
const runSeconds = (Date.now() - runStart) / 1000;
const cpuUsed = cpuSeconds(pids) - cpuBefore;
const clientCpu = process.cpuUsage(clientCpuBefore);

// ------------------------------------------------------------------ delivery check
// Wait (bounded) until every address has what it should, then compare.
async function outbox(to) {
  const res = await send(`${url}/dev/outbox?to=${encodeURIComponent(to)}`, undefined, {}, "GET");
  return Array.isArray(res.body) ? res.body : [];
}
const addresses = [...new Set([...expected.keys()].filter((k) => !k.startsWith("changed:")))];
const drainStart = Date.now();
let pending = addresses; // addresses not yet holding all they should
const duplicates = [];
const extra = [];
const batchesAt = () => (worker.logs().match(/QUEUE pwreset-jobs/g) ?? []).length;
let batches = batchesAt();
let lastProgress = Date.now();
for (;;) {
  const still = [];
  for (let i = 0; i < pending.length; i += 20) {
    await Promise.all(pending.slice(i, i + 20).map(async (to) => {
      const messages = await outbox(to);
      const resetMessages = messages.filter((m) => m.subject !== "Your password was changed");
      const want = expected.get(to) ?? 0;
      const wantChanged = expected.get(`changed:${to}`) ?? 0;
      const changed = messages.length - resetMessages.length;
      if (resetMessages.length < want || changed < wantChanged) still.push(to);
    }));
  }
  pending = still;
  // Give up when the time is out, or when the queue has processed no batch for 30 s (stalled).
  if (batchesAt() !== batches) { batches = batchesAt(); lastProgress = Date.now(); }
  if (pending.length === 0 || Date.now() - drainStart > DRAIN_SECONDS * 1000 || Date.now() - lastProgress > 30_000) break;
  await sleep(2000);
}
// The final count, every address.
const missing = [];
for (let i = 0; i < addresses.length; i += 20) {
  await Promise.all(addresses.slice(i, i + 20).map(async (to) => {
    const messages = await outbox(to);
    const ids = messages.map((m) => m.id);
    if (new Set(ids).size !== ids.length) duplicates.push(to);
    const resetMessages = messages.filter((m) => m.subject !== "Your password was changed");
    const changed = messages.length - resetMessages.length;
    const want = expected.get(to) ?? 0;
    const wantChanged = expected.get(`changed:${to}`) ?? 0;
    if (resetMessages.length < want || changed < wantChanged) missing.push({ to, want, got: resetMessages.length, wantChanged, changed });
    if (resetMessages.length > want || changed > wantChanged) extra.push({ to, want, got: resetMessages.length, wantChanged, changed });
  }));
}
const drainSeconds = (Date.now() - drainStart) / 1000;

// Every account's last reset once more, after the run: its token still works (nothing undid it).
let lastOk = 0;
for (const [email, token] of resets.lastToken) {
  const info = await send(`${url}/reg/user/info`, undefined, { authorization: `Bearer ${token}` }, "GET");
  if (info.status === 200 && info.body.primaryEmail?.email === email) lastOk += 1;
}
const restarts = (worker.logs().match(/Reloading local server|Local server updated/g) ?? []).length;
const pidsAfter = worker.workerdPids();
const replaced = pids.filter((pid) => !pidsAfter.includes(pid)).length;
const socketErrors = (worker.logs().match(/kj::getCaughtExceptionAsKj\(\) = [^\n]*disconnected/g) ?? []).length;
writeFileSync(join(OUT_DIR, "load-wrangler.log"), worker.logs());
await worker.stop();

// ------------------------------------------------------------------ report
const accepted = [...expected.entries()].filter(([k]) => !k.startsWith("changed:")).reduce((n, [, v]) => n + v, 0);
console.log(`# Load, ${runContext()}`);
console.log(`# ${CLIENTS} concurrent clients (${CLIENTS - SUBMITTERS} sending request routes, ${THINK_MS} ms apart, ${SUBMITTERS} running whole reset flows) for ${fmt(runSeconds, 1)} s; ${pool.length + SUBMITTERS * ACCOUNTS_PER_SUBMITTER} accounts created in ${fmt(prepSeconds, 1)} s before the run; limits raised (target/bench-attack/load.toml)`);
console.log("| route | requests | requests/s | p50 ms | p99 ms | statuses |");
console.log("|---|---|---|---|---|---|");
let total = 0;
for (const [route, s] of [...stats.entries()]) {
  total += s.ms.length;
  console.log(`| ${route} | ${s.ms.length} | ${fmt(s.ms.length / runSeconds, 1)} | ${fmt(percentile(s.ms, 50), 1)} | ${fmt(percentile(s.ms, 99), 1)} | ${Object.entries(s.statuses).map(([k, v]) => `${k}×${v}`).join(" ")} |`);
}
console.log(`| all | ${total} | ${fmt(total / runSeconds, 1)} | | | |`);
console.log("");
console.log(`5xx or failed connections: ${failures.length}${failures.length ? ` (${JSON.stringify(failures.slice(0, 5))})` : ""}`);
console.log(`accepted requests for existing accounts: ${accepted} (and ${unknownRequests} for unknown identifiers, accepted, nothing to send); queue batches run: ${batches}; waited ${fmt(drainSeconds, 1)} s after the run${pending.length && Date.now() - lastProgress > 30_000 ? " (the queue stalled: no batch for 30 s)" : ""}`);
console.log(`delivery: ${addresses.length} addresses checked; missing at ${missing.length}, more than expected at ${extra.length}, an id twice at ${duplicates.length}`);
if (missing.length) console.log(`  missing (first 5): ${JSON.stringify(missing.slice(0, 5))}`);
if (extra.length) console.log(`  extra (first 5): ${JSON.stringify(extra.slice(0, 5))}`);
console.log(`resets: ${resets.ok} succeeded, token accepted by /reg/user/info right after: ${resets.infoOk}; each account's last token still accepted after the run: ${lastOk}/${resets.lastToken.size}; not completed: ${resets.refused.length}${resets.refused.length ? ` ${JSON.stringify(resets.refused.slice(0, 5))}` : ""}`);
console.log(`CPU during the run: workerd ${fmt(cpuUsed, 1)} s of ${fmt(runSeconds * 2, 0)} core-seconds (${fmt((100 * cpuUsed) / runSeconds, 0)} % of one core); this Node client ${fmt((clientCpu.user + clientCpu.system) / 1e6, 1)} s`);
console.log(`total time ${fmt((Date.now() - started) / 1000, 0)} s; wrangler reloads logged: ${restarts}; workerd processes at the start that were gone at the end: ${replaced} of ${pids.length}; workerd "disconnected" socket errors logged: ${socketErrors} (log: target/bench-attack/load-wrangler.log)`);
const ok = failures.length === 0 && missing.length === 0 && extra.length === 0 && duplicates.length === 0 && resets.infoOk === resets.ok && lastOk === resets.lastToken.size;
console.log(ok ? "RESULT: pass" : "RESULT: FAIL");
process.exitCode = ok ? 0 : 1;
