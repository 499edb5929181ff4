/**
 * `pwreset/react`: hooks for React 18 and 19 (an optional peer dependency). They need no React
 * types: only the package's own appear here.
 */
import type { CheckOptions, CheckResult, Locale, PasswordPolicy, PolicyDocument, Preset } from "./index.js";

export interface PasswordPolicyHookOptions {
  /** Messages and help texts in this language, as for `createPolicy`. */
  locale?: Locale;
  /** Load zxcvbn in the background and render again when it is there, so that results carry `strength`. */
  strength?: boolean;
}

/**
 * A compiled policy for a component: null until the policy module is loaded (the hook calls
 * `ready()`), then the same policy while the preset or document (by value) and locale stay the
 * same. A document with `min_score` is returned once zxcvbn is loaded too. Safe under StrictMode;
 * don't `free()` it: its memory is released with the component (FinalizationRegistry).
 */
export function usePasswordPolicy(presetOrPolicy?: Preset | PolicyDocument, options?: PasswordPolicyHookOptions): PasswordPolicy | null;

/** `policy.check(password, options)` on every render, or null while `policy` is null. */
export function usePasswordCheck(policy: PasswordPolicy | null, password: string, options?: CheckOptions): CheckResult | null;
