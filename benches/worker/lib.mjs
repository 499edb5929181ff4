// What the Worker benchmarks share: a wrangler configuration for benchmarking (the development
// configuration with its rate limits raised, so a load run is not answered 429), starting the
// built Worker under `wrangler dev` on 127.0.0.1, and small statistics.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BENCH_DIR = join(ROOT, "target", "bench-worker");
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
/** Any rate limit of the benchmark configuration: far above what a load run sends in 60 s. */
const BENCH_LIMIT = 100_000_000;

/**
 * Writes target/bench-worker/`file` (default wrangler.toml): the top level of wrangler.toml
 * (bindings, queues, migrations, static assets) with `main` pointing at a built Worker (default
 * worker/build), paths made absolute and every rate limit raised. wrangler.toml itself is never
 * touched.
 */
export function writeBenchConfig(main = join(ROOT, "worker", "build", "index.js"), file = "wrangler.toml") {
  const source = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const topLevel = source.split(/^\[env\./m)[0];
  const config = topLevel
    .replace(/^main = .*$/m, `main = ${JSON.stringify(main)}`)
    .replace(/^directory = "(.*)"$/m, (_, dir) => `directory = ${JSON.stringify(join(ROOT, dir))}`)
    .replace(/simple = \{ limit = \d+, period = (\d+) \}/g, `simple = { limit = ${BENCH_LIMIT}, period = $1 }`);
  if (!config.includes(`limit = ${BENCH_LIMIT}`)) throw new Error("wrangler.toml has no [[ratelimits]] to raise");
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, file);
  writeFileSync(path, `# Written by benches/worker/lib.mjs for benchmarks: wrangler.toml's top level, limits raised.\n${config}`);
  return path;
}

/**
 * Writes target/bench-worker/baseline.toml: the benchmark configuration (the same bindings, queues
 * and Durable Object classes) with `main` swapped for a trivial JavaScript Worker that answers 404
 * and declares empty Durable Object classes. The start-up baseline: what wrangler and workerd
 * cost for this configuration with next to no script.
 */
export function writeBaselineConfig() {
  const config = readFileSync(writeBenchConfig(), "utf8");
  const script = join(BENCH_DIR, "baseline-worker.mjs");
  writeFileSync(script, `import { DurableObject } from "cloudflare:workers";
export class AccountGuardObject extends DurableObject {}
export class GlobalCodesObject extends DurableObject {}
export default {
  fetch() { return new Response('{"error":"not_found"}', { status: 404, headers: { "content-type": "application/json" } }); },
  queue(batch) { batch.ackAll(); },
};
`);
  const path = join(BENCH_DIR, "baseline.toml");
  writeFileSync(path, config.replace(/^main = .*$/m, `main = ${JSON.stringify(script)}`));
  return path;
}

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
 * Starts `wrangler dev` with `config` and `vars`. Resolves when wrangler prints "Ready on", with
 * `readyMs` (from spawn) and no request sent yet. `logLevel` "info" is needed to see "Ready on".
 */
export async function startWrangler(config, vars = {}, { logLevel = "info", timeoutMs = 90_000 } = {}) {
  const port = await freePort();
  const inspector = await freePort();
  const state = mkdtempSync(join(tmpdir(), "pwreset-bench-"));
  const args = [WRANGLER, "dev", "--config", config, "--local", "--ip", "127.0.0.1", "--port", String(port),
    "--inspector-port", String(inspector), "--persist-to", state, "--show-interactive-dev-session=false",
    "--log-level", logLevel];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = [];
  let onLine = () => {};
  const collect = (chunk) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) {
      if (lines.length < 10_000) lines.push(line);
      onLine(line);
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => { child.kill("SIGKILL"); resolve(); }, 5000);
      child.once("exit", () => { clearTimeout(timer); resolve(); });
    });
    rmSync(state, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const readyMs = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler was not ready in ${timeoutMs} ms:\n${lines.join("\n")}`)), timeoutMs);
    child.once("exit", (code) => reject(new Error(`wrangler exited (${code}):\n${lines.join("\n")}`)));
    if (logLevel === "info" || logLevel === "log" || logLevel === "debug") {
      onLine = (line) => {
        if (/Ready on http/.test(line)) { clearTimeout(timer); resolve(performance.now() - started); }
      };
    } else {
      // Quieter runs cannot see "Ready on": poll instead (the first request is then no measurement).
      (async () => {
        for (;;) {
          try { await fetch(`${url}/__ready`); clearTimeout(timer); resolve(performance.now() - started); return; }
          catch { await new Promise((r) => setTimeout(r, 200)); }
        }
      })();
    }
  }).catch(async (e) => { await stop(); throw e; });
  onLine = () => {};
  return { url, readyMs, pid: child.pid, logs: () => lines.join("\n"), stop };
}

/** The parent pid of `pid` (Linux /proc), or undefined when it is gone. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/**
 * CPU time (ms, all threads) that the workerd processes started under `rootPid` have used so far,
 * from Linux's /proc/PID/task/TID/schedstat. Unlike wall time, it hardly moves when other work
 * shares the machine.
 */
export function workerdCpuMs(rootPid) {
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
  let total = 0;
  for (const pid of pids) {
    let comm;
    try { comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim(); } catch { continue; }
    if (comm !== "workerd") continue;
    let up = parentOf(pid);
    while (up && up !== rootPid && up > 1) up = parentOf(up);
    if (up !== rootPid) continue;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try { total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]) / 1e6; } catch { /* thread ended */ }
    }
  }
  return total;
}

/** One request, timed: { ms, status, body }. */
export async function timedFetch(url, init) {
  const start = performance.now();
  const res = await fetch(url, init);
  const body = await res.text();
  return { ms: performance.now() - start, status: res.status, body };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (0–100), nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Context for the record: date, Node, load average. */
export function runContext() {
  const [one, five] = loadavg();
  return `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${one.toFixed(2)} / ${five.toFixed(2)} (1 / 5 min)`;
}

export const fmt = (n, digits = 2) => Number(n).toFixed(digits);
