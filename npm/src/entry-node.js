/** Node: the wasm files are read from the package directory. */
import { readFile } from "node:fs/promises";
import initPolicy, * as policy from "../dist/pwreset_policy.js";
import { createApi } from "./api.js";

const bytesOf = (name) => readFile(new URL(`../dist/${name}`, import.meta.url));

const api = createApi({
  async policy(source) {
    await initPolicy({ module_or_path: source ?? (await bytesOf("pwreset_policy_bg.wasm")) });
    return policy;
  },
  async strength(source) {
    const strength = await import("../dist/pwreset_strength.js");
    await strength.default({ module_or_path: source ?? (await bytesOf("pwreset_strength_bg.wasm")) });
    return strength;
  },
});

export const { ready, loadStrength, validatePassword, checkConfirm, estimateStrength, helpTexts, warmUpStrength } = api;
export { PwresetError, ResetApiError } from "./errors.js";
export { createResetClient } from "./client.js";
