/**
 * Errors the package throws. Every failure of a call is a `PwresetError` with a stable `code`, never
 * a WebAssembly trap or a bare `TypeError`.
 */
export class PwresetError extends Error {
  /**
   * @param {string} code stable: `not_ready`, `invalid_argument`, `unknown_preset`, `invalid_policy`,
   *   `strength_not_loaded`, `load_failed`
   * @param {string} message for people
   */
  constructor(code, message) {
    super(message);
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

/** Turns what a wasm export threw (`{"code","message"}` text) into a PwresetError. */
export function fromWasm(thrown) {
  if (typeof thrown === "string") {
    try {
      const { code, message } = JSON.parse(thrown);
      if (typeof code === "string") return new PwresetError(code, message);
    } catch {
      // not our JSON: fall through
    }
    return new PwresetError("invalid_argument", thrown);
  }
  if (thrown instanceof PwresetError) return thrown;
  return new PwresetError("internal", `unexpected failure: ${thrown}`);
}
