/**
 * The package's functions, independent of where they run. Each entry point (browser, node, workerd)
 * fills `loaders` in as it loads, with functions that instantiate the two wasm modules its own way.
 */
import { PwresetError, fromWasm } from "./errors.js";

/**
 * The platform's wasm loaders, read at the first `ready()` (one entry file per realm). package.json
 * lists the entry files as the package's only side effects, so that bundlers keep what they fill in.
 */
export const loaders = {};

const CHECK_OPTIONS = ["user", "confirm", "confirmField", "passwordField"];
const VALIDATE_OPTIONS = ["preset", "policy", "locale", ...CHECK_OPTIONS];
const LOCALE_OPTIONS = ["locale"];
// How many (preset, locale) pairs validatePassword and helpTexts keep compiled; past that, a pair is
// compiled for the call, so that a page passing many language tags does not grow without bound.
const KEPT_PRESETS = 16;
const NO_OPTIONS = Object.freeze({});
const NO_USER = Object.freeze([]);

function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

// wasm-bindgen hands strings to wasm as UTF-8, where a lone UTF-16 surrogate would silently become
// U+FFFD: the browser would judge (or hash) another string than the server receives. Such text is
// refused.
const isIllFormed =
  typeof String.prototype.isWellFormed === "function" ? (text) => !text.isWellFormed() : (text) => /\p{Cs}/u.test(text);

/** Throws unless `value` is a string of well-formed UTF-16 (shared with the breached-password check). */
export function requireText(value, name) {
  if (typeof value !== "string") {
    throw new PwresetError("invalid_argument", `${name} must be a string, got ${describe(value)}`);
  }
  if (isIllFormed(value)) {
    throw new PwresetError(
      "unpaired_surrogate",
      `${name} holds an unpaired UTF-16 surrogate, which is not a character and can't be checked as sent`,
    );
  }
}

function optionalText(value, name) {
  if (value !== undefined && value !== null) requireText(value, name);
}

/** The `locale` option: a language tag (`de`, `es-MX`), or undefined for the policy's own catalog. */
function localeOption(options) {
  if (options === NO_OPTIONS) return undefined;
  checkOptionNames(options, LOCALE_OPTIONS);
  optionalText(options.locale, "locale");
  return options.locale ?? undefined;
}

function call(fn) {
  try {
    return fn();
  } catch (thrown) {
    throw fromWasm(thrown);
  }
}

/** The user's string attributes as `[name, value, ...]`; other members are ignored, as the server does. */
function userPairs(user) {
  if (user === undefined || user === null) return NO_USER;
  if (!isPlainObject(user)) throw new PwresetError("invalid_argument", `user must be an object, got ${describe(user)}`);
  const pairs = [];
  for (const [name, value] of Object.entries(user)) {
    if (typeof value !== "string") continue;
    requireText(name, "a user attribute's name");
    requireText(value, `user.${name}`);
    pairs.push(name, value);
  }
  return pairs;
}

