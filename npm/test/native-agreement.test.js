// The browser sees what the server enforces: the package (wasm) and the native `pwreset check` (the
// same core, compiled for the server) give the same results, strength included.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";

import { loadStrength, ready, validatePassword } from "pwreset";

const root = new URL("../../", import.meta.url);
const passwords = [
  "password", "Tr0ub4dour&3", "correcthorsebatterystaple", "jane.doe1987!", "kD9#mQ2$vL7pX!",
  "The quick brown fox jumps over 13 lazy!!x", "12345678", "ÄÖÜéèêçñ", "janedoe", "x", "",
];
const users = [undefined, { username: "jane", last_name: "doe", email: "jane.doe@example.com" }];

function native(preset, requests, policyFile) {
  const policy = policyFile ? ["--policy", policyFile] : ["--preset", preset];
  const stdout = execFileSync(
    "cargo",
    ["run", "--locked", "--quiet", "-p", "pwreset-cli", "--", "check", ...policy],
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

it("with a locale, messages and strength feedback are the native core's translations and the codes stay the same", async () => {
  await ready();
  await loadStrength();
  const dir = mkdtempSync(join(tmpdir(), "pwreset-locale-"));
  try {
    const requests = users.flatMap((user) =>
      passwords.map((password) => ({ password, confirm: `${password}!`, ...(user ? { user } : {}) })),
    );
    // The server answers a German or Spanish Accept-Language with Django's catalog in that language;
    // natively that is a policy whose catalog is the translation. seed-002 has none: it stays English.
    const cases = [
      ["django", "de", "de"], ["django", "es-ES", "es"], ["nist", "de-AT", "de"], ["nist", "es", "es"],
      ["seed-002", "de", "seed-002"], ["django", "fr", "django"],
    ];
    for (const [preset, locale, catalog] of cases) {
      const file = join(dir, `${preset}-${catalog}.json`);
      writeFileSync(file, JSON.stringify({ preset, messages: catalog }));
      const expected = native(preset, requests, file);
      requests.forEach((request, index) => {
        const { password, ...rest } = request;
        const ours = validatePassword(password, { preset, locale, ...rest });
        assert.deepEqual(ours.errors, expected[index].errors, `${preset} ${locale} ${password}`);
        const { warning, suggestions } = expected[index].strength;
        assert.deepEqual([ours.strength.warning, ours.strength.suggestions], [warning, suggestions], `${preset} ${locale} ${password}`);
        const english = validatePassword(password, { preset, ...rest });
        assert.deepEqual(ours.errors.map((e) => [e.code, e.field, e.params]), english.errors.map((e) => [e.code, e.field, e.params]));
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
