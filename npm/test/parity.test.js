// The Django 5.2 parity fixture through the package: the same codes and messages as Django on
// every case, as the Rust test requires of the core.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";

import { ready, validatePassword } from "pwreset";

const fixture = new URL("../../tests/parity/django-5.2.jsonl", import.meta.url);

it("agrees with Django 5.2 on every fixture case", async () => {
  await ready();
  const cases = readFileSync(fixture, "utf8").trim().split("\n").map((line) => JSON.parse(line));
  assert.ok(cases.length >= 1000);
  const disagreements = [];
  for (const { password, user, codes, messages } of cases) {
    const result = validatePassword(password, { preset: "django", ...(user ? { user } : {}) });
    const ours = result.errors.map((e) => e.code);
    const ourMessages = result.errors.map((e) => e.message);
    if (JSON.stringify(ours) !== JSON.stringify(codes) || JSON.stringify(ourMessages) !== JSON.stringify(messages)) {
      disagreements.push({ password, user, codes, ours });
    }
  }
  assert.deepEqual(disagreements, [], `${disagreements.length} of ${cases.length} disagree`);
});
