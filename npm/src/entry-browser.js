/**
 * Browsers and bundlers. The policy module's glue is imported with the package; its wasm is fetched by
 * `ready()` from beside the glue (bundlers that understand `new URL(…, import.meta.url)` copy it). The
 * strength module, glue and wasm, is fetched on first use. Pass `policyWasm` / `strengthWasm` (a URL,
 * Response, bytes or WebAssembly.Module) to `ready()` to load them from elsewhere.
 */
import initPolicy, * as policy from "../dist/pwreset_policy.js";
import { loaders } from "./api.js";
import { fetchWasm } from "./fetch-wasm.js";

Object.assign(loaders, {
  async policy(source) {
    await initPolicy({ module_or_path: source ?? (await fetchWasm(policy.wasmUrl(), "policy")) });
    return policy;
  },
  async strength(source) {
    const strength = await import("../dist/pwreset_strength.js");
    await strength.default({ module_or_path: source ?? (await fetchWasm(strength.wasmUrl(), "strength")) });
    return strength;
  },
});

export * from "./public-api.js";
