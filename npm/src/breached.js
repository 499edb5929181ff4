/**
 * Breached passwords, by the rules the pwreset server follows: the Pwned Passwords range API with
 * k-anonymity. The password's SHA-1 is computed here (WebCrypto); only its first five hex digits
 * leave, as `GET {baseUrl}/range/{prefix}` with `Add-Padding: true`; the answer lists every known
 * suffix under that prefix (with zero-count decoys that make its size tell nothing), and the match
 * is made here. Decoys never count.
 */
import { PwresetError } from "./errors.js";
import { requireText } from "./api.js";

const DEFAULT_BASE_URL = "https://api.pwnedpasswords.com";
const DEFAULT_TIMEOUT_MS = 5000;
const OPTIONS = ["baseUrl", "fetch", "signal", "timeoutMs"];
const RANGE_LINE = /^([0-9A-Fa-f]{35}):([0-9]+)$/;

function failed(message, cause) {
  return new PwresetError("breached_check_failed", message, cause === undefined ? undefined : { cause });
}

/** The range API's base URL without a trailing slash. */
function baseOf(baseUrl) {
  if (baseUrl === undefined || baseUrl === null) return DEFAULT_BASE_URL;
  let url;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new PwresetError("invalid_argument", "baseUrl must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new PwresetError("invalid_argument", "baseUrl must be an absolute http(s) URL");
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function checkedOptions(options) {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new PwresetError("invalid_argument", "options must be an object");
  }
  for (const key in options) {
    if (!OPTIONS.includes(key)) {
      throw new PwresetError("invalid_argument", `unknown option \`${key}\` (expected one of ${OPTIONS.join(", ")})`);
    }
  }
  const { fetch: fetchImpl = globalThis.fetch, signal, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  if (typeof fetchImpl !== "function") throw new PwresetError("invalid_argument", "fetch must be a function");
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new PwresetError("invalid_argument", "timeoutMs must be a positive number of milliseconds");
  }
  if (signal !== undefined && signal !== null && (typeof signal !== "object" || typeof signal.aborted !== "boolean")) {
    throw new PwresetError("invalid_argument", "signal must be an AbortSignal");
  }
  return { base: baseOf(options.baseUrl), fetchImpl, signal: signal ?? undefined, timeoutMs };
}

/** The password's SHA-1 as 40 uppercase hex digits. */
async function sha1Hex(password) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    // Browsers give WebCrypto only to secure contexts (https, localhost).
    throw new PwresetError("crypto_unavailable", "WebCrypto (crypto.subtle) is not available here; pages need https (or localhost)");
  }
  const digest = new Uint8Array(await subtle.digest("SHA-1", new TextEncoder().encode(password)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex.toUpperCase();
}

/** The count a range answer gives `suffix` (0 when it is absent or a decoy); throws if it is no range answer. */
function countInRange(body, suffix) {
  let count = 0;
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const match = RANGE_LINE.exec(line);
    if (!match) throw failed("the range API's answer is not a list of hash suffixes");
    if (match[1].toUpperCase() === suffix) count = Math.max(count, Number(match[2]));
  }
  return count;
}

/**
 * Whether `password` is in the Pwned Passwords corpus: `{ breached, count }`. Only the SHA-1's
 * five-digit prefix is sent. When the range API can't be asked or its answer can't be read, throws
 * `PwresetError` with code `breached_check_failed` (the caller chooses to accept the password or
 * not); `aborted` when `signal` aborts.
 * @param {string} password
 * @param {{ baseUrl?: string | URL, fetch?: typeof fetch, signal?: AbortSignal, timeoutMs?: number }} [options]
 */
export async function checkBreached(password, options = {}) {
  requireText(password, "password");
  const { base, fetchImpl, signal, timeoutMs } = checkedOptions(options);
  if (signal?.aborted) throw new PwresetError("aborted", "the breached-password check was aborted", { cause: signal.reason });
  const hex = await sha1Hex(password);
  const prefix = hex.slice(0, 5);
  const suffix = hex.slice(5);
  const url = `${base}/range/${prefix}`;

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  let status;
  let body;
  try {
    // No Referer: the page's address (a reset link's token, say) is not the range API's business.
    const response = await fetchImpl(url, {
      method: "GET",
      headers: { "Add-Padding": "true" },
      referrerPolicy: "no-referrer",
      signal: controller.signal,
    });
    status = response.status;
    body = await response.text();
  } catch (error) {
    if (signal?.aborted && !timedOut) {
      throw new PwresetError("aborted", "the breached-password check was aborted", { cause: signal.reason });
    }
    const why = timedOut ? `no answer within ${timeoutMs} ms` : (error?.message ?? String(error));
    throw failed(`could not reach the range API at ${base}/range/: ${why}`, error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
  if (status !== 200) throw failed(`the range API at ${base}/range/ answered ${status}`);
  const count = countInRange(body, suffix);
  return { breached: count > 0, count };
}