/** Whether two `userPairs` lists are the same attributes. */
function samePairs(a, b) {
  if (a === b) return true;
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function checkOptionNames(options, allowed) {
  if (!isPlainObject(options)) throw new PwresetError("invalid_argument", `options must be an object, got ${describe(options)}`);
  for (const key in options) {
    if (!allowed.includes(key)) {
      throw new PwresetError("invalid_argument", `unknown option \`${key}\` (expected one of ${allowed.join(", ")})`);
    }
  }
}

/** A policy document as plain data (no getters, functions or class instances reach wasm). */
function plainDocument(presetOrDocument) {
  if (typeof presetOrDocument === "string") {
    requireText(presetOrDocument, "preset");
    return presetOrDocument;
  }
  if (!isPlainObject(presetOrDocument)) {
    throw new PwresetError("invalid_argument", `expected a preset name or a policy object, got ${describe(presetOrDocument)}`);
  }
  try {
    return structuredClone(presetOrDocument);
  } catch (error) {
    throw new PwresetError("invalid_policy", `a policy must be plain data (numbers, strings, booleans, null): ${error.message}`);
  }
}

/** How a wasm source is named in messages. */
function describeSource(source) {
  if (source === undefined) return "the package's own file";
  if (typeof source === "string" || source instanceof URL) return String(source);
  if (typeof Response === "function" && source instanceof Response) return `a Response for ${source.url || "(no URL)"}`;
  if (source instanceof WebAssembly.Module) return "a WebAssembly.Module";
  return "bytes";
}

function sameSource(a, b) {
  if (a === b) return true;
  const isLocation = (s) => typeof s === "string" || s instanceof URL;
  return isLocation(a) && isLocation(b) && String(a) === String(b);
}

/**
 * @param {{ policy: (source?: unknown) => Promise<object>, strength: (source?: unknown) => Promise<object> }} loaders
 *   each resolves to an initialised wasm-bindgen module
 */
export function createApi(loaders) {
  const modules = { policy: null, strength: null };
  const loads = { policy: null, strength: null };
  // The user attributes the strength module last saw: it keeps them, so they cross only on change.
  let strengthPairs = null;

  /** Loads a module once; a failed load may be retried; another source than the first is refused. */
  async function loadOnce(kind, source) {
    const current = loads[kind];
    if (current && source !== undefined && !sameSource(current.source, source)) {
      throw new PwresetError(
        "invalid_argument",
        `the ${kind} module is already ${modules[kind] ? "loaded" : "loading"} from ${describeSource(current.source)}; ` +
          `it can't be replaced by ${describeSource(source)}. Give the source to the first ready() or loadStrength() call.`,
      );
    }
    if (!current) {
      const load = {
        source,
        promise: loaders[kind](source).then(
          (module) => {
            // zxcvbn builds its dictionaries on first use (tens of milliseconds): do it while
            // loading, so that the first keystroke after ready({ strength: true }) is not the slow one.
            if (kind === "strength") module.warmUp();
            // Likewise the policy module expands its common-password list on its first check.
            if (kind === "policy") {
              const warm = new module.CompiledPolicy("django");
              warm.check("warm-up", []);
              warm.free();
            }
            modules[kind] = module;
          },
          (error) => {
            loads[kind] = null;
            throw error instanceof PwresetError
              ? error
              : new PwresetError("load_failed", `could not load the ${kind} module: ${error?.message ?? error}`, { cause: error });
          },
        ),
      };
      loads[kind] = load;
    }
    await loads[kind].promise;
  }

  /** Loads the policy module (and the strength module too with `{ strength: true }`). */
  async function ready(options = NO_OPTIONS) {
    checkOptionNames(options, ["strength", "policyWasm", "strengthWasm"]);
    await loadOnce("policy", options.policyWasm);
    if (options.strength) await loadOnce("strength", options.strengthWasm);
  }

  /** Loads the strength module (zxcvbn and its dictionaries); later calls return at once. */
  async function loadStrength(options = NO_OPTIONS) {
    checkOptionNames(options, ["wasm"]);
    await loadOnce("strength", options.wasm);
  }

  function policyModule() {
    if (!modules.policy) throw new PwresetError("not_ready", "call `await ready()` before checking passwords");
    return modules.policy;
  }

  /**
   * A policy compiled once, in wasm memory, that checks many passwords. Its memory is freed when
   * JavaScript drops the object, or at once with `free()`.
   */
  class PasswordPolicy {
    #compiled;
    // The user attributes the compiled policy last saw: it keeps them, so they cross only on change.
    #pairs = null;
    // The language of the messages (`en`, `de`, `es`): the estimate's feedback speaks it too.
    #language;

    constructor(document, locale) {
      this.#compiled = call(() => new (policyModule().CompiledPolicy)(document, locale));
      this.#language = this.#compiled.language;
    }

    #live() {
      if (!this.#compiled) throw new PwresetError("freed", "this policy was freed; create another with createPolicy()");
      return this.#compiled;
    }

    /**
     * Checks a password: `{ valid, errors, strength }`. With the strength module loaded, one call
     * into it estimates the strength (the user's attributes as user inputs, as on the server;
     * feedback in the messages' language) and one call into the policy module judges the rules,
     * `min_score` included.
     */
    check(password, options = NO_OPTIONS) {
      const compiled = this.#live();
      requireText(password, "password");
      if (options !== NO_OPTIONS) checkOptionNames(options, CHECK_OPTIONS);
      const { user, confirm, confirmField, passwordField } = options;
      optionalText(confirm, "confirm");
      optionalText(confirmField, "confirmField");
      optionalText(passwordField, "passwordField");
      const pairs = userPairs(user);
      // A password over max_length is refused before any other work: no estimate for it. Its UTF-16
      // length bounds its length in characters from above, so only a long one is counted.
      const tooLong = password.length > compiled.maxLength && [...password].length > compiled.maxLength;
      let strength = null;
      if (modules.strength && !tooLong) {
        const fresh = !samePairs(strengthPairs, pairs);
        strength = call(() => modules.strength.estimateForUser(password, fresh ? pairs : undefined, this.#language));
        if (fresh) strengthPairs = pairs;
      }
      const fresh = !samePairs(this.#pairs, pairs);
      const result = call(() => compiled.check(password, fresh ? pairs : undefined, confirm, passwordField, confirmField, strength?.score));
      if (fresh) this.#pairs = pairs;
      result.strength = strength;
      return result;
    }

    /** The rules in words (in the policy's locale), for showing before the user types. */
    helpTexts() {
      return call(() => this.#live().helpTexts());
    }

    /** `password_mismatch` in this policy's words when `confirm` differs, else null. */
    checkConfirm(password, confirm, options = NO_OPTIONS) {
      const messages = this.#live().messages;
      checkOptionNames(options, ["confirmField"]);
      return checkConfirm(password, confirm, { confirmField: options.confirmField, messages });
    }

    /** Frees the wasm memory now; later calls throw `freed`. Safe to call twice. */
    free() {
      this.#compiled?.free();
      this.#compiled = null;
    }

    [Symbol.dispose ?? Symbol.for("Symbol.dispose")]() {
      this.free();
    }
  }

  /**
   * Compiles a preset (by name) or a policy document once, to check many passwords. With
   * `{ locale }` (a language tag: `de`, `es-MX`) its messages and help texts are the catalog's
   * translation, as the server answers for that `Accept-Language`; `seed-002` and unknown
   * languages keep the policy's own catalog.
   */
  function createPolicy(presetOrDocument = "django", options = NO_OPTIONS) {
    policyModule();
    const locale = localeOption(options);
    return new PasswordPolicy(plainDocument(presetOrDocument), locale);
  }

  // validatePassword's presets, per locale, compiled on first use and kept.
  const presets = new Map();

  /** Runs `use` on a policy compiled from `document`, freed afterwards. */
  function withCompiled(document, locale, use) {
    const policy = createPolicy(document, { locale });
    try {
      return use(policy);
    } finally {
      policy.free();
    }
  }

  /** Runs `use` on a preset's policy in `locale`: kept, or compiled for the call once many are kept. */
  function withPreset(name, locale, use) {
    const key = locale === undefined ? name : `${name}\u0000${locale}`;
    let policy = presets.get(key);
    if (!policy) {
      if (presets.size >= KEPT_PRESETS) return withCompiled(name, locale, use);
      policy = createPolicy(name, { locale });
      presets.set(key, policy);
    }
    return use(policy);
  }

  /** Runs `use` on the policy that `options` names: a kept preset, or a document compiled for this call. */
  function withPolicy(preset, document, locale, use) {
    if (preset != null && document != null) {
      throw new PwresetError("invalid_argument", "give either preset or policy, not both");
    }
    if (document == null) {
      if (preset != null && typeof preset !== "string") {
        throw new PwresetError("invalid_argument", `preset must be a string, got ${describe(preset)}`);
      }
      return withPreset(preset ?? "django", locale, use);
    }
    if (!isPlainObject(document)) throw new PwresetError("invalid_argument", `policy must be an object, got ${describe(document)}`);
    return withCompiled(document, locale, use);
  }

  /**
   * Checks a password with the server's rules and messages: the one-line form of
   * `createPolicy(preset).check(password, options)`. Synchronous once `ready()` resolved.
   */
  function validatePassword(password, options = NO_OPTIONS) {
    policyModule();
    requireText(password, "password");
    checkOptionNames(options, VALIDATE_OPTIONS);
    const { preset, policy, locale, ...checkOptions } = options;
    optionalText(locale, "locale");
    return withPolicy(preset, policy, locale ?? undefined, (compiled) => compiled.check(password, checkOptions));
  }

  /** `password_mismatch` when `confirm` differs from `password`, else null. */
  function checkConfirm(password, confirm, options = NO_OPTIONS) {
    const wasm = policyModule();
    requireText(password, "password");
    requireText(confirm, "confirm");
    checkOptionNames(options, ["confirmField", "messages"]);
    optionalText(options.confirmField, "confirmField");
    optionalText(options.messages, "messages");
    return call(() => wasm.checkConfirm(password, confirm, options.confirmField, options.messages));
  }

  /** zxcvbn's estimate, its feedback in `locale` (English by default); loads the strength module on first use. */
  async function estimateStrength(password, userInputs = NO_USER, options = NO_OPTIONS) {
    requireText(password, "password");
    if (!Array.isArray(userInputs)) throw new PwresetError("invalid_argument", "userInputs must be an array of strings");
    userInputs.forEach((input, index) => requireText(input, `userInputs[${index}]`));
    const locale = localeOption(options);
    await loadStrength();
    return call(() => modules.strength.estimate(password, userInputs, locale));
  }

  /** The rules of a preset (by name) or a policy document, in words (in `locale`), for showing before typing. */
  function helpTexts(presetOrPolicy = "django", options = NO_OPTIONS) {
    policyModule();
    const locale = localeOption(options);
    if (typeof presetOrPolicy === "string") return withPreset(presetOrPolicy, locale, (policy) => policy.helpTexts());
    return withPolicy(undefined, presetOrPolicy, locale, (policy) => policy.helpTexts());
  }

  /** Loads the strength module, which builds zxcvbn's dictionaries as it loads (kept for older callers). */
  async function warmUpStrength() {
    await loadStrength();
  }

  return { ready, loadStrength, createPolicy, validatePassword, checkConfirm, estimateStrength, helpTexts, warmUpStrength };
}
