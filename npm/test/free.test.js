// A compiled policy's wasm memory is given back when JavaScript drops the object (wasm-bindgen's
// FinalizationRegistry), not only on an explicit free().
import assert from "node:assert/strict";
import { it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { createPolicy, ready } from "pwreset";
// The same module instance the package loaded (one URL, one instance): its count of live policies.
import { livePolicyCount } from "../dist/pwreset_policy.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

async function collect() {
  for (let round = 0; round < 10; round += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("free() gives the memory back at once", async () => {
  await ready();
  const before = livePolicyCount();
  const policy = createPolicy("seed-002");
  assert.equal(livePolicyCount(), before + 1);
  policy.free();
  assert.equal(livePolicyCount(), before);
});

it("dropped policies are freed by the garbage collector", async () => {
  await ready();
  await collect();
  const before = livePolicyCount();
  (() => {
    for (let i = 0; i < 100; i += 1) createPolicy({ preset: "nist", min_length: 10 + i }).check("x");
  })();
  assert.equal(livePolicyCount(), before + 100);
  await collect();
  assert.equal(livePolicyCount(), before);
});
