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

/** A reset API answered with a status outside 2xx. */
export class ResetApiError extends Error {
  /**
   * @param {number} status HTTP status
   * @param {unknown} body the parsed JSON body (or the text when it is not JSON)
   * @param {number | null} retryAfter seconds from `retry-after`, when the server sent it
   */
  constructor(status, body, retryAfter) {
    super(`reset API answered ${status}`);
    this.name = "ResetApiError";
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
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
