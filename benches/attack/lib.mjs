// What the attack benchmarks share: a temporary wrangler configuration under target/ (the
// development configuration with the rate limits of the run's choice: raised for load, copied from
// [env.production] for the production brute-force run), starting the built Worker under
// `wrangler dev` on 127.0.0.1 and a free port, the CPU time of its workerd processes, statistics.
// Every request goes to 127.0.0.1 only. wrangler.toml itself is never touched.

import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const OUT_DIR = join(ROOT, "target", "bench-attack");
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const LIMIT_NAMES = ["LIMIT_REQUEST_PER_IP", "LIMIT_REQUEST_PER_IDENTIFIER", "LIMIT_ATTEMPT_PER_IP", "LIMIT_ADMIN_PER_IP"];

/** The `[[env.production.ratelimits]]` of wrangler.toml: { NAME: limit per 60 s }. */
export function productionLimits() {
  return limitsOf(readFileSync(join(ROOT, "wrangler.toml"), "utf8").split(/^\[env\.production\]/m)[1], "env.production.ratelimits");
}

/** The top-level (development) `[[ratelimits]]` of wrangler.toml: { NAME: limit per 60 s }. */
export function developmentLimits() {
  return limitsOf(readFileSync(join(ROOT, "wrangler.toml"), "utf8").split(/^\[env\./m)[0], "ratelimits");
}

function limitsOf(text, table) {
  const limits = {};
  const re = new RegExp(`\\[\\[${table.replace(/\./g, "\\.")}\\]\\]\\s*name = "([A-Z_]+)"\\s*namespace_id = "\\d+"\\s*simple = \\{ limit = (\\d+), period = 60 \\}`, "g");
  for (const m of text.matchAll(re)) limits[m[1]] = Number(m[2]);
  for (const name of LIMIT_NAMES) if (!(name in limits)) throw new Error(`wrangler.toml: no ${table} entry for ${name}`);
  return limits;
}

/**
 * Copies a built Worker (`buildDir`, default worker/build) and the static assets (worker/assets)
 * to target/bench-attack/snapshot-`name`/, and returns the copy's entry point. `wrangler dev`
 * reloads the Worker when its files change, and other work on this machine rebuilds worker/build
 * and rewrites worker/assets (scripts/build-worker.sh copies the npm package there on every run):
 * a benchmark on the copy is not restarted halfway by that.
 */
export function snapshotBuild(name, buildDir = join(ROOT, "worker", "build")) {
  const dir = join(OUT_DIR, `snapshot-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(buildDir, join(dir, "build"), { recursive: true, filter: (src) => !src.includes("/.tmp") });
  cpSync(join(ROOT, "worker", "assets"), join(dir, "assets"), { recursive: true });
  return join(dir, "build", "index.js");
}

/**
 * Writes target/bench-attack/`file`: wrangler.toml's top level (bindings, queues, migrations,
 * static assets) with absolute paths, `main` = `main` (default: a snapshot of worker/build, see
 * snapshotBuild, whose assets are used too), and each rate limit set from `limits` ({ NAME: n },
 * a missing name keeps its development value). Returns the path.
 */
export function writeConfig(file, limits = {}, main = snapshotBuild(file.replace(/\.toml$/, ""))) {
  const source = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const snapshotAssets = join(main, "..", "..", "assets");
  const assets = existsSync(snapshotAssets) ? snapshotAssets : join(ROOT, "worker", "assets");
  let config = source.split(/^\[env\./m)[0]
    .replace(/^main = .*$/m, `main = ${JSON.stringify(main)}`)
    .replace(/^directory = "(.*)"$/m, () => `directory = ${JSON.stringify(assets)}`);
  for (const [name, limit] of Object.entries(limits)) {
    const re = new RegExp(`(name = "${name}"\\s*namespace_id = "\\d+"\\s*simple = \\{ limit = )\\d+`);
    if (!re.test(config)) throw new Error(`wrangler.toml has no rate limit ${name}`);
    config = config.replace(re, `$1${limit}`);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, file);
  writeFileSync(path, `# Written by benches/attack/lib.mjs: wrangler.toml's top level with the limits ${JSON.stringify(limits)}.\n${config}`);
  return path;
}

/** Every rate limit raised far above what any run here sends. */
export const RAISED = Object.fromEntries(LIMIT_NAMES.map((n) => [n, 100_000_000]));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `wrangler dev --config config` with `vars`; resolves once the Worker answers. Returns
 * { url, child, logs(), events(), workerdPids(), stop() }.
 */
export async function startWrangler(config, vars, { keepLines = 200_000 } = {}) {
  const port = await freePort();
  const inspector = await freePort();
  const state = mkdtempSync(join(tmpdir(), "pwreset-attack-"));
  const args = [WRANGLER, "dev", "--config", config, "--local", "--ip", "127.0.0.1", "--port", String(port),
    "--inspector-port", String(inspector), "--persist-to", state, "--show-interactive-dev-session=false",
    "--log-level", "log"];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1", CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = [];
  const collect = (chunk) => {
    for (const line of chunk.toString().split("\n")) if (line && lines.length < keepLines) lines.push(line);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => {
        const timer = setTimeout(() => { child.kill("SIGKILL"); resolve(); }, 5000);
        child.once("exit", () => { clearTimeout(timer); resolve(); });
      });
    }
    rmSync(state, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler exited:\n${lines.join("\n")}`);
    try {
      await fetch(`${url}/__ready`);
      break;
    } catch {
      if (Date.now() > deadline) { await stop(); throw new Error(`the Worker did not start in 120 s:\n${lines.join("\n")}`); }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    child,
    logs: () => lines.join("\n"),
    events: () => lines.filter((l) => l.trim().startsWith("{")).map((l) => { try { return JSON.parse(l.trim()); } catch { return null; } }).filter(Boolean),
    workerdPids: () => descendants(child.pid).filter((pid) => commandOf(pid).includes("workerd")),
    stop,
  };
}

function commandOf(pid) {
  try { return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "); } catch { return ""; }
}

/** Every process below `pid` (from /proc). */
function descendants(pid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch { /* gone */ }
  }
  const found = [];
  const walk = (p) => { for (const [c, pp] of parents) if (pp === p) { found.push(c); walk(c); } };
  walk(pid);
  return found;
}

/** user + system CPU seconds used so far by the processes `pids` (from /proc/PID/stat). */
export function cpuSeconds(pids) {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / tick; // utime, stime
    } catch { /* gone */ }
  }
  return total;
}

/** POSTs JSON (or a string), timed: { ms, status, headers, body }. */
export async function send(url, body, headers = {}, method = "POST") {
  const start = performance.now();
  const res = await fetch(url, {
    method,
    headers: method === "GET" ? headers : { "content-type": "application/json", ...headers },
    body: method === "GET" ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - start;
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { ms, status: res.status, headers: res.headers, body: parsed };
}

/** The p-th percentile (0–100), nearest rank. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export const median = (values) => percentile(values, 50);
export const fmt = (n, digits = 2) => (Number.isFinite(n) ? Number(n).toFixed(digits) : String(n));

/** Context for the record: date and time, Node, load average, cores. */
export function runContext() {
  const [one, five] = loadavg();
  return `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}, load average ${one.toFixed(2)} / ${five.toFixed(2)} (1 / 5 min)`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
