/** Stable error codes of a password check. */
export type ErrorCode =
  | "password_too_short"
  | "password_too_long"
  | "password_entirely_numeric"
  | "password_too_common"
  | "password_too_similar"
  | "password_no_upper"
  | "password_no_lower"
  | "password_no_digit"
  | "password_no_symbol"
  | "password_too_weak"
  | "password_breached"
  | "password_mismatch"
  | "password_same_as_old";

/** Built-in policies. */
export type Preset = "django" | "nist" | "seed-002";

/** Message catalogs: Django's English texts, the seed-002 texts, German and Spanish in Django's voice. */
export type Messages = "django" | "seed-002" | "de" | "es";

/** One broken rule. */
export interface Violation {
  code: ErrorCode;
  /** The form field to show it beside. */
  field: string;
  /** From the policy's message catalog. */
  message: string;
  /** The values the message mentions, e.g. `{ min_length: 8 }` or `{ attribute: "email", ... }`. */
  params: Record<string, string | number>;
}

/** zxcvbn's estimate. */
export interface Strength {
  /** 0 (too guessable) to 4 (very unguessable). */
  score: 0 | 1 | 2 | 3 | 4;
  guesses_log10: number;
  /** What makes the password weak, in the language of the policy's messages (or of `estimateStrength`'s `locale`). */
  warning: string | null;
  /** How to make it stronger, in the same language as `warning`. */
  suggestions: string[];
}

/** The verdict on a password. */
export interface CheckResult {
  valid: boolean;
  errors: Violation[];
  /** Null until the strength module is loaded, and for inputs over `max_length`. */
  strength: Strength | null;
}

/** A policy document: a preset with members over it. Unknown members are an error. */
export interface PolicyDocument {
  preset?: Preset;
  min_length?: number;
  /** 64 to 4096. */
  max_length?: number;
  /** 0.1 to 1; null turns the similarity rule off. */
  max_similarity?: number | null;
  common?: boolean;
  numeric?: boolean;
  require_upper?: boolean;
  require_lower?: boolean;
  require_digit?: boolean;
  require_symbol?: boolean;
  /** 1 to 4; null turns it off. Needs the strength module. */
  min_score?: number | null;
  breached?: boolean;
  messages?: Messages;
}

/** The user's attributes: any string member is compared (`username`, `email`, `first_name`, ...). */
export type UserAttributes = Record<string, unknown>;

/** Per-check options of a compiled policy. */
export interface CheckOptions {
  user?: UserAttributes;
  /** The confirmation field's value; a difference is `password_mismatch`. */
  confirm?: string;
  /** The confirmation's field name (default `"password_confirm"`). */
  confirmField?: string;
  /** The password's field name (default `"password"`). */
  passwordField?: string;
}

/**
 * A language tag (`"de"`, `"es-MX"`, `"en"`, or `navigator.language`): messages and help texts in
 * that language, as the server answers for the same `Accept-Language`. Django's catalog has a
 * German and a Spanish translation; `seed-002` stays English, and other languages keep the
 * policy's own catalog. zxcvbn's warning and suggestions in a check's `strength` follow the
 * language of the messages.
 */
export type Locale = string;

/** Options of compiling a policy. */
export interface PolicyOptions {
  locale?: Locale;
}

export interface ValidateOptions extends CheckOptions {
  /** Default `"django"`. Give either `preset` or `policy`. */
  preset?: Preset;
  policy?: PolicyDocument;
  locale?: Locale;
}

/**
 * A global class's instance type when this program's `lib`/`types` declare it (DOM, WebWorker or
 * `@types/node`), else `never`: the types need no DOM library, and stay exact where it is present.
 */
type InstanceOfGlobal<Name extends string> = typeof globalThis extends { [K in Name]: { prototype: infer T } } ? T : never;

/** `WebAssembly.Module` where the program's libraries declare it (an object: the DOM declares it empty). */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? object & M : never;

/**
 * Where to load a wasm module from: a URL (a string or `URL`; in Node also a file path or a `file:`
 * URL), a `Response`, the bytes, or a compiled `WebAssembly.Module` (the only kind Workers accept).
 */
export type WasmSource = string | InstanceOfGlobal<"URL"> | InstanceOfGlobal<"Response"> | ArrayBuffer | ArrayBufferView | WasmModule;

export interface ReadyOptions {
  /** Load the strength module now too. */
  strength?: boolean;
  /** Where to load the policy wasm from instead of beside the package. Only the first load's source counts. */
  policyWasm?: WasmSource;
  /** Likewise for the strength wasm. */
  strengthWasm?: WasmSource;
}

/** Loads the policy module. Call once before the synchronous functions. */
export function ready(options?: ReadyOptions): Promise<void>;
/** Loads the strength module (zxcvbn); later calls return at once. */
export function loadStrength(options?: { wasm?: WasmSource }): Promise<void>;

