/**
 * Browsers and bundlers. The policy module's glue is imported with the package; its wasm is fetched by
 * `ready()` from beside the glue (bundlers that understand `new URL(…, import.meta.url)` copy it). The
 * strength module, glue and wasm, is fetched on first use. Pass `policyWasm` / `strengthWasm` (a URL,
 * Response, bytes or WebAssembly.Module) to `ready()` to load them from elsewhere.
 */
import initPolicy, * as policy from "../dist/pwreset_policy.js";
import { createApi } from "./api.js";
import { fetchWasm } from "./fetch-wasm.js";

const api = createApi({
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

export const { ready, loadStrength, createPolicy, validatePassword, checkConfirm, estimateStrength, helpTexts, warmUpStrength } =
  api;
export { PwresetError, ResetApiError } from "./errors.js";
export { uniqueMessages } from "./messages.js";
export { createResetClient } from "./client.js";

/** `checkBreached(password, options)`, loaded on first use: a form needs it only when it is submitted. */
export async function checkBreached(password, options) {
  const breached = await import("./breached.js");
  return breached.checkBreached(password, options);
}
