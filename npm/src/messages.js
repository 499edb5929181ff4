/**
 * Turning a check's errors into what a list in a UI shows: each distinct message once, with the
 * codes it stands for. Some catalogs give several codes one sentence (the seed-002 catalog says
 * "Your password must contain at least one capital letter, small letter, number and special
 * character." for each missing class), because that is what the server answers; a list should
 * still show it once, and needs a key that is unique.
 */
import { PwresetError } from "./errors.js";

/**
 * The distinct messages of a check's errors, in order: `[{ key, field, message, codes }]`. `key` is
 * the first code of the group, unique within one result (a React key); `codes` lists every code
 * the message stands for.
 * @param {{ errors: Array<{ code: string, field: string, message: string }> } | Array<{ code: string, field: string, message: string }>} resultOrErrors
 */
export function uniqueMessages(resultOrErrors) {
  const errors = Array.isArray(resultOrErrors) ? resultOrErrors : resultOrErrors?.errors;
  if (!Array.isArray(errors)) throw new PwresetError("invalid_argument", "uniqueMessages takes a check result or its errors");
  const groups = new Map();
  for (const { code, field, message } of errors) {
    const id = `${field}\u0000${message}`;
    const group = groups.get(id);
    if (group) group.codes.push(code);
    else groups.set(id, { key: code, field, message, codes: [code] });
  }
  return [...groups.values()];
}
