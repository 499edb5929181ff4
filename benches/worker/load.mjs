// Requests per second and latency per route: the built Worker under `wrangler dev` (workerd with
// local KV, Durable Objects, Queues and rate limits) on 127.0.0.1, loaded by wrk. The baseline is
// the 404 route (router and a JSON answer, no storage) in the same run. The password-setting
// route needs a fresh signed payload per request (argon2id, one per account), so it is timed
// request by request from Node instead, next to the 404 route timed the same way. Beside each
// latency: the CPU time the workerd processes spent per request (Linux /proc), which a busy
// machine hardly moves; it includes workerd's own work (HTTP, the local KV, Durable Object, queue
// and rate-limit simulations), so it is read against the 404 route's.
// Run: make bench-worker (or node benches/worker/load.mjs after make worker).
// BENCH_SECONDS (default 10) per route, BENCH_CONNECTIONS (default 4), BENCH_PASSWORDS (default 20).

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { ADMIN_TOKEN, CLIENT_ID, ORIGIN, baseVars, createUser, nextMessage, post } from "../../tests/e2e/worker-harness.mjs";
import { BENCH_DIR, fmt, median, percentile, runContext, startWrangler, timedFetch, workerdCpuMs, writeBenchConfig } from "./lib.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const PASSWORDS = Number(process.env.BENCH_PASSWORDS ?? 20);
const JANE = { username: "jane", email: "jane@example.test", password: "Initial-passphrase-1" };

/** A wrk Lua script for one route: method, body, headers; counts statuses; prints one JSON line. */
function wrkScript(name, { method = "GET", body, headers = {} }) {
  const lua = [`wrk.method = ${JSON.stringify(method)}`];
  if (body !== undefined) lua.push(`wrk.body = [==[${JSON.stringify(body)}]==]`);
  for (const [k, v] of Object.entries(headers)) lua.push(`wrk.headers[${JSON.stringify(k)}] = [==[${v}]==]`);
  lua.push(`
counts = {}
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%d":%d', k, v)) end
  local e = summary.errors
  io.write(string.format('BENCH {"requests":%d,"duration_us":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d,"statuses":{%s}}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(parts, ",")))
end
`);
  const path = join(BENCH_DIR, `${name}.lua`);
  writeFileSync(path, lua.join("\n"));
  return path;
}

function wrk(url, script, seconds) {
  const out = execFileSync("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--timeout", "10s", "-s", script, url], { encoding: "utf8" });
  const line = out.split("\n").find((l) => l.startsWith("BENCH "));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  return JSON.parse(line.slice(6));
}

/** `work()`, once more if a kept-alive connection turned out closed (workerd drops idle ones). */
async function retrying(work) {
  try {
    return await work();
  } catch (e) {
    if (e?.cause?.code !== "UND_ERR_SOCKET") throw e;
    return work();
  }
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });
const json = { "content-type": "application/json" };

/** Dialect A end to end for `user`: request, the code from the outbox, the signed payload. */
async function payloadFor(url, user) {
  const asked = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username });
  if (asked.status !== 200) throw new Error(`reset request: ${asked.status}`);
  const { code } = await nextMessage(url, user.email, (m) => m.code);
  const redeemed = await post(`${url}/reg/user/resetPasswordRequest`, { username: user.username, code });
  if (redeemed.status !== 200) throw new Error(`redeem: ${redeemed.status} ${JSON.stringify(redeemed.body)}`);
  return redeemed.body.signedPayload;
}

