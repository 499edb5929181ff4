// A fake of the five delivery providers for end-to-end tests: Resend, Postmark, SendGrid,
// Twilio and the signed webhook, on one local HTTP server. Each request is checked against the
// provider's real shape (and pwreset's own contract: user agent, Resend idempotency key, webhook
// signature, every e-mail with both an HTML and a plain-text body); a well-formed one is answered as the real provider answers it, a malformed one
// gets the provider's 4xx and is recorded in violations(). Faults make it misbehave on purpose.
// Plain Node ESM, no dependencies. See docs/delivery.md for the fault list.

import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

/** The providers served, and the path each one answers on. */
export const PROVIDERS = ["resend", "postmark", "sendgrid", "twilio", "webhook"];

const MAX_BODY_BYTES = 1024 * 1024;
const TWILIO_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;
const FAULT = /^(?:([1-5][0-9]{2})(?::([0-9]+))?|hang|close|garbage|badjson|accept-hang|accept-close)$/;

/**
 * Starts the fake on 127.0.0.1 and a free port.
 *
 * options:
 * - webhookSecret: the WEBHOOK_SECRET to verify webhook signatures with, as pwreset reads it: a
 *   Standard Webhooks `whsec_<base64>` secret, or any other value used as the key as it is
 *   (without it, only the signature's presence and form are checked);
 * - credentials: { resend, postmark, sendgrid } keys and { twilio: { sid, token } } to accept
 *   (without them, any non-empty credential is accepted);
 * - userAgentPrefix: what User-Agent must start with (default "pwreset/"; "" accepts any
 *   non-empty one);
 * - maxSkewSeconds: how far a webhook timestamp may be from now (default 300);
 * - now: () => unix seconds (default: the clock).
 */
