#!/usr/bin/env node
// `npx pwreset keygen`: a fresh signing-key entry for the pwreset Worker's keyring, without Rust.
// Prints exactly what the Rust CLI's `pwreset keygen` prints (crates/pwreset-cli/src/keygen.rs):
// `ID:KEY`, the id `k` + today's UTC date (YYYYMMDD) + `-` + 2 random bytes as 4 lowercase hex
// digits, the key 32 random bytes as base64url without padding (43 characters). Put it first in
// `KEYS` to make it the signing key (docs/deploy.md, "Rotating the signing key").
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

const USAGE = `Usage: pwreset <COMMAND>

Commands:
  keygen  Print a fresh signing-key entry (ID:KEY) for the Worker's keyring

Options:
  -h, --help     Print help
  -V, --version  Print version

The npm package's command has keygen only; \`check\` and \`hash\` are in the Rust CLI
(cargo run -p pwreset-cli -- --help).
`;

/** `k<YYYYMMDD>-<4 hex>:<base64url of 32 bytes>`, as the Rust CLI prints it. */
function keygen(now = new Date()) {
  const date = now.toISOString().slice(0, 10).replaceAll("-", "");
  const id = `k${date}-${randomBytes(2).toString("hex")}`;
  return `${id}:${randomBytes(32).toString("base64url")}`;
}

function main(args) {
  const [command, ...rest] = args;
  if (command === "keygen" && rest.length === 0) {
    process.stdout.write(`${keygen()}\n`);
    return 0;
  }
  if (command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === "-V" || command === "--version") {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    process.stdout.write(`pwreset ${version}\n`);
    return 0;
  }
  const problem =
    command === undefined ? "a command is required"
    : command === "keygen" ? `unexpected argument '${rest[0]}'`
    : `unrecognized subcommand '${command}'`;
  process.stderr.write(`error: ${problem}\n\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