/** `Symbol.dispose` where the program's libraries declare it (`esnext.disposable`, `@types/node`), else never. */
type DisposeSymbol = SymbolConstructor[keyof SymbolConstructor & "dispose"];

/** `[Symbol.dispose](): void` where the program knows the symbol: `using` frees a policy. */
type Disposal = { [K in DisposeSymbol]: () => void };

/**
 * A policy compiled once, kept in wasm memory, that checks many passwords without parsing the
 * policy again. Its memory is freed when the object is garbage-collected, or at once by `free()`
 * (or a `using` declaration, which calls `[Symbol.dispose]()`).
 */
export interface PasswordPolicy extends Disposal {
  /** Checks a password with the server's rules and messages; `strength` is filled once the strength module is loaded. */
  check(password: string, options?: CheckOptions): CheckResult;
  /** The rules in words, for showing before the user types. */
  helpTexts(): string[];
  /** `password_mismatch` in this policy's message catalog when the two differ, else null. */
  checkConfirm(password: string, confirm: string, options?: { confirmField?: string }): Violation | null;
  /** Frees the wasm memory now; later calls throw `PwresetError` with code `freed`. */
  free(): void;
}

/**
 * Compiles a preset (default `"django"`) or a policy document once, to check many passwords; its
 * messages and help texts are in `locale` when given. Throws `PwresetError`.
 */
export function createPolicy(presetOrPolicy?: Preset | PolicyDocument, options?: PolicyOptions): PasswordPolicy;
/** Checks a password with the server's rules and messages: `createPolicy(preset).check(...)` in one line. Throws `PwresetError`. */
export function validatePassword(password: string, options?: ValidateOptions): CheckResult;
/** `password_mismatch` when the two differ, else null. */
export function checkConfirm(
  password: string,
  confirm: string,
  options?: { confirmField?: string; messages?: Messages },
): Violation | null;
/**
 * zxcvbn's estimate; loads the strength module on first use. Its warning and suggestions are in
 * `locale` (German or Spanish) when given, else in English.
 */
export function estimateStrength(password: string, userInputs?: string[], options?: PolicyOptions): Promise<Strength>;
/** The rules of a preset or policy in words (in `locale` when given), for showing before the user types. */
export function helpTexts(presetOrPolicy?: Preset | PolicyDocument, options?: PolicyOptions): string[];
/** Builds zxcvbn's dictionaries ahead of the first estimate. */
export function warmUpStrength(): Promise<void>;

/** One line of a list of errors: a distinct message and every code it stands for. */
export interface UniqueMessage {
  /** The first code of the group: unique within one result, usable as a React key. */
  key: ErrorCode;
  field: string;
  message: string;
  codes: ErrorCode[];
}

/** A check's errors with each distinct message once (some catalogs give several codes one sentence). */
export function uniqueMessages(resultOrErrors: CheckResult | Violation[]): UniqueMessage[];

export type PwresetErrorCode =
  | "not_ready"
  | "invalid_argument"
  | "unpaired_surrogate"
  | "unknown_preset"
  | "invalid_policy"
  | "strength_not_loaded"
  | "freed"
  | "load_failed"
  | "network_error"
  | "breached_check_failed"
  | "crypto_unavailable"
  | "aborted"
  | "internal";

export class PwresetError extends Error {
  constructor(code: PwresetErrorCode, message: string, options?: { cause?: unknown });
  readonly name: "PwresetError";
  readonly code: PwresetErrorCode;
}

/** One error of a reset API's answer, in the same shape whatever the dialect. */
export interface ResetApiErrorItem {
  /** `invalid_secret`, `rate_limited`, a policy code, ...; null in dialect C, whose answers carry none. */
  code: string | null;
  /** The request field at fault (`newPassword`, `token`, `request`, ...), or null. */
  field: string | null;
  /** For people: dialects A and B's `message`, dialect C's `description`. */
  message: string;
}

/**
 * A reset API answered outside 2xx. `message` is the first error's text (else the body's top-level
 * `message` or `error_description`, else "reset API answered <status>").
 */
export class ResetApiError extends Error {
  constructor(status: number, body: unknown, retryAfter: number | null);
  readonly name: "ResetApiError";
  readonly status: number;
  /** The answer's errors: dialects A and B's `errors`, dialect C's `errors` (`description` as `message`), or an admin answer's `error`; empty when the body has none. */
  readonly errors: ResetApiErrorItem[];
  /** The parsed JSON body as it came (the text when it is not JSON, null when empty). */
  readonly body: unknown;
  /** Seconds from `retry-after` (429, 503), else null. */
  readonly retryAfter: number | null;
}