const worker = await startWrangler(writeBenchConfig(), baseVars(), { logLevel: "warn" });
const { url } = worker;
try {
  await createUser(url, JANE);
  const payload = await payloadFor(url, JANE);
  const reset = await post(`${url}/reg/user/resetPassword`, { username: JANE.username, signedPayload: payload, newPassword: "Fresh-passphrase-22" });
  if (reset.status !== 200) throw new Error(`reset: ${reset.status}`);
  const token = reset.body.token;

  // Unknown identifiers for the two request routes: the route's cost is the same by design (it
  // only enqueues), and the queue consumer then has no message to compose for every request.
  const routes = [
    { name: "not_found", label: "`GET /no/such/route` → 404 (baseline)", path: "/no/such/route", status: 404, spec: {} },
    { name: "reg_request", label: "`POST /reg/user/resetPasswordRequest {username}` → 200 (enqueue)", path: "/reg/user/resetPasswordRequest", status: 200,
      spec: { method: "POST", body: { username: "nobody-bench" }, headers: json } },
    { name: "forgotpass", label: "`POST /api/v1/auth/forgotpass {email}` → 200 (enqueue)", path: "/api/v1/auth/forgotpass", status: 200,
      spec: { method: "POST", body: { email: "nobody-bench@example.test" }, headers: { ...json, client_id: CLIENT_ID, origin: ORIGIN } } },
    { name: "wrong_code", label: "`POST /reg/user/resetPasswordRequest {username, code}` wrong code → 400 (Durable Object round trip)", path: "/reg/user/resetPasswordRequest", status: 400,
      spec: { method: "POST", body: { username: JANE.username, code: "000000" }, headers: json } },
    { name: "user_info", label: "`GET /reg/user/info` valid bearer token → 200 (JWT, KV read, Durable Object check)", path: "/reg/user/info", status: 200,
      spec: { headers: bearer(token) } },
  ];

  const results = [];
  for (const route of routes) {
    const script = wrkScript(route.name, route.spec);
    wrk(`${url}${route.path}`, script, 2); // warm-up, not recorded
    const cpuBefore = workerdCpuMs(worker.pid);
    const r = wrk(`${url}${route.path}`, script, SECONDS);
    const cpu = (workerdCpuMs(worker.pid) - cpuBefore) / r.requests;
    const other = Object.entries(r.statuses).filter(([s]) => Number(s) !== route.status);
    if (other.length || r.socket_errors) throw new Error(`${route.name}: unexpected answers ${JSON.stringify(r)}`);
    results.push({ ...route, rps: r.requests / (r.duration_us / 1e6), p50: r.p50_us / 1e3, p99: r.p99_us / 1e3, requests: r.requests, cpu });
  }

  // The password-setting route: one fresh account and payload per request, prepared first.
  const users = [];
  for (let i = 0; i < PASSWORDS; i += 1) {
    const user = { username: `bench-${i}`, email: `bench-${i}@example.test`, password: "Initial-passphrase-1" };
    await retrying(() => createUser(url, user));
    users.push(user);
  }
  const payloads = await Promise.all(users.map((u) => payloadFor(url, u)));
  const baseline = [];
  const cpuBaseline = workerdCpuMs(worker.pid);
  for (let i = 0; i < 200; i += 1) baseline.push((await timedFetch(`${url}/no/such/route`)).ms);
  const baselineCpu = (workerdCpuMs(worker.pid) - cpuBaseline) / baseline.length;
  const setting = [];
  const cpuBefore = workerdCpuMs(worker.pid);
  for (const [i, user] of users.entries()) {
    const r = await timedFetch(`${url}/reg/user/resetPassword`, {
      method: "POST", headers: json,
      body: JSON.stringify({ username: user.username, signedPayload: payloads[i], newPassword: `Bench-passphrase-${i}-x` }),
    });
    if (r.status !== 200) throw new Error(`set password: ${r.status} ${r.body}`);
    setting.push(r.ms);
  }
  const settingCpu = (workerdCpuMs(worker.pid) - cpuBefore) / users.length;

  const base = results[0];
  console.log(`# ${runContext()}; wrk -t1 -c${CONNECTIONS}, ${SECONDS} s per route after a 2 s warm-up; workerd CPU per request = the workerd processes' CPU time over the run / requests`);
  console.log("| route | requests/s | p50 ms | p99 ms | workerd CPU ms per request | requests/s ratio to 404 | p50 ratio to 404 | CPU ratio to 404 |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(`| ${r.label} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.cpu)} | ${fmt(r.rps / base.rps)} | ${fmt(r.p50 / base.p50)} | ${fmt(r.cpu / base.cpu)} |`);
  }
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log("");
  console.log(`# one request at a time from Node's fetch (keep-alive): ${baseline.length} × 404, then ${setting.length} password resets (fresh account and payload each)`);
  console.log("| route | requests/s | p50 ms | max ms | workerd CPU ms per request | p50 ratio to 404 | CPU ratio to 404 |");
  console.log("|---|---|---|---|---|---|---|");
  console.log(`| \`GET /no/such/route\` → 404 (baseline) | ${fmt(1000 / mean(baseline), 0)} | ${fmt(median(baseline))} | ${fmt(Math.max(...baseline))} | ${fmt(baselineCpu)} | 1.00 | 1.00 |`);
  console.log(`| \`POST /reg/user/resetPassword\` → 200 (policy, argon2id verify + hash) | ${fmt(1000 / mean(setting), 1)} | ${fmt(median(setting))} | ${fmt(Math.max(...setting))} | ${fmt(settingCpu, 1)} | ${fmt(median(setting) / median(baseline), 0)} | ${fmt(settingCpu / baselineCpu, 0)} |`);
  console.log(`(404 p99 in this mode: ${fmt(percentile(baseline, 99))} ms)`);
} finally {
  await worker.stop();
}
