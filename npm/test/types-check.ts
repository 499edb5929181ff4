// Uses every member that types/index.d.ts declares, as a consumer would. types.test.js type-checks it
// with the real TypeScript compiler (strict, skipLibCheck off) and fails when a declared member is
// not used here, so that every declaration is compiled against real use.
import {
  PwresetError,
  ResetApiError,
  checkBreached,
  checkConfirm,
  createPolicy,
  createResetClient,
  estimateStrength,
  helpTexts,
  loadStrength,
  ready,
  uniqueMessages,
  validatePassword,
  warmUpStrength,
  type BreachedOptions,
  type BreachedResult,
  type CheckOptions,
  type CheckResult,
  type ErrorCode,
  type FetchLike,
  type Locale,
  type Messages,
  type NewUser,
  type OutboxMessage,
  type PasswordPolicy,
  type PolicyDocument,
  type PolicyOptions,
  type Preset,
  type PwresetErrorCode,
  type RangeFetch,
  type ReadyOptions,
  type ResetApiErrorItem,
  type ResetClient,
  type ResetClientOptions,
  type Strength,
  type Success,
  type UniqueMessage,
  type UserApiSuccess,
  type UserAttributes,
  type UserInfo,
  type ValidateOptions,
  type Violation,
  type WasmSource,
} from "../types/index.js";
import { usePasswordCheck, usePasswordPolicy, type PasswordPolicyHookOptions } from "../types/react.js";

const out: unknown[] = [];

export async function policies(): Promise<void> {
  const wasm: WasmSource = new Uint8Array(8);
  const options: ReadyOptions = { strength: false, policyWasm: new URL("https://example.com/p.wasm"), strengthWasm: wasm };
  await ready(options);
  await loadStrength({ wasm: "https://example.com/s.wasm" });
  await warmUpStrength();

  const preset: Preset = "nist";
  const messages: Messages = "de";
  const document: PolicyDocument = {
    preset,
    min_length: 12,
    max_length: 128,
    max_similarity: null,
    common: true,
    numeric: true,
    require_upper: false,
    require_lower: false,
    require_digit: false,
    require_symbol: false,
    min_score: 3,
    breached: false,
    messages,
  };
  const locale: Locale = "es-MX";
  const policyOptions: PolicyOptions = { locale };
  const user: UserAttributes = { username: "jane", email: "jane@example.com" };
  const check: CheckOptions = { user, confirm: "b", confirmField: "password_confirm", passwordField: "password" };

  using policy: PasswordPolicy = createPolicy(document, policyOptions);
  const result: CheckResult = policy.check("a", check);
  out.push(result.valid, policy.helpTexts(), policy.checkConfirm("a", "b", { confirmField: "confirm" }));
  for (const error of result.errors) {
    const violation: Violation = error;
    const code: ErrorCode = violation.code;
    out.push(code, violation.field, violation.message, violation.params);
  }
  const strength: Strength | null = result.strength;
  if (strength) out.push(strength.score, strength.guesses_log10, strength.warning, strength.suggestions);
  policy[Symbol.dispose]();
  policy.free();

  const validate: ValidateOptions = { preset: "django", policy: undefined, locale: "de" };
  const unique: UniqueMessage[] = uniqueMessages(validatePassword("a", validate));
  for (const line of uniqueMessages(result.errors)) out.push(line.key, line.field, line.message, line.codes);
  out.push(unique, checkConfirm("a", "b", { confirmField: "confirm", messages: "es" }), helpTexts("django", { locale: "de" }));
  out.push((await estimateStrength("a", ["jane"])).score);
  out.push((await estimateStrength("a", [], { locale: "de" })).warning);
}

export async function errors(): Promise<void> {
  try {
    await checkBreached("a");
  } catch (error) {
    if (error instanceof PwresetError) {
      const code: PwresetErrorCode = error.code;
      out.push(code, error.name);
    }
    if (error instanceof ResetApiError) {
      out.push(error.name, error.status, error.message, error.body, error.retryAfter);
      for (const item of error.errors) {
        const detail: ResetApiErrorItem = item;
        const code: string | null = detail.code;
        const field: string | null = detail.field;
        const message: string = detail.message;
        out.push(code, field, message);
      }
    }
  }
  out.push(new PwresetError("aborted", "stopped", { cause: "a signal" }), new ResetApiError(429, null, 30));
}

