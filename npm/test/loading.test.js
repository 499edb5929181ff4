// Loading: a module that can't be loaded is a typed error, and a later call may retry.
import assert from "node:assert/strict";
import { it } from "node:test";

import { PwresetError, estimateStrength, loadStrength, ready, validatePassword } from "pwreset";

it("bad wasm bytes are load_failed, and ready() can then succeed", async () => {
  await assert.rejects(ready({ policyWasm: new Uint8Array([0, 97, 115, 109, 1]) }), (e) => {
    return e instanceof PwresetError && e.code === "load_failed" && e.message.includes("policy module");
  });
  assert.throws(() => validatePassword("x"), (e) => e.code === "not_ready");
  await ready();
  assert.equal(validatePassword("kD9#mQ2$vL7pX!").valid, true);
});

it("the strength module likewise", async () => {
  await assert.rejects(loadStrength({ wasm: new Uint8Array([1, 2, 3]) }), (e) => e.code === "load_failed");
  assert.equal((await estimateStrength("password")).score, 0);
});

it("ready() refuses options that are not an object", async () => {
  await assert.rejects(ready("fast"), (e) => e.code === "invalid_argument");
});
