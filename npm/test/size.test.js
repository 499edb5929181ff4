// The policy module's size budget: what `ready()` loads stays within 150 KB gzip (wasm + JS), and it
// carries no zxcvbn.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";

import { moduleSizes } from "../bench/sizes.mjs";

const BUDGET_GZIP_BYTES = 150_000;

it("the policy module is within 150 KB gzip", () => {
  const { gzip } = moduleSizes("policy");
  assert.ok(gzip <= BUDGET_GZIP_BYTES, `policy module is ${gzip} bytes gzip`);
});

it("the policy module does not carry zxcvbn's dictionaries; the strength module does", () => {
  const wasm = (name) => readFileSync(new URL(`../dist/pwreset_${name}_bg.wasm`, import.meta.url));
  // Words in zxcvbn's dictionaries and not in Django's common-password list.
  for (const word of ["schwarzenegger", "kardashian"]) {
    assert.equal(wasm("strength").includes(Buffer.from(word)), true, `${word} in the strength module`);
    assert.equal(wasm("policy").includes(Buffer.from(word)), false, `${word} not in the policy module`);
  }
});
