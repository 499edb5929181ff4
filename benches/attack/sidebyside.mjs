// Side by side, same machine, same run: the CPU cost of one password-setting request in the Rust
// Worker against the same job written as a JavaScript Worker (benches/js-baseline/worker.mjs:
// zxcvbn-ts policy, PBKDF2-SHA256 600,000 iterations standing in for argon2id, WebCrypto HMAC),
// both run by the same workerd under `wrangler dev` on 127.0.0.1; and each Worker's size.
//
// What is measured, per variant, one request at a time on one kept-alive connection:
// - wall time per request (Node's fetch: send to last byte), p50 of SIDE_N requests after 2
//   warm-up requests;
// - CPU per request: the user + system CPU seconds the variant's workerd processes used (from
//   /proc/PID/stat, 10 ms ticks) over the SIDE_N requests and the 3 s after them (so the queue
//   consumer's "password changed" notice is in), minus what they use idle over the same time,
//   divided by SIDE_N. workerd gives no per-request CPU figure locally; this one includes
//   everything the process does for the request (HTTP, the Worker, local KV/Durable Object
//   storage, the queue), not only the isolate's JavaScript or wasm;
// - the same for the cheapest route of each (the Rust Worker's 404, the baseline's GET /ping), as
//   the per-request floor.
// Variants: the Rust Worker as built (worker/build: policy `django`, no zxcvbn, argon2id verify +
// hash), the Rust Worker built with zxcvbn (WORKER_FEATURES=strength into
// target/bench-attack/worker-strength by `make bench-sidebyside`; skipped if absent) with the
// policy {"preset":"django","min_score":3}, and the JavaScript baseline with and without zxcvbn.
// Sizes: the Rust Worker's index.js + index_bg.wasm, and the baseline bundled by esbuild as
// wrangler would (ESM, not minified) and minified; raw and gzip level 9.
// Run: make bench-sidebyside.

import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { ADMIN_TOKEN, B_HEADERS, loadVars } from "./vars.mjs";
import { OUT_DIR, RAISED, ROOT, cpuSeconds, fmt, percentile, runContext, send, sleep, startWrangler, writeConfig } from "./lib.mjs";

const N = Number(process.env.SIDE_N ?? 20);
const FLOOR_N = 200;
const SETTLE_MS = 3000;
const STRENGTH_BUILD = join(OUT_DIR, "worker-strength");
const BASELINE_CONFIG = join(ROOT, "benches", "js-baseline", "wrangler.toml");
const TOKEN_KEY = "js-baseline-token-key-0123456789abcdef";

/** CPU of `pids` per request of `work` (n requests), net of the idle rate. */
async function cpuPerRequest(pids, n, work) {
  const idle0 = cpuSeconds(pids);
  await sleep(SETTLE_MS);
  const idleRate = (cpuSeconds(pids) - idle0) / (SETTLE_MS / 1000);
  const start = cpuSeconds(pids);
  const t0 = performance.now();
  const walls = await work();
  await sleep(SETTLE_MS);
  const seconds = (performance.now() - t0) / 1000;
  const used = cpuSeconds(pids) - start - idleRate * seconds;
  return { cpuMs: (1000 * used) / n, walls };
}

async function sequential(n, one) {
  const walls = [];
  for (let i = 0; i < n; i += 1) walls.push(await one(i));
  return walls;
}

// ------------------------------------------------------------------ the strength check ran
/** Passes every Django rule, but zxcvbn scores it 0: a variant that estimates strength refuses it. */
const WEAK = "aaaaaaaaaaaaaaaa";

