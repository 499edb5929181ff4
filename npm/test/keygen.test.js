// `npx pwreset keygen` (npm/bin/pwreset.js): the entry it prints has the Rust CLI's exact format and
// passes the keyring parser's rules (crates/pwreset-core/src/secrets/keyring.rs), restated here;
// crates/pwreset-cli/tests/npm_keygen.rs feeds the same output to the Rust parser itself. Also: the
// package ships the command and both licence texts, and `npx pwreset keygen` runs from an installed
// copy of the packed package.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { it } from "node:test";

import { makeConsumerProject, removeProject } from "./support/consumer-project.js";

const NPM = fileURLToPath(new URL("..", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../bin/pwreset.js", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** What the Rust CLI prints: `k` + UTC date + `-` + 4 lowercase hex, `:`, 32 bytes base64url unpadded. */
const ENTRY = /^k(\d{8})-[0-9a-f]{4}:([A-Za-z0-9_-]{43})$/;

const run = (...args) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
const utcDate = (d) => d.toISOString().slice(0, 10).replaceAll("-", "");

it("keygen prints one ID:KEY line in the Rust CLI's format, dated today (UTC)", () => {
  const before = utcDate(new Date());
  const { status, stdout, stderr } = run("keygen");
  const after = utcDate(new Date());
  assert.equal(status, 0, stderr);
  assert.equal(stderr, "");
  assert.ok(stdout.endsWith("\n"));
  const lines = stdout.trimEnd().split("\n");
  assert.equal(lines.length, 1);
  const match = ENTRY.exec(lines[0]);
  assert.ok(match, `${lines[0]} is not k<YYYYMMDD>-<4 hex>:<43 base64url>`);
  assert.ok([before, after].includes(match[1]), `${match[1]} is not today's UTC date`);
});

it("the entry passes every rule of the keyring parser", () => {
  const entry = run("keygen").stdout.trim();
  const [id, key] = entry.split(":");
  assert.match(id, /^[A-Za-z0-9_-]{1,32}$/);
  const bytes = Buffer.from(key, "base64url");
  assert.equal(bytes.length, 32);
  assert.equal(bytes.toString("base64url"), key, "canonical base64url without padding");
  assert.ok(new Set(bytes).size >= 16, "at least 16 distinct byte values");
  assert.ok(!bytes.every((b) => b >= 0x20 && b <= 0x7e), "not printable text");
});

it("two runs never print the same id suffix and key", () => {
  const first = run("keygen").stdout;
  const second = run("keygen").stdout;
  assert.notEqual(first.split(":")[1], second.split(":")[1]);
});

it("has the shape of the Rust CLI's entry when that binary is built", (t) => {
  const rust = [`${ROOT}target/debug/pwreset`, `${ROOT}target/release/pwreset`].find((p) => existsSync(p));
  if (!rust) return t.skip("no target/{debug,release}/pwreset (cargo build -p pwreset-cli)");
  const theirs = execFileSync(rust, ["keygen"], { encoding: "utf8" });
  const ours = run("keygen").stdout;
  assert.match(theirs.trimEnd(), ENTRY);
  assert.equal(ours.length, theirs.length);
  assert.equal(ours.indexOf(":"), theirs.indexOf(":"));
});

it("an unknown subcommand, no command, or an extra argument prints usage and exits 2", () => {
  for (const args of [["frobnicate"], [], ["keygen", "extra"], ["check"]]) {
    const { status, stdout, stderr } = run(...args);
    assert.equal(status, 2, `pwreset ${args.join(" ")}`);
    assert.equal(stdout, "");
    assert.match(stderr, /^error: /);
    assert.match(stderr, /Usage: pwreset <COMMAND>/);
    assert.match(stderr, /keygen/);
  }
});

it("`npx pwreset keygen` works in a project that installed the packed package", () => {
  const project = makeConsumerProject();
  try {
    const stdout = execFileSync("npx", ["--no", "pwreset", "keygen"], { cwd: project, encoding: "utf8" });
    assert.match(stdout.trimEnd(), ENTRY);
    for (const name of ["LICENSE-MIT", "LICENSE-APACHE"]) {
      assert.ok(existsSync(`${project}/node_modules/pwreset/${name}`), `the installed package lacks ${name}`);
    }
  } finally {
    removeProject(project);
  }
});

it("--help prints usage and exits 0; --version the package's version", () => {
  const help = run("--help");
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: pwreset <COMMAND>/);
  const version = run("--version");
  assert.equal(version.stdout, `pwreset ${pkg.version}\n`);
});

it("package.json declares the command, and the tarball holds it and both licence texts", () => {
  assert.deepEqual(pkg.bin, { pwreset: "bin/pwreset.js" });
  assert.ok(readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n"));
  for (const name of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.equal(readFileSync(`${NPM}${name}`, "utf8"), readFileSync(`${ROOT}${name}`, "utf8"),
      `npm/${name} differs from the repository's ${name}: copy it again`);
  }
  const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"],
    { cwd: NPM, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const files = packed[0].files.map((f) => f.path);
  for (const name of ["bin/pwreset.js", "LICENSE-MIT", "LICENSE-APACHE", "README.md", "package.json"]) {
    assert.ok(files.includes(name), `the tarball lacks ${name}: ${files.join(", ")}`);
  }
  for (const field of ["repository", "homepage", "bugs"]) {
    assert.equal(pkg[field], undefined, `${field}: the project has no public home yet (README.md, Contributing)`);
  }
  assert.ok(pkg.description && pkg.keywords?.length, "description and keywords");
});
