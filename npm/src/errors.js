/**
 * Errors the package throws. Every failure of a call is a `PwresetError` with a stable `code`, never
 * a WebAssembly trap or a bare `TypeError`.
 */
export class PwresetError extends Error {
  /**
   * @param {string} code stable: `not_ready`, `invalid_argument`, `unpaired_surrogate`,
   *   `unknown_preset`, `invalid_policy`, `strength_not_loaded`, `freed`, `load_failed`,
   *   `network_error`, `breached_check_failed`, `crypto_unavailable`, `aborted`, `internal`
   * @param {string} message for people
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = "PwresetError";
    this.code = code;
  }
}

const text = (value) => (typeof value === "string" && value !== "" ? value : null);

/**
 * The errors of a reset API's answer, one shape for every dialect: `[{ code, field, message }]`.
 * - A and B: `{"status":"fail","message","errors":[{"field","code","message"}]}`;
 * - C: `{"status_code","error_type","errors":[{"field","description"}]}`: no codes (`code` is null);
 * - admin, dev, unknown routes: `{"error": code, "message", "field"?}` (or `error_description`).
 * Anything else (text, an empty body) has no errors.
 */
function normalisedErrors(body) {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return [];
  if (Array.isArray(body.errors)) {
    return body.errors
      .filter((item) => typeof item === "object" && item !== null)
      .map((item) => ({
        code: text(item.code),
        field: text(item.field),
        message: text(item.message) ?? text(item.description),
      }));
  }
  const code = text(body.error);
  if (code === null) return [];
  return [{ code, field: text(body.field), message: text(body.message) ?? text(body.error_description) }];
}

/**
 * A reset API answered with a status outside 2xx. `errors` holds the answer's errors in one shape
 * whatever the dialect; `message` is the first one's text (else the body's top-level `message` or
 * `error_description`, else "reset API answered <status>"); `body` is the answer as it came.
 */
export class ResetApiError extends Error {
  /**
   * @param {number} status HTTP status
   * @param {unknown} body the parsed JSON body (or the text when it is not JSON)
   * @param {number | null} retryAfter seconds from `retry-after`, when the server sent it
   */
  constructor(status, body, retryAfter) {
    const found = normalisedErrors(body);
    const top = typeof body === "object" && body !== null ? (text(body.message) ?? text(body.error_description)) : null;
    const message = found.find((error) => error.message !== null)?.message ?? top ?? `reset API answered ${status}`;
    super(message);
    this.name = "ResetApiError";
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
    /** @type {Array<{ code: string | null, field: string | null, message: string }>} */
    this.errors = found.map((error) => ({ ...error, message: error.message ?? message }));
  }
}

/** Turns what a wasm export threw (a `{code, message}` object) into a PwresetError. */
export function fromWasm(thrown) {
  if (thrown instanceof PwresetError) return thrown;
  if (typeof thrown === "object" && thrown !== null && typeof thrown.code === "string") {
    return new PwresetError(thrown.code, String(thrown.message));
  }
  return new PwresetError("internal", `unexpected failure: ${thrown}`, { cause: thrown });
}
