// The browser sees what the server enforces: the package (wasm) and the native `pwreset check` (the
// same core, compiled for the server) give the same results, strength included.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { it } from "node:test";

import { loadStrength, ready, validatePassword } from "pwreset";

const root = new URL("../../", import.meta.url);
const passwords = [
  "password", "Tr0ub4dour&3", "correcthorsebatterystaple", "jane.doe1987!", "kD9#mQ2$vL7pX!",
  "The quick brown fox jumps over 13 lazy!!x", "12345678", "ÄÖÜéèêçñ", "janedoe", "x", "",
];
const users = [undefined, { username: "jane", last_name: "doe", email: "jane.doe@example.com" }];

function native(preset, requests) {
  const stdout = execFileSync(
    "cargo",
    ["run", "--locked", "--quiet", "-p", "pwreset-cli", "--", "check", "--preset", preset],
    { cwd: root, input: requests.map((r) => JSON.stringify(r)).join("\n"), encoding: "utf8" },
  );
  return stdout.trim().split("\n").map((line) => JSON.parse(line));
}

it("package and native CLI agree on codes, messages and strength for every preset", async () => {
  await ready();
  await loadStrength();
  for (const preset of ["django", "nist", "seed-002"]) {
    const requests = users.flatMap((user) => passwords.map((password) => ({ password, ...(user ? { user } : {}) })));
    const expected = native(preset, requests);
    requests.forEach((request, index) => {
      const ours = validatePassword(request.password, { preset, ...(request.user ? { user: request.user } : {}) });
      const theirs = expected[index];
      assert.deepEqual(ours.errors, theirs.errors, `${preset} ${request.password}`);
      assert.equal(ours.valid, theirs.valid);
      // log10 may differ in the last bit between wasm's libm and the platform's.
      assert.ok(Math.abs(ours.strength.guesses_log10 - theirs.strength.guesses_log10) < 1e-9);
      assert.deepEqual({ ...ours.strength, guesses_log10: 0 }, { ...theirs.strength, guesses_log10: 0 });
    });
  }
});
