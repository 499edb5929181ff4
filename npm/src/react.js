/**
 * React hooks (`pwreset/react`). React is an optional peer dependency used by this entry only; the
 * main entry never imports it.
 *
 * A hook's policy is compiled lazily during render, kept in a ref and never freed by the hook: when
 * the component is gone, the ref goes with it and wasm-bindgen's FinalizationRegistry gives the
 * wasm memory back. So StrictMode's double render and mount → unmount → mount, Fast Refresh and
 * discarded concurrent renders never meet a freed policy (the bug of `useMemo(createPolicy)` plus
 * `free()` in an effect's cleanup).
 */
import { useEffect, useRef, useState } from "react";

import { PwresetError, createPolicy, loadStrength, ready } from "pwreset";

const NO_OPTIONS = Object.freeze({});

/** Whether every check of this policy needs zxcvbn (a `min_score`): it is returned once zxcvbn is there. */
const needsStrength = (presetOrDocument) =>
  typeof presetOrDocument === "object" && presetOrDocument !== null && presetOrDocument.min_score != null;

/** The compiled policy, or null while the policy module (or zxcvbn, for `min_score`) is loading. */
function compile(presetOrDocument, locale) {
  try {
    return createPolicy(presetOrDocument, locale === undefined ? undefined : { locale });
  } catch (error) {
    if (error?.code === "not_ready") return null;
    throw error;
  }
}

/** Whether `policy` can check now: a `min_score` policy throws `strength_not_loaded` until zxcvbn is loaded. */
function canCheck(policy) {
  try {
    policy.check("");
    return true;
  } catch (error) {
    if (error?.code === "strength_not_loaded") return false;
    throw error;
  }
}

/**
 * A compiled policy for a component: null until the policy module is loaded (the hook calls
 * `ready()` itself), then the same policy on every render while the preset or document (compared
 * by value) and `locale` stay the same. `strength: true` loads zxcvbn in the background and renders
 * again when it is there, so checks gain `strength`; a document with `min_score` waits for it.
 * Don't `free()` it: it is released with the component. Errors of loading or compiling are thrown
 * during render, for an error boundary.
 *
 * @param {string | object} [presetOrDocument] as for `createPolicy` (default `"django"`)
 * @param {{ locale?: string, strength?: boolean }} [options]
 */
export function usePasswordPolicy(presetOrDocument = "django", options = NO_OPTIONS) {
  for (const name of Object.keys(options ?? NO_OPTIONS)) {
    if (name !== "locale" && name !== "strength") {
      throw new PwresetError("invalid_argument", `unknown option \`${name}\` (expected one of locale, strength)`);
    }
  }
  const { locale, strength = false } = options ?? NO_OPTIONS;
  const key = JSON.stringify([presetOrDocument, locale ?? null]);
  const waitForStrength = needsStrength(presetOrDocument);
  const wantStrength = strength || waitForStrength;
  const cell = useRef(null);
  const [, setLoaded] = useState(0);
  const [failure, setFailure] = useState(null);
  if (failure) throw failure;

  if (cell.current?.key !== key) cell.current = { key, policy: null, usable: false };
  const current = cell.current;
  current.policy ??= compile(presetOrDocument, locale ?? undefined);
  if (current.policy && !current.usable) current.usable = !waitForStrength || canCheck(current.policy);

  useEffect(() => {
    let live = true;
    const rerender = () => live && setLoaded((n) => n + 1);
    const fail = (error) => live && setFailure(() => error);
    // Renders again once loaded, unless the policy was there already (ready() resolves at once then).
    ready().then(() => cell.current?.usable || rerender(), fail);
    // Without min_score, zxcvbn is a bonus: if it can't load, results keep `strength: null`.
    if (wantStrength) loadStrength().then(rerender, waitForStrength ? fail : () => {});
    return () => {
      live = false;
    };
  }, [wantStrength, waitForStrength]);

  return current.usable ? current.policy : null;
}

/**
 * `policy.check(password, options)` for rendering, or null while `policy` is null. It runs on every
 * render (a check takes microseconds), so a result gains `strength` once zxcvbn has loaded.
 *
 * @param {object | null} policy from `usePasswordPolicy` (or `createPolicy`)
 * @param {string} password
 * @param {object} [options] as for `policy.check`: `user`, `confirm`, `confirmField`, `passwordField`
 */
export function usePasswordCheck(policy, password, options) {
  return policy ? policy.check(password, options) : null;
}