/** Fails the run unless `attempt` is answered 400 for a weak password: zxcvbn really runs there. */
async function refusesWeak(label, attempt) {
  const res = await attempt();
  if (res.status !== 400 || !/weak/i.test(JSON.stringify(res.body))) {
    throw new Error(`${label} did not refuse a weak password: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

// ------------------------------------------------------------------ the Rust Worker
async function rustVariant(label, main, vars) {
  const worker = await startWrangler(writeConfig(`side-${label.replace(/\W+/g, "-")}.toml`, RAISED, main), loadVars(vars));
  const { url } = worker;
  try {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const users = [];
    for (let i = 0; i < N + 2; i += 1) {
      const user = { username: `side-${i}`, email: `side-${i}@example.test`, password: "Initial-passphrase-1", first_name: "Jane" };
      const res = await send(`${url}/admin/users`, user, auth);
      if (res.status !== 201) throw new Error(`admin/users ${res.status}`);
      await send(`${url}/api/v1/auth/forgotpass`, { email: user.email }, B_HEADERS);
      users.push(user);
    }
    const tokens = [];
    for (const user of users) {
      let message;
      for (let t = 0; t < 300 && !message; t += 1) {
        const box = await send(`${url}/dev/outbox?to=${encodeURIComponent(user.email)}`, undefined, {}, "GET");
        message = Array.isArray(box.body) ? box.body.find((m) => m.link) : undefined;
        if (!message) await sleep(100);
      }
      if (!message) throw new Error("no link in the outbox");
      tokens.push(new URL(message.link).searchParams.get("token"));
    }
    const pids = worker.workerdPids();
    const resetOnce = async (i) => {
      const password = `Side-by-side-${i}-passphrase!`;
      const res = await send(`${url}/api/v1/auth/resetpass`, { token: tokens[i], password, passwordConfirm: password }, B_HEADERS);
      if (res.status !== 200) throw new Error(`${label} resetpass ${res.status} ${JSON.stringify(res.body)}`);
      return res.ms;
    };
    if (vars.PASSWORD_POLICY) await refusesWeak(label, () => send(`${url}/api/v1/auth/resetpass`, { token: tokens[0], password: WEAK, passwordConfirm: WEAK }, B_HEADERS));
    await resetOnce(N); // warm-up (not counted)
    await resetOnce(N + 1);
    const floor = await cpuPerRequest(pids, FLOOR_N, () => sequential(FLOOR_N, async () => (await send(`${url}/no/such/route`, undefined, {}, "GET")).ms));
    const job = await cpuPerRequest(pids, N, () => sequential(N, resetOnce));
    return { label, floor, job, route: "`POST /api/v1/auth/resetpass` (link token)", floorRoute: "`GET /no/such/route` (404)" };
  } finally {
    await worker.stop();
  }
}

// ------------------------------------------------------------------ the JavaScript baseline
function baselineToken() {
  const payload = Buffer.from(JSON.stringify({ sub: "acct-1", exp: Math.floor(Date.now() / 1000) + 3600, n: Math.random() })).toString("base64url");
  const tag = createHmac("sha256", TOKEN_KEY).update(payload).digest("base64url");
  return `${payload}.${tag}`;
}

async function baselineVariant(label, strength) {
  const worker = await startWrangler(BASELINE_CONFIG, { STRENGTH: strength ? "on" : "off" });
  const { url } = worker;
  try {
    const pids = worker.workerdPids();
    const resetOnce = async (i) => {
      const password = `Side-by-side-${i}-passphrase!`;
      const res = await send(`${url}/reset`, { token: baselineToken(), password, passwordConfirm: password });
      if (res.status !== 200) throw new Error(`${label} reset ${res.status} ${JSON.stringify(res.body)}`);
      return res.ms;
    };
    if (strength) await refusesWeak(label, () => send(`${url}/reset`, { token: baselineToken(), password: WEAK, passwordConfirm: WEAK }));
    await resetOnce(N);
    await resetOnce(N + 1);
    const floor = await cpuPerRequest(pids, FLOOR_N, () => sequential(FLOOR_N, async () => (await send(`${url}/ping`, undefined, {}, "GET")).ms));
    const job = await cpuPerRequest(pids, N, () => sequential(N, resetOnce));
    return { label, floor, job, route: "`POST /reset`", floorRoute: "`GET /ping` (204)" };
  } finally {
    await worker.stop();
  }
}

// ------------------------------------------------------------------ sizes
function sizes() {
  const out = join(OUT_DIR, "js-baseline");
  mkdirSync(out, { recursive: true });
  const esbuild = join(ROOT, "node_modules", ".bin", "esbuild");
  const entry = join(ROOT, "benches", "js-baseline", "worker.mjs");
  execFileSync(esbuild, [entry, "--bundle", "--format=esm", "--platform=neutral", "--main-fields=module,main", `--outfile=${join(out, "worker.js")}`, "--log-level=warning"]);
  execFileSync(esbuild, [entry, "--bundle", "--format=esm", "--platform=neutral", "--main-fields=module,main", "--minify", `--outfile=${join(out, "worker.min.js")}`, "--log-level=warning"]);
  const measure = (files) => {
    const bytes = files.map((f) => readFileSync(f));
    return { raw: bytes.reduce((n, b) => n + b.length, 0), gzip: bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) };
  };
  const rows = [
    ["Rust Worker as built (worker/build: index.js + index_bg.wasm)", measure([join(ROOT, "worker/build/index.js"), join(ROOT, "worker/build/index_bg.wasm")])],
  ];
  if (existsSync(join(STRENGTH_BUILD, "index_bg.wasm"))) {
    rows.push(["Rust Worker with zxcvbn (WORKER_FEATURES=strength)", measure([join(STRENGTH_BUILD, "index.js"), join(STRENGTH_BUILD, "index_bg.wasm")])]);
  }
  rows.push(["JavaScript baseline, esbuild bundle (not minified, as wrangler uploads)", measure([join(out, "worker.js")])]);
  rows.push(["JavaScript baseline, esbuild bundle, minified", measure([join(out, "worker.min.js")])]);
  return rows;
}

// ------------------------------------------------------------------ run and report
const results = [];
const sizeRows = sizes();
results.push(await rustVariant("Rust Worker as built (django policy, no zxcvbn)", join(ROOT, "worker", "build", "index.js"), {}));
if (existsSync(join(STRENGTH_BUILD, "index.js"))) {
  results.push(await rustVariant("Rust Worker with zxcvbn (django + min_score 3)", join(STRENGTH_BUILD, "index.js"), { PASSWORD_POLICY: JSON.stringify({ preset: "django", min_score: 3 }) }));
}
results.push(await baselineVariant("JavaScript baseline (zxcvbn-ts, PBKDF2 600k ×2)", true));
results.push(await baselineVariant("JavaScript baseline without zxcvbn (PBKDF2 600k ×2)", false));

const baseline = results.find((r) => r.label.startsWith("JavaScript baseline (zxcvbn"));
console.log(`# Side by side, ${runContext()}; ${N} password-setting requests per variant after 2 warm-up, ${FLOOR_N} floor requests, one at a time`);
console.log("| variant | password-setting route | wall p50 ms | wall max ms | workerd CPU ms / request | ratio to the JS baseline (CPU) | floor route | floor wall p50 ms | floor CPU ms / request |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(`| ${r.label} | ${r.route} | ${fmt(percentile(r.job.walls, 50), 1)} | ${fmt(Math.max(...r.job.walls), 1)} | ${fmt(r.job.cpuMs, 1)} | ${fmt(r.job.cpuMs / baseline.job.cpuMs)} | ${r.floorRoute} | ${fmt(percentile(r.floor.walls, 50))} | ${fmt(r.floor.cpuMs, 2)} |`);
}
console.log("");
const rustSize = sizeRows[0][1];
console.log("| build | raw KB | gzip KB | gzip ratio to the Rust Worker as built |");
console.log("|---|---|---|---|");
for (const [name, s] of sizeRows) console.log(`| ${name} | ${fmt(s.raw / 1024, 1)} | ${fmt(s.gzip / 1024, 1)} | ${fmt(s.gzip / rustSize.gzip)} |`);