export interface ResetClientOptions {
  /** The Worker's address, e.g. `"https://reset.example.com"`. */
  baseUrl: string;
  /** Dialect B's `client_id` header: a client registered in the Worker's `CLIENTS`. */
  clientId?: string;
  /** Dialect C's `apikey` header: one of the Worker's `API_KEYS` (servers only). */
  apiKey?: string;
  /**
   * Dialect B's `Origin` header, needed in Node and on servers: dialect B answers 403
   * `forbidden_origin` unless it is one of the client's registered origins. Browsers send their own.
   */
  origin?: string;
  /** Dialect C's path prefix (default `api`): the Worker's `USER_API_PREFIX`. */
  prefix?: string;
  /** Dialect C's version (default `v1`): the Worker's `USER_API_VERSION`. */
  version?: string;
  /** A `fetch` to use instead of the global one (tests, proxies). */
  fetch?: FetchLike;
}

/** What the client needs of `fetch`: the global `fetch` of browsers, Node and Workers fits. */
export type FetchLike = (
  input: InstanceOfGlobal<"URL">,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface Success {
  status: "success";
}

/** Dialect A's user-info shape. */
export interface UserInfo {
  userType: string;
  /** E.164, or null when the account has no phone. */
  phone: string | null;
  primaryEmail: { id: string; email: string; confirmed: boolean };
  emails: Array<{ id: string; email: string; confirmed: boolean }>;
  approved: boolean;
  addresses: unknown[];
  userScopes: string[];
  accounts: unknown[];
  userGroups: unknown[];
}

export interface OutboxMessage {
  id: string;
  channel: "email" | "sms";
  to: string;
  subject: string;
  text: string;
  /** An e-mail's HTML body, beside `text` (an SMS has none). */
  html?: string;
  link?: string;
  code?: string;
  /** Seconds since 1970 (UTC). */
  created_at: number;
}

/** Dialect C's success shape. */
export interface UserApiSuccess {
  status_code: 200;
  message: string;
}

/** An account for `admin.createUser`; `null` counts as absent. */
export interface NewUser {
  username: string;
  email: string;
  password: string;
  phone?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  user_type?: string | null;
  scopes?: string[] | null;
}

export interface ResetClient {
  reg: {
    resetPasswordRequest(body: { username: string; code?: null }): Promise<Success>;
    resetPasswordRequest(body: { username: string; code: string }): Promise<Success & { signedPayload: string }>;
    resetPassword(body: { newPassword: string; signedPayload: string; username: string }): Promise<Success & { token: string }>;
    userInfo(token: string): Promise<UserInfo>;
  };
  authV1: {
    forgotpass(body: { email: string }): Promise<Success>;
    forgotpassMobile(body: { phone: string }): Promise<Success>;
    resetpass(body: { token: string; password: string; passwordConfirm: string; phone?: string | null }): Promise<Success & { token: string }>;
    resetpassMobile(body: { token: string; password: string; passwordConfirm: string; phone?: string | null }): Promise<Success & { token: string }>;
  };
  user: {
    /** `email` may be an e-mail address or a username. */
    forgotPassword(body: { email: string }): Promise<UserApiSuccess>;
    forgotPasswordSubmit(body: { user: string; token: string; new_password: string }): Promise<UserApiSuccess & { token: string }>;
    changePassword(
      accessToken: string,
      body: { old_password: string; new_password: string; confirm_password: string },
    ): Promise<UserApiSuccess & { token: string }>;
  };
  admin: {
    createUser(adminToken: string, body: NewUser): Promise<{ id: string }>;
  };
  dev: {
    outbox(to: string): Promise<OutboxMessage[]>;
  };
  openapi(): Promise<Record<string, unknown>>;
}

/** A typed client for every route of the pwreset Worker. */
export function createResetClient(options: ResetClientOptions): ResetClient;

/** What `checkBreached` needs of `fetch`: the global `fetch` of browsers, Node and Workers fits. */
export type RangeFetch = (
  input: string,
  init: { method: "GET"; headers: Record<string, string>; referrerPolicy: "no-referrer"; signal: InstanceOfGlobal<"AbortSignal"> },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface BreachedOptions {
  /** The range API (default `"https://api.pwnedpasswords.com"`); `{baseUrl}/range/{prefix}` is asked. */
  baseUrl?: string | InstanceOfGlobal<"URL">;
  /** A `fetch` to use instead of the global one. */
  fetch?: RangeFetch;
  /** Aborts the check (it then throws `PwresetError` with code `aborted`). */
  signal?: InstanceOfGlobal<"AbortSignal">;
  /** How long to wait for the answer (default 5000). */
  timeoutMs?: number;
}

export interface BreachedResult {
  /** Whether the password is in the Pwned Passwords corpus. */
  breached: boolean;
  /** How often it was seen in breaches (0 when not). */
  count: number;
}

/**
 * Looks the password up in Pwned Passwords as the server does: only the first five hex digits of
 * its SHA-1 leave (`Add-Padding: true`), and the match is made locally. Throws `PwresetError`
 * with code `breached_check_failed` when the range API can't be reached or answers otherwise
 * than with a range, so the caller can choose to accept the password (fail open) or not.
 */
export function checkBreached(password: string, options?: BreachedOptions): Promise<BreachedResult>;