export async function startFakeProvider(options = {}) {
  const settings = {
    webhookSecret: options.webhookSecret,
    credentials: options.credentials ?? {},
    userAgentPrefix: options.userAgentPrefix ?? "pwreset/",
    maxSkewSeconds: options.maxSkewSeconds ?? 300,
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
  };
  const state = freshState();
  const held = new Set(); // sockets of requests left hanging

  const server = createServer((req, res) => {
    collectBody(req)
      .then((raw) => handle(settings, state, held, req, res, raw))
      .catch(() => answer(res, 400, { error: "unreadable request" }));
  });
  server.on("connection", (socket) => socket.on("close", () => held.delete(socket)));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    /** Base URLs to set: EMAIL_BASE_URL (any e-mail provider), SMS_BASE_URL, WEBHOOK_URL. */
    urls: { resend: url, postmark: url, sendgrid: url, twilio: url, webhook: `${url}/webhook` },
    /** Accepted deliveries (deduplicated ones counted once), oldest first. */
    received: (provider) => filter(state.deliveries, provider),
    /** Every request that reached a provider path, whatever became of it, oldest first. */
    requests: (provider) => filter(state.requests, provider),
    /** Malformed requests: { provider, method, path, status, problems }. */
    violations: () => [...state.violations],
    /** Queues faults for a provider's next well-formed requests, one each, in order. */
    setFaults(provider, faults) {
      if (!PROVIDERS.includes(provider)) throw new Error(`unknown provider ${provider}`);
      for (const fault of faults) {
        if (!FAULT.test(String(fault))) throw new Error(`unknown fault ${fault}`);
      }
      state.faults.set(provider, faults.map(String));
    },
    /** Forgets deliveries, requests, violations, faults and idempotency keys. */
    reset() {
      releaseHeld(held);
      Object.assign(state, freshState());
    },
    /** Stops the server, dropping any request left hanging. */
    async close() {
      releaseHeld(held);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function freshState() {
  return {
    deliveries: [],
    requests: [],
    violations: [],
    faults: new Map(),
    resendKeys: new Map(), // Idempotency-Key -> { payload, response }
    webhookIds: new Set(),
  };
}

function filter(list, provider) {
  return list.filter((item) => provider === undefined || item.provider === provider);
}

function releaseHeld(held) {
  for (const socket of held) socket.destroy();
  held.clear();
}

function collectBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function answer(res, status, body, headers = {}) {
  const text = body === undefined ? "" : JSON.stringify(body);
  const contentType = body === undefined ? {} : { "content-type": "application/json; charset=utf-8" };
  res.writeHead(status, { ...contentType, ...headers });
  res.end(text);
}

function route(path) {
  if (path === "/emails") return { provider: "resend" };
  if (path === "/email") return { provider: "postmark" };
  if (path === "/v3/mail/send") return { provider: "sendgrid" };
  if (path === "/webhook") return { provider: "webhook" };
  const twilio = TWILIO_PATH.exec(path);
  if (twilio) return { provider: "twilio", sid: decodeURIComponent(twilio[1]) };
  return null;
}

function handle(settings, state, held, req, res, raw) {
  const path = new URL(req.url, "http://fake").pathname;
  const target = route(path);
  if (!target) {
    state.violations.push({ provider: null, method: req.method, path, status: 404, problems: ["unknown path"] });
    return answer(res, 404, { error: "not found" });
  }
  const { provider } = target;
  const record = { provider, method: req.method, path, headers: { ...req.headers }, body: raw, outcome: null };
  state.requests.push(record);

  const check = CHECKS[provider](settings, state, req, raw, target);
  if (check.problems.length > 0) {
    const status = check.status ?? 400;
    state.violations.push({ provider, method: req.method, path, status, problems: check.problems });
    record.outcome = status;
    return answer(res, status, check.errorBody ?? ERRORS[provider](status, check.problems.join("; ")));
  }

  const queue = state.faults.get(provider) ?? [];
  const fault = queue.shift();
  record.outcome = fault ?? "ok";
  const statusFault = fault && /^[0-9]/.test(fault) ? fault.split(":") : null;
  if (statusFault) {
    const [status, retryAfter] = statusFault;
    const headers = retryAfter === undefined ? {} : { "retry-after": retryAfter };
    return answer(res, Number(status), ERRORS[provider](Number(status), "injected fault"), headers);
  }
  switch (fault) {
    case "hang":
      held.add(req.socket);
      return undefined;
    case "close":
      return req.socket.destroy();
    case "garbage":
      return req.socket.end("\u0000\u0001 this is not HTTP \u00ff\r\n\r\n");
    default:
      break;
  }

  const accepted = check.accept();
  switch (fault) {
    case "accept-hang":
      held.add(req.socket);
      return undefined;
    case "accept-close":
      return req.socket.destroy();
    case "badjson":
      res.writeHead(200, { "content-type": "application/json" });
      return res.end("{this is not json");
    default:
      return answer(res, accepted.status, accepted.body, accepted.headers);
  }
}

// ------------------------------------------------------------------ shared checks

function header(req, name) {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function commonProblems(settings, req, contentType) {
  const problems = [];
  if (req.method !== "POST") problems.push(`method ${req.method}, expected POST`);
  const agent = header(req, "user-agent") ?? "";
  if (agent.trim() === "") problems.push("no User-Agent");
  else if (!agent.startsWith(settings.userAgentPrefix)) {
    problems.push(`User-Agent ${JSON.stringify(agent)} does not start with ${settings.userAgentPrefix}`);
  }
  const type = (header(req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== contentType) problems.push(`Content-Type ${JSON.stringify(type)}, expected ${contentType}`);
  return problems;
}

function parseJson(raw, problems) {
  if (raw === null) {
    problems.push("body too large");
    return null;
  }
  try {
    const value = JSON.parse(raw);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push("body is not a JSON object");
      return null;
    }
    return value;
  } catch {
    problems.push("body is not JSON");
    return null;
  }
}

function bearer(req) {
  const match = /^Bearer (\S+)$/.exec(header(req, "authorization") ?? "");
  return match ? match[1] : null;
}

const isText = (value) => typeof value === "string" && value.length > 0;
const isHtml = (value) => isText(value) && /^<!DOCTYPE html>/i.test(value.trimStart()) && /<\/html>\s*$/i.test(value);

/** pwreset's contract: every e-mail carries an HTML document and a plain text. */
function bothBodies(html, text, htmlField, textField) {
  const problems = [];
  if (!isHtml(html)) problems.push(`${htmlField} missing or not an HTML document (pwreset sends every e-mail as HTML and text)`);
  if (!isText(text)) problems.push(`${textField} missing (pwreset sends every e-mail as HTML and text)`);
  return problems;
}

function deliver(state, delivery) {
  const entry = { ...delivery, receivedAt: Date.now() };
  state.deliveries.push(entry);
  return entry;
}

function fail(status, problems, errorBody) {
  return { status, problems, errorBody, accept: null };
}

// ------------------------------------------------------------------ providers

const ERRORS = {
  resend: (status, message) => ({ statusCode: status, name: resendErrorName(status), message }),
  postmark: (status, message) => ({ ErrorCode: status === 401 ? 10 : 300, Message: message }),
  sendgrid: (status, message) => ({ errors: [{ message, field: null, help: null }] }),
  twilio: (status, message) => ({
    code: status === 401 ? 20003 : 21000 + (status % 1000),
    message,
    more_info: "https://www.twilio.com/docs/errors",
    status,
  }),
  webhook: (status, message) => ({ error: message }),
};

function resendErrorName(status) {
  return (
    {
      400: "validation_error",
      401: "missing_api_key",
      403: "invalid_api_key",
      409: "invalid_idempotent_request",
      422: "missing_required_field",
      429: "rate_limit_exceeded",
    }[status] ?? "application_error"
  );
}

const CHECKS = { resend: checkResend, postmark: checkPostmark, sendgrid: checkSendgrid, twilio: checkTwilio, webhook: checkWebhook };

function checkResend(settings, state, req, raw) {
  const key = bearer(req);
  if (!key) return fail(401, ["Authorization: Bearer <key> missing"]);
  if (settings.credentials.resend !== undefined && key !== settings.credentials.resend) {
    return fail(403, ["API key is invalid"]);
  }
  const problems = commonProblems(settings, req, "application/json");
  const idempotencyKey = header(req, "idempotency-key");
  if (idempotencyKey === undefined) problems.push("Idempotency-Key missing (pwreset always sends one)");
  else if (idempotencyKey.length < 1 || idempotencyKey.length > 256) {
    return fail(400, ["Idempotency-Key must be 1-256 characters"], ERRORS.resend(400, "The key must be between 1-256 chars."));
  }
  const body = parseJson(raw, problems);
  if (body) {
    const to = typeof body.to === "string" ? [body.to] : body.to;
    if (!isText(body.from)) problems.push("from missing");
    if (!Array.isArray(to) || to.length === 0 || !to.every(isText)) problems.push("to missing or not a list of addresses");
    if (!isText(body.subject)) problems.push("subject missing");
    problems.push(...bothBodies(body.html, body.text, "html", "text"));
  }
  if (problems.length > 0) return fail(422, problems);
  const payload = createHash("sha256").update(raw).digest("hex");
  return {
    problems,
    accept() {
      const seen = state.resendKeys.get(idempotencyKey);
      if (seen && seen.payload !== payload) {
        return { status: 409, body: ERRORS.resend(409, "Same idempotency key used with a different request payload.") };
      }
      if (seen) return seen.response; // the original answer; no second e-mail
      const id = randomUUID();
      deliver(state, {
        provider: "resend",
        channel: "email",
        id,
        key: idempotencyKey,
        from: body.from,
        to: typeof body.to === "string" ? body.to : body.to[0],
        subject: body.subject,
        text: body.text,
        html: body.html,
      });
      const response = { status: 200, body: { id } };
      state.resendKeys.set(idempotencyKey, { payload, response });
      return response;
    },
  };
}

function checkPostmark(settings, state, req, raw) {
  const token = header(req, "x-postmark-server-token");
  if (!isText(token)) {
    return fail(401, ["X-Postmark-Server-Token missing"], {
      ErrorCode: 10,
      Message: "No Account or Server API tokens were supplied in the HTTP headers.",
    });
  }
  if (settings.credentials.postmark !== undefined && token !== settings.credentials.postmark) {
    return fail(401, ["server token is invalid"], {
      ErrorCode: 10,
      Message: "The Server Token you provided in the X-Postmark-Server-Token request header was invalid.",
    });
  }
  const problems = commonProblems(settings, req, "application/json");
  const accept = (header(req, "accept") ?? "").toLowerCase();
  if (!accept.includes("application/json")) problems.push("Accept: application/json missing");
  const body = parseJson(raw, problems);
  if (body) {
    if (!isText(body.From)) problems.push("From missing");
    if (!isText(body.To)) problems.push("To missing");
    if (!isText(body.Subject)) problems.push("Subject missing");
    problems.push(...bothBodies(body.HtmlBody, body.TextBody, "HtmlBody", "TextBody"));
    if (body.MessageStream !== undefined && body.MessageStream !== "outbound") {
      problems.push(`MessageStream ${JSON.stringify(body.MessageStream)}, expected "outbound"`);
    }
  }
  if (problems.length > 0) return fail(422, problems);
  return {
    problems,
    accept() {
      const id = randomUUID();
      deliver(state, {
        provider: "postmark",
        channel: "email",
        id,
        key: null,
        from: body.From,
        to: body.To,
        subject: body.Subject,
        text: body.TextBody,
        html: body.HtmlBody,
      });
      return {
        status: 200,
        body: { To: body.To, SubmittedAt: new Date().toISOString(), MessageID: id, ErrorCode: 0, Message: "OK" },
      };
    },
  };
}

function checkSendgrid(settings, state, req, raw) {
  const key = bearer(req);
  const denied = {
    errors: [{ message: "The provided authorization grant is invalid, expired, or revoked", field: null, help: null }],
  };
  if (!key) return fail(401, ["Authorization: Bearer <key> missing"], denied);
  if (settings.credentials.sendgrid !== undefined && key !== settings.credentials.sendgrid) {
    return fail(401, ["API key is invalid"], denied);
  }
  const problems = commonProblems(settings, req, "application/json");
  const body = parseJson(raw, problems);
  let to = null;
  if (body) {
    const first = Array.isArray(body.personalizations) ? body.personalizations[0] : undefined;
    to = first && Array.isArray(first.to) && first.to[0] ? first.to[0].email : null;
    if (!isText(to)) problems.push("personalizations[0].to[0].email missing");
    if (!body.from || !isText(body.from.email)) problems.push("from.email missing");
    if (!isText(body.subject) && !(first && isText(first.subject))) problems.push("subject missing");
    // SendGrid: text/plain first, then text/html; pwreset sends both, nothing else.
    const content = Array.isArray(body.content) ? body.content : [];
    if (!content.every((part) => part && isText(part.type) && isText(part.value))) problems.push("a content part without type or value");
    const types = content.map((part) => part?.type);
    if (types.join() !== "text/plain,text/html") {
      problems.push(`content types ${JSON.stringify(types)}, expected ["text/plain","text/html"] in that order`);
    }
  }
  if (problems.length > 0) return fail(400, problems);
  return {
    problems,
    accept() {
      const id = randomBytes(11).toString("base64url");
      const text = body.content.find((part) => part.type === "text/plain").value;
      const html = body.content.find((part) => part.type === "text/html").value;
      deliver(state, { provider: "sendgrid", channel: "email", id, key: null, from: body.from.email, to, subject: body.subject, text, html });
      return { status: 202, body: undefined, headers: { "x-message-id": id } };
    },
  };
}

function checkTwilio(settings, state, req, raw, target) {
  const match = /^Basic (\S+)$/.exec(header(req, "authorization") ?? "");
  const decoded = match ? Buffer.from(match[1], "base64").toString("utf8") : "";
  const [user, ...rest] = decoded.split(":");
  const password = rest.join(":");
  const denied = { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 };
  if (!match || !user || !password) return fail(401, ["HTTP Basic auth missing"], denied);
  const expected = settings.credentials.twilio;
  if (user !== target.sid) return fail(401, ["Basic auth user differs from the Account SID in the path"], denied);
  if (expected && (user !== expected.sid || password !== expected.token)) return fail(401, ["credentials are invalid"], denied);

  const problems = commonProblems(settings, req, "application/x-www-form-urlencoded");
  const form = new URLSearchParams(raw ?? "");
  const to = form.get("To");
  const from = form.get("From");
  const service = form.get("MessagingServiceSid");
  const text = form.get("Body");
  let status = 400;
  let errorBody;
  if (!to || !E164.test(to)) {
    problems.push(`To ${JSON.stringify(to)} is not an E.164 number (was + form-encoded as %2B?)`);
    errorBody = { code: 21211, message: "Invalid 'To' Phone Number", more_info: "https://www.twilio.com/docs/errors/21211", status };
  }
  if (!from && !service) {
    problems.push("From or MessagingServiceSid missing");
    errorBody ??= {
      code: 21603,
      message: "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
      more_info: "https://www.twilio.com/docs/errors/21603",
      status,
    };
  }
  if (service && !/^MG[0-9A-Za-z]+$/.test(service)) problems.push("MessagingServiceSid does not start with MG");
  if (from && !E164.test(from) && !/^[A-Za-z0-9 ]{1,11}$/.test(from)) problems.push("From is neither E.164 nor a sender id");
  if (!text) {
    problems.push("Body missing");
    errorBody ??= { code: 21602, message: "Message body is required.", more_info: "https://www.twilio.com/docs/errors/21602", status };
  }
  if (problems.length > 0) return fail(status, problems, errorBody);
  return {
    problems,
    accept() {
      const sid = `SM${randomBytes(16).toString("hex")}`;
      deliver(state, { provider: "twilio", channel: "sms", id: sid, key: null, from: from ?? service, to, subject: "", text });
      const now = new Date().toUTCString();
      return {
        status: 201,
        body: {
          sid,
          account_sid: target.sid,
          messaging_service_sid: service,
          to,
          from: from ?? null,
          body: text,
          status: service ? "accepted" : "queued",
          num_segments: "1",
          direction: "outbound-api",
          api_version: "2010-04-01",
          date_created: now,
          date_updated: now,
          date_sent: null,
          error_code: null,
          error_message: null,
          price: null,
          uri: `/2010-04-01/Accounts/${target.sid}/Messages/${sid}.json`,
        },
      };
    },
  };
}

/** The key of a webhook secret, as pwreset reads WEBHOOK_SECRET: whsec_<base64>, or the bytes. */
function webhookKey(secret) {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");
}

// Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature: v1,<base64> (several may be
// given, space-separated; one that verifies is enough).
function checkWebhook(settings, state, req, raw) {
  const problems = commonProblems(settings, req, "application/json");
  const id = header(req, "webhook-id");
  const timestamp = header(req, "webhook-timestamp");
  const signature = header(req, "webhook-signature") ?? "";
  if (!isText(id)) problems.push("webhook-id missing");
  if (!/^[0-9]+$/.test(timestamp ?? "")) problems.push("webhook-timestamp missing or not unix seconds");
  const signatures = signature.split(" ").map((s) => /^v1,([A-Za-z0-9+/]{43}=)$/.exec(s)).filter(Boolean);
  if (signatures.length === 0) problems.push("webhook-signature missing or not v1,<base64 of 32 bytes>");
  if (problems.length === 0 && raw !== null) {
    const skew = Math.abs(settings.now() - Number(timestamp));
    if (skew > settings.maxSkewSeconds) return fail(401, [`timestamp ${skew} s away from now`]);
    if (settings.webhookSecret !== undefined) {
      const expected = createHmac("sha256", webhookKey(settings.webhookSecret)).update(`${id}.${timestamp}.${raw}`).digest();
      const verifies = signatures.some((m) => timingSafeEqual(expected, Buffer.from(m[1], "base64")));
      if (!verifies) return fail(401, ["signature does not verify"]);
    }
  }
  const body = parseJson(raw, problems);
  if (body) {
    if (body.id !== id) problems.push("body id differs from webhook-id");
    if (body.channel !== "email" && body.channel !== "sms") problems.push("channel is neither email nor sms");
    if (!isText(body.to)) problems.push("to missing");
    if (typeof body.subject !== "string") problems.push("subject missing");
    if (!isText(body.text)) problems.push("text missing");
    if (body.channel === "email" && !isHtml(body.html)) problems.push("html missing or not an HTML document (every e-mail has one)");
    if (body.channel === "sms" && body.html !== undefined) problems.push("html in an SMS");
    if (!Number.isInteger(body.created_at)) problems.push("created_at missing or not an integer");
    for (const optional of ["link", "code"]) {
      if (body[optional] !== undefined && typeof body[optional] !== "string") problems.push(`${optional} not a string`);
    }
  }
  if (problems.length > 0) return fail(400, problems);
  return {
    problems,
    accept() {
      // A well-behaved receiver: dedupes on webhook-id.
      if (state.webhookIds.has(id)) return { status: 200, body: { received: true, duplicate: true } };
      state.webhookIds.add(id);
      deliver(state, {
        provider: "webhook",
        channel: body.channel,
        id,
        key: id,
        from: null,
        to: body.to,
        subject: body.subject,
        text: body.text,
        html: body.html,
        link: body.link,
        code: body.code,
      });
      return { status: 200, body: { received: true } };
    },
  };
}