export async function breached(): Promise<void> {
  const fetch: RangeFetch = async (input, init) => {
    out.push(input, init.method, init.headers, init.referrerPolicy, init.signal);
    return { status: 200, text: async () => "" };
  };
  const options: BreachedOptions = { baseUrl: "https://example.com", fetch, signal: AbortSignal.timeout(1000), timeoutMs: 1000 };
  const result: BreachedResult = await checkBreached("a", options);
  out.push(result.breached, result.count);
}

export async function client(): Promise<void> {
  const fetch: FetchLike = async (input, init) => {
    out.push(input, init.method, init.headers, init.body);
    return { ok: true, status: 200, headers: { get: (name) => name }, text: async () => "{}" };
  };
  const options: ResetClientOptions = {
    baseUrl: "https://example.com",
    clientId: "c",
    apiKey: "k",
    origin: "https://app.example.com",
    prefix: "api",
    version: "v1",
    fetch,
  };
  const reset: ResetClient = createResetClient(options);

  const asked: Success = await reset.reg.resetPasswordRequest({ username: "jane", code: null });
  const exchanged = await reset.reg.resetPasswordRequest({ username: "jane", code: "123456" });
  const reg = await reset.reg.resetPassword({ newPassword: "n", signedPayload: exchanged.signedPayload, username: "jane" });
  const info: UserInfo = await reset.reg.userInfo(reg.token);
  out.push(asked.status, info.userType, info.phone, info.approved, info.addresses, info.userScopes, info.accounts, info.userGroups);
  out.push(info.primaryEmail.id, info.primaryEmail.email, info.primaryEmail.confirmed);
  for (const email of info.emails) out.push(email.id, email.email, email.confirmed);

  out.push(await reset.authV1.forgotpass({ email: "jane@example.com" }), await reset.authV1.forgotpassMobile({ phone: "+15550100" }));
  out.push((await reset.authV1.resetpass({ token: "t", password: "p", passwordConfirm: "p", phone: null })).token);
  out.push((await reset.authV1.resetpassMobile({ token: "1", password: "p", passwordConfirm: "p", phone: "+15550100" })).token);

  const forgot: UserApiSuccess = await reset.user.forgotPassword({ email: "jane" });
  const submitted = await reset.user.forgotPasswordSubmit({ user: "u", token: "t", new_password: "p" });
  const changed = await reset.user.changePassword(submitted.token, { old_password: "p", new_password: "q", confirm_password: "q" });
  out.push(forgot.status_code, forgot.message, changed.token);

  const newUser: NewUser = {
    username: "jane",
    email: "jane@example.com",
    password: "p",
    phone: null,
    first_name: "Jane",
    last_name: null,
    user_type: "CUSTOMER",
    scopes: ["read"],
  };
  out.push((await reset.admin.createUser("admin", newUser)).id, await reset.openapi());
  for (const message of await reset.dev.outbox("jane@example.com")) {
    const sent: OutboxMessage = message;
    out.push(sent.id, sent.channel, sent.to, sent.subject, sent.text, sent.html, sent.link, sent.code, sent.created_at);
  }
}

/** `pwreset/react`: a component's body, without React's types (the declarations need none). */
export function react(password: string): number {
  const options: PasswordPolicyHookOptions = { locale: "de", strength: true };
  const policy: PasswordPolicy | null = usePasswordPolicy({ preset: "nist", min_score: 3 }, options);
  usePasswordPolicy();
  usePasswordPolicy("seed-002");
  const result: CheckResult | null = usePasswordCheck(policy, password, { user: { username: "jane" }, confirm: password });
  usePasswordCheck(null, password);
  return (result?.errors.length ?? 0) + (policy?.helpTexts().length ?? 0);
}
