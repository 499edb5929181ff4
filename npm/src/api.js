/**
 * The package's functions, independent of where they run. Each entry point (browser, node, workerd)
 * passes loaders that instantiate the two wasm modules its own way.
 */
import { PwresetError, fromWasm } from "./errors.js";

const VALIDATE_OPTIONS = ["preset", "policy", "user", "confirm", "confirmField", "passwordField"];

function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireString(value, name) {
  if (typeof value !== "string") {
    throw new PwresetError("invalid_argument", `${name} must be a string, got ${describe(value)}`);
  }
}

function optionalString(value, name) {
  if (value !== undefined && value !== null) requireString(value, name);
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function call(fn) {
  try {
    return fn();
  } catch (thrown) {
    throw fromWasm(thrown);
  }
}

/**
 * @param {{ policy: (source?: unknown) => Promise<object>, strength: (source?: unknown) => Promise<object> }} loaders
 *   each resolves to an initialised wasm-bindgen module
 */
export function createApi(loaders) {
  const modules = { policy: null, strength: null };
  const loading = { policy: null, strength: null };

  /** Loads a module once; a failed load may be retried. */
  async function loadOnce(kind, source) {
    loading[kind] ??= loaders[kind](source).then(
      (module) => {
        modules[kind] = module;
      },
      (error) => {
        loading[kind] = null;
        throw new PwresetError("load_failed", `could not load the ${kind} module: ${error?.message ?? error}`);
      },
    );
    await loading[kind];
  }

  /** Loads the policy module (and the strength module too with `{ strength: true }`). */
  async function ready(options = {}) {
    if (!isPlainObject(options)) throw new PwresetError("invalid_argument", "ready() takes an options object");
    await loadOnce("policy", options.policyWasm);
    if (options.strength) await loadOnce("strength", options.strengthWasm);
  }

  /** Loads the strength module (zxcvbn and its dictionaries); later calls return at once. */
  async function loadStrength(options = {}) {
    await loadOnce("strength", options.wasm);
  }

  function policyModule() {
    if (!modules.policy) throw new PwresetError("not_ready", "call `await ready()` before checking passwords");
    return modules.policy;
  }

  function checkValidateOptions(options) {
    if (!isPlainObject(options)) throw new PwresetError("invalid_argument", `options must be an object, got ${describe(options)}`);
    for (const key of Object.keys(options)) {
      if (!VALIDATE_OPTIONS.includes(key)) {
        throw new PwresetError("invalid_argument", `unknown option \`${key}\` (expected one of ${VALIDATE_OPTIONS.join(", ")})`);
      }
    }
    optionalString(options.preset, "preset");
    optionalString(options.confirm, "confirm");
    optionalString(options.confirmField, "confirmField");
    optionalString(options.passwordField, "passwordField");
    if (options.policy != null && !isPlainObject(options.policy)) {
      throw new PwresetError("invalid_argument", `policy must be an object, got ${describe(options.policy)}`);
    }
    if (options.user != null && !isPlainObject(options.user)) {
      throw new PwresetError("invalid_argument", `user must be an object, got ${describe(options.user)}`);
    }
  }

  /**
   * Checks a password with the server's rules and messages. Synchronous once `ready()` resolved.
   * `strength` is filled in when the strength module is loaded, else null; a policy with
   * `min_score` needs it loaded.
   */
  function validatePassword(password, options = {}) {
    const wasm = policyModule();
    requireString(password, "password");
    checkValidateOptions(options);
    const request = {};
    for (const key of VALIDATE_OPTIONS) {
      if (options[key] != null) request[key] = options[key];
    }
    if (modules.strength) {
      const inputs = call(() => wasm.strengthInputs(JSON.stringify(request.user ?? {})));
      request.strength = JSON.parse(call(() => modules.strength.estimate(password, inputs)));
    }
    return JSON.parse(call(() => wasm.validate(password, JSON.stringify(request))));
  }

  /** `password_mismatch` when `confirm` differs from `password`, else null. */
  function checkConfirm(password, confirm, options = {}) {
    const wasm = policyModule();
    requireString(password, "password");
    requireString(confirm, "confirm");
    if (!isPlainObject(options)) throw new PwresetError("invalid_argument", "options must be an object");
    optionalString(options.confirmField, "confirmField");
    optionalString(options.messages, "messages");
    const found = call(() => wasm.checkConfirm(password, confirm, options.confirmField, options.messages));
    return found === undefined ? null : JSON.parse(found);
  }

  /** zxcvbn's estimate; loads the strength module on first use. */
  async function estimateStrength(password, userInputs = []) {
    requireString(password, "password");
    if (!Array.isArray(userInputs) || !userInputs.every((input) => typeof input === "string")) {
      throw new PwresetError("invalid_argument", "userInputs must be an array of strings");
    }
    await loadStrength();
    return JSON.parse(call(() => modules.strength.estimate(password, JSON.stringify(userInputs))));
  }

  /** The rules of a preset (by name) or a policy document, in words, for showing before typing. */
  function helpTexts(presetOrPolicy = "django") {
    const wasm = policyModule();
    if (typeof presetOrPolicy !== "string" && !isPlainObject(presetOrPolicy)) {
      throw new PwresetError("invalid_argument", `expected a preset name or a policy object, got ${describe(presetOrPolicy)}`);
    }
    return JSON.parse(call(() => wasm.helpTexts(JSON.stringify(presetOrPolicy))));
  }

  /** Builds zxcvbn's dictionaries now (loading the module if needed), not on the first estimate. */
  async function warmUpStrength() {
    await loadStrength();
    modules.strength.warmUp();
  }

  return { ready, loadStrength, validatePassword, checkConfirm, estimateStrength, helpTexts, warmUpStrength };
}
