/**
 * Browsers and bundlers. The policy module's glue is imported with the package; its wasm is fetched by
 * `ready()` from beside the glue (bundlers that understand `new URL(…, import.meta.url)` copy it). The
 * strength module, glue and wasm, is fetched on first use. Pass `policyWasm` / `strengthWasm` (a URL,
 * Response, or bytes) to `ready()` to load them from elsewhere.
 */
import initPolicy, * as policy from "../dist/pwreset_policy.js";
import { createApi } from "./api.js";

const api = createApi({
  async policy(source) {
    await initPolicy(source === undefined ? undefined : { module_or_path: source });
    return policy;
  },
  async strength(source) {
    const strength = await import("../dist/pwreset_strength.js");
    await strength.default(source === undefined ? undefined : { module_or_path: source });
    return strength;
  },
});

export const { ready, loadStrength, validatePassword, checkConfirm, estimateStrength, helpTexts, warmUpStrength } = api;
export { PwresetError, ResetApiError } from "./errors.js";
export { createResetClient } from "./client.js";
