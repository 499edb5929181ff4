// The Worker variables and request headers the attack benchmarks use: those of the end-to-end
// tests (tests/e2e/worker-harness.mjs), outbox delivery, the default policies.

import { ADMIN_TOKEN, CLIENT_ID, ORIGIN, baseVars } from "../../tests/e2e/worker-harness.mjs";

export { ADMIN_TOKEN };
/** Dialect B's headers: a registered client and its origin. */
export const B_HEADERS = { client_id: CLIENT_ID, origin: ORIGIN };
/** Dialect C's header: one of API_KEYS. */
export const C_HEADERS = { apikey: baseVars().API_KEYS.split(",")[0] };

/** The variables of a benchmark Worker: the e2e defaults, `overrides` on top. */
export function loadVars(overrides = {}) {
  return baseVars(overrides);
}
