/**
 * The package's public API, listed once: every entry file re-exports this module after giving its
 * platform's wasm loaders, and npm/test/types.test.js checks types/index.d.ts against it.
 */
import { createApi, loaders } from "./api.js";

export const { ready, loadStrength, createPolicy, validatePassword, checkConfirm, estimateStrength, helpTexts, warmUpStrength } =
  createApi(loaders);
export { PwresetError, ResetApiError } from "./errors.js";
export { uniqueMessages } from "./messages.js";
export { createResetClient } from "./client.js";

/** `checkBreached(password, options)`, loaded on first use: a form needs it only when it is submitted. */
export async function checkBreached(password, options) {
  const breached = await import("./breached.js");
  return breached.checkBreached(password, options);
}
