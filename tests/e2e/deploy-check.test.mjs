// scripts/deploy-check.mjs (`make deploy-check`): it refuses the repository's wrangler.toml, whose
// production KV namespace id is still a placeholder, and any configuration holding a secret from
// .dev.vars.example; a copy with the placeholder filled in passes the checks, and its
// `wrangler deploy --dry-run --env production` (offline) reports the upload size. The dry run needs
// the built Worker (worker/build, which `make e2e` builds first) and is skipped without it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCRIPT = join(ROOT, "scripts", "deploy-check.mjs");
const SOURCE = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "pwreset-deploy-check-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const check = (...args) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: "utf8" });

/** wrangler.toml with `replace` applied, its relative paths made absolute, written to the temp folder. */
function copy(name, replace = (text) => text) {
  const text = replace(SOURCE)
    .replace(/^main = "(.*)"$/m, (_, path) => `main = ${JSON.stringify(join(ROOT, path))}`)
    .replace(/^directory = "(.*)"$/m, (_, path) => `directory = ${JSON.stringify(join(ROOT, path))}`);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const filled = (text) => text.replaceAll("REPLACE_WITH_KV_NAMESPACE_ID", "0f2ac74b8d9c4e0f9c1b2a3d4e5f6a7b");

test("the repository's wrangler.toml is refused for its placeholder, before any build or dry run", () => {
  assert.match(SOURCE, /REPLACE_WITH_KV_NAMESPACE_ID/, "the committed file keeps its placeholder");
  for (const args of [[], ["--no-dry-run"]]) {
    const { status, stdout, stderr } = check(...args);
    assert.equal(status, 1, stderr);
    assert.match(stderr, /REFUSED: wrangler\.toml is not ready to deploy/);
    assert.match(stderr, /wrangler\.toml:\d+: REPLACE_WITH_KV_NAMESPACE_ID is a placeholder/);
    assert.doesNotMatch(stdout, /dry-run/);
  }
});

test("a copy with the placeholder filled in passes the configuration checks", () => {
  const { status, stdout, stderr } = check("--config", copy("filled.toml", filled), "--no-dry-run");
  assert.equal(status, 0, stderr);
  assert.match(stdout, /no REPLACE_WITH_ placeholders, no secrets from \.dev\.vars\.example/);
});

test("a placeholder left in a comment only is no problem", () => {
  const config = copy("comment.toml", (text) => filled(text).replace(
    /^id = "0f2ac74b8d9c4e0f9c1b2a3d4e5f6a7b"$/m, '$& # the id printed above, instead of REPLACE_WITH_KV_NAMESPACE_ID'));
  assert.match(readFileSync(config, "utf8"), /# the id printed above, instead of REPLACE_WITH_KV_NAMESPACE_ID/);
  const { status, stderr } = check("--config", config, "--no-dry-run");
  assert.equal(status, 0, stderr);
});

test("a secret published in .dev.vars.example is refused, wherever it is put", () => {
  const example = readFileSync(join(ROOT, ".dev.vars.example"), "utf8");
  const value = (name) => new RegExp(`^${name}=(.*)$`, "m").exec(example)[1].trim();
  const devKey = value("KEYS").split(":")[1];
  const config = copy("secrets.toml", (text) => filled(text).replace(
    'vars = { ENVIRONMENT = "production" }',
    `vars = { ENVIRONMENT = "production", ADMIN_TOKEN = "${value("ADMIN_TOKEN")}", KEYS = "kmine-1:${devKey}" }`));
  const { status, stderr } = check("--config", config, "--no-dry-run");
  assert.equal(status, 1, stderr);
  assert.match(stderr, /holds the ADMIN_TOKEN value of \.dev\.vars\.example/);
  assert.match(stderr, /holds the KEYS value of \.dev\.vars\.example/);
});

test("with the placeholder filled in, wrangler's dry run reports the upload size", (t) => {
  if (!existsSync(join(ROOT, "worker", "build", "index.js"))) {
    return t.skip("worker/build is not built (make worker)");
  }
  const { status, stdout, stderr } = check("--config", copy("dry-run.toml", filled));
  assert.equal(status, 0, `${stdout}\n${stderr}`);
  assert.match(stdout, /Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/);
  assert.match(stdout, /env\.PWRESET_KV \(0f2ac74b8d9c4e0f9c1b2a3d4e5f6a7b\)/);
  assert.match(stdout, /deploy-check: ready: wrangler's upload size for --env production: [\d.]+ KiB, [\d.]+ KiB gzip/);
});
