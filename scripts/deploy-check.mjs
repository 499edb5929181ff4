// The deploy check (`make deploy-check`): refuses a wrangler configuration that still holds a
// `REPLACE_WITH_` placeholder (the production KV namespace id, …) or a secret published in
// .dev.vars.example, then runs `wrangler deploy --dry-run --env production` (offline: it bundles the
// built Worker and stops before any network call) and prints the upload size wrangler reports.
//
//   node scripts/deploy-check.mjs [--config FILE] [--env NAME] [--outdir DIR] [--no-dry-run]
//
// --config   the wrangler configuration (default: wrangler.toml at the repository's root)
// --env      the wrangler environment dry-run deployed (default: production)
// --outdir   where wrangler writes the bundle (default: a temporary folder, removed afterwards)
// --no-dry-run  only the configuration checks (make deploy-check runs them before building)
//
// Exit status: 0 ready, 1 refused (or the dry run failed), 2 a usage error.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
/**
 * The variables of .dev.vars.example whose values are secrets outside development: the Worker
 * refuses them there (EXAMPLE_SECRET_VARIABLES in crates/pwreset-service/src/config/mod.rs).
 */
const EXAMPLE_SECRET_VARIABLES = ["KEYS", "ADMIN_TOKEN", "API_KEYS", "INTROSPECTION_TOKENS"];

const say = (line) => console.log(`deploy-check: ${line}`);

/** `line` without its TOML comment (a `#` outside a string). */
function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#") {
      return line.slice(0, i);
    }
  }
  return line;
}

/** The secret values .dev.vars.example publishes: for `KEYS` each entry's key (what signs). */
export function exampleSecrets(example = readFileSync(join(ROOT, ".dev.vars.example"), "utf8")) {
  const secrets = [];
  for (const line of example.split("\n")) {
    const match = /^\s*([A-Z_]+)=(.*)$/.exec(line);
    if (!match || !EXAMPLE_SECRET_VARIABLES.includes(match[1])) continue;
    for (const item of match[2].split(/[\s,]+/).filter(Boolean)) {
      secrets.push({ name: match[1], value: match[1] === "KEYS" ? item.slice(item.indexOf(":") + 1) : item });
    }
  }
  return secrets;
}

/** Every reason the configuration `text` must not be deployed, one line each (`file:line: …`). */
export function configProblems(text, file = "wrangler.toml") {
  const problems = [];
  const secrets = exampleSecrets();
  text.split("\n").forEach((raw, index) => {
    const line = stripComment(raw);
    const where = `${file}:${index + 1}`;
    for (const [placeholder] of line.matchAll(/REPLACE_WITH_[A-Za-z0-9_]*/g)) {
      problems.push(`${where}: ${placeholder} is a placeholder: put in the real value (docs/deploy.md, "Once: create the resources")`);
    }
    for (const { name, value } of secrets) {
      if (line.includes(value)) {
        problems.push(`${where}: holds the ${name} value of .dev.vars.example, which is public and for development only: make your own and set it with \`wrangler secret put ${name} --env production\` (docs/deploy.md, "Configure")`);
      }
    }
  });
  return problems;
}

function main() {
  let options;
  try {
    ({ values: options } = parseArgs({
      options: {
        config: { type: "string", default: join(ROOT, "wrangler.toml") },
        env: { type: "string", default: "production" },
        outdir: { type: "string" },
        "no-dry-run": { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    console.error(`deploy-check: ${error.message}`);
    return 2;
  }
  const config = resolve(options.config);
  const inside = relative(process.cwd(), config);
  const shown = inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : config;
  if (!existsSync(config)) {
    console.error(`deploy-check: ${shown} does not exist`);
    return 2;
  }

  const problems = configProblems(readFileSync(config, "utf8"), shown);
  if (problems.length > 0) {
    console.error(`deploy-check: REFUSED: ${shown} is not ready to deploy (${problems.length} problem${problems.length === 1 ? "" : "s"}):`);
    for (const problem of problems) console.error(`  ${problem}`);
    return 1;
  }
  say(`${shown}: no REPLACE_WITH_ placeholders, no secrets from .dev.vars.example`);
  if (options["no-dry-run"]) return 0;

  const entry = /^main\s*=\s*"([^"]+)"/m.exec(readFileSync(config, "utf8"))?.[1];
  if (entry && !existsSync(resolve(dirname(config), entry))) {
    console.error(`deploy-check: ${entry} is not built: run \`make worker\` first (make deploy-check does)`);
    return 1;
  }
  if (!existsSync(WRANGLER)) {
    console.error("deploy-check: wrangler is not installed in node_modules: run `make setup`");
    return 1;
  }
  const outdir = options.outdir ? resolve(options.outdir) : mkdtempSync(join(tmpdir(), "pwreset-deploy-check-"));
  const args = [WRANGLER, "deploy", "--dry-run", "--env", options.env, "--config", config, "--outdir", outdir];
  say(`wrangler deploy --dry-run --env ${options.env} --config ${shown} --outdir ${outdir}`);
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" },
  });
  if (!options.outdir) rmSync(outdir, { recursive: true, force: true });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  process.stdout.write(output);
  if (run.status !== 0) {
    console.error(`deploy-check: FAILED: wrangler deploy --dry-run exited with ${run.status ?? run.signal}`);
    return 1;
  }
  const upload = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(output);
  if (!upload) {
    console.error("deploy-check: FAILED: wrangler printed no \"Total Upload\" line");
    return 1;
  }
  say(`ready: wrangler's upload size for --env ${options.env}: ${upload[1]}, ${upload[2]} gzip (docs/benchmarks.md, "Size", has the budget)`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
