/**
 * A typed client for the pwreset Worker's routes, one method per route, grouped by dialect. Each
 * resolves to the parsed JSON body of a 2xx answer, throws `ResetApiError` (status, errors,
 * message, body, retryAfter) for any other answer, and `PwresetError` with code `network_error`
 * when no answer came (offline, refused, DNS, CORS).
 */
import { PwresetError, ResetApiError } from "./errors.js";

function requireText(value, name) {
  if (typeof value !== "string" || value === "") {
    throw new PwresetError("invalid_argument", `${name} must be a non-empty string`);
  }
}

function requireBody(body) {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new PwresetError("invalid_argument", "the request body must be an object");
  }
}

/**
 * @param {object} options
 * @param {string} options.baseUrl the Worker's address, e.g. `https://reset.example.com`
 * @param {string} [options.clientId] dialect B's `client_id` header
 * @param {string} [options.apiKey] dialect C's `apikey` header
 * @param {string} [options.origin] dialect B's `Origin` header, for Node and servers: dialect B
 *   refuses (403 `forbidden_origin`) an `Origin` the client did not register; browsers send their own
 * @param {string} [options.prefix] dialect C's path prefix (default `api`)
 * @param {string} [options.version] dialect C's version (default `v1`)
 * @param {typeof fetch} [options.fetch] instead of the global `fetch`
 */
export function createResetClient(options) {
  if (typeof options !== "object" || options === null) {
    throw new PwresetError("invalid_argument", "createResetClient takes an options object");
  }
  requireText(options.baseUrl, "baseUrl");
  let base;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new PwresetError("invalid_argument", "baseUrl must be an absolute URL");
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const userBase = `/${options.prefix ?? "api"}/${options.version ?? "v1"}/user`;

  async function request(method, path, { body, headers = {} } = {}) {
    if (body !== undefined) requireBody(body);
    const url = new URL(path, base);
    const init = { method, headers: { accept: "application/json", ...headers } };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    let text;
    try {
      response = await fetchImpl(url, init);
      text = await response.text();
    } catch (error) {
      // The address without its query, which may hold an email address.
      const where = `${url.origin}${url.pathname}`;
      throw new PwresetError("network_error", `could not reach the reset API at ${where}: ${error?.message ?? error}`, {
        cause: error,
      });
    }
    let parsed = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // keep the text
    }
    if (!response.ok) {
      const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
      throw new ResetApiError(response.status, parsed, Number.isNaN(retryAfter) ? null : retryAfter);
    }
    return parsed;
  }

  const bearer = (token) => {
    requireText(token, "token");
    return { authorization: `Bearer ${token}` };
  };
  const clientHeaders = () => {
    const headers = {};
    if (options.clientId !== undefined) headers.client_id = options.clientId;
    if (options.origin !== undefined) headers.origin = options.origin;
    return headers;
  };
  const apiKeyHeaders = () => (options.apiKey === undefined ? {} : { apikey: options.apiKey });

  return {
    /** Dialect A ("reg"). */
    reg: {
      resetPasswordRequest: (body) => request("POST", "/reg/user/resetPasswordRequest", { body }),
      resetPassword: (body) => request("POST", "/reg/user/resetPassword", { body }),
      userInfo: (token) => request("GET", "/reg/user/info", { headers: bearer(token) }),
    },
    /** Dialect B ("auth v1"); sends `client_id` (and `origin` outside browsers). */
    authV1: {
      forgotpass: (body) => request("POST", "/api/v1/auth/forgotpass", { body, headers: clientHeaders() }),
      forgotpassMobile: (body) => request("POST", "/api/v1/auth/forgotpass/mobile", { body, headers: clientHeaders() }),
      resetpass: (body) => request("POST", "/api/v1/auth/resetpass", { body, headers: clientHeaders() }),
      resetpassMobile: (body) => request("POST", "/api/v1/auth/resetpass/mobile", { body, headers: clientHeaders() }),
    },
    /** Dialect C ("user"); sends `apikey`. */
    user: {
      forgotPassword: (body) => request("POST", `${userBase}/forgot-password/`, { body, headers: apiKeyHeaders() }),
      forgotPasswordSubmit: (body) =>
        request("POST", `${userBase}/forgot-password-submit/`, { body, headers: apiKeyHeaders() }),
      changePassword: (token, body) =>
        request("POST", `${userBase}/profile/change-password/`, {
          body,
          headers: { ...apiKeyHeaders(), ...bearer(token) },
        }),
    },
    /** Operator routes. */
    admin: {
      createUser: (adminToken, body) => request("POST", "/admin/users", { body, headers: bearer(adminToken) }),
    },
    /** Local development: the outbox provider's messages to an address, newest first. */
    dev: {
      outbox: (to) => {
        requireText(to, "to");
        return request("GET", `/dev/outbox?to=${encodeURIComponent(to)}`);
      },
    },
    /** The OpenAPI 3.1 document. */
    openapi: () => request("GET", "/openapi.json"),
  };
}
