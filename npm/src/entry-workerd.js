/**
 * Cloudflare Workers (workerd): wrangler compiles the imported wasm at upload; the policy module is
 * instantiated by `ready()` and the strength module on first use. Workers can't compile wasm at run
 * time, so `policyWasm` / `strengthWasm` must be a WebAssembly.Module here.
 */
import policyWasm from "../dist/pwreset_policy_bg.wasm";
import strengthWasm from "../dist/pwreset_strength_bg.wasm";
import * as policy from "../dist/pwreset_policy.js";
import * as strength from "../dist/pwreset_strength.js";
import { loaders } from "./api.js";

Object.assign(loaders, {
  async policy(source) {
    policy.initSync({ module: source ?? policyWasm });
    return policy;
  },
  async strength(source) {
    strength.initSync({ module: source ?? strengthWasm });
    return strength;
  },
});

export * from "./public-api.js";
