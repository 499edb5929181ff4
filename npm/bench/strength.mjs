// Checks per second of the package (seed-002 policy with strength) against the same checks done with
// @zxcvbn-ts/core 4 + language-common + language-en and the rules written in plain JavaScript, side by
// side in one Node process. Run: make bench-npm (or node npm/bench/strength.mjs after make npm-build).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { createPolicy, loadStrength, ready, validatePassword } from "pwreset";

const PASSWORDS = [
  "password",
  "Tr0ub4dour&3",
  "correcthorsebatterystaple",
  "jane.doe1987!",
  "kD9#mQ2$vL7pX!",
  "The quick brown fox jumps over 13 lazy!!x",
];
const USER = { username: "jane", last_name: "doe", email: "jane.doe@example.com" };
const USER_INPUTS = ["jane", "doe", "jane.doe@example.com"];
const SECONDS_EACH = Number(process.env.BENCH_SECONDS ?? 2);

// The baseline: the seed-002 rules in plain JavaScript, and zxcvbn-ts for strength.
const zxcvbn = new ZxcvbnFactory({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
});
const COMMON = new Set(
  gunzipSync(readFileSync(new URL("../../crates/pwreset-core/data/common-passwords-20k.txt.gz", import.meta.url)))
    .toString("utf8")
    .split("\n")
    .map((line) => line.trim()),
);

function quickRatio(a, b) {
  const available = new Map();
  for (const c of b) available.set(c, (available.get(c) ?? 0) + 1);
  let matches = 0;
  for (const c of a) {
    const left = available.get(c) ?? 0;
    if (left > 0) {
      available.set(c, left - 1);
      matches += 1;
    }
  }
  const length = [...a].length + [...b].length;
  return length ? (2 * matches) / length : 1;
}

function plainCheck(password, user) {
  const errors = [];
  const length = [...password].length;
  if (length > 128) return { valid: false, errors: ["password_too_long"], strength: null };
  const lowered = password.toLowerCase();
  const loweredLength = [...lowered].length;
  similar: for (const value of Object.values(user)) {
    const valueLower = value.toLowerCase();
    for (const part of [...valueLower.split(/[^\p{L}\p{N}_]+/u), valueLower]) {
      const partLength = [...part].length;
      if (loweredLength >= 10 * partLength && partLength < (0.7 / 2) * loweredLength) continue;
      if (quickRatio(lowered, part) >= 0.7) {
        errors.push("password_too_similar");
        break similar;
      }
    }
  }
  if (length < 8) errors.push("password_too_short");
  if (COMMON.has(lowered.trim())) errors.push("password_too_common");
  if (/^\p{Nd}+$/u.test(password)) errors.push("password_entirely_numeric");
  if (!/\p{Lu}/u.test(password)) errors.push("password_no_upper");
  if (!/\p{Ll}/u.test(password)) errors.push("password_no_lower");
  if (!/\p{Nd}/u.test(password)) errors.push("password_no_digit");
  if (!/[^\p{L}\p{N}\s\p{Cc}]/u.test(password)) errors.push("password_no_symbol");
  const result = zxcvbn.check(password, USER_INPUTS);
  return { valid: errors.length === 0, errors, strength: { score: result.score, guesses_log10: result.guessesLog10 } };
}

function perSecond(fn) {
  for (let i = 0; i < 20; i += 1) fn(); // warm
  let runs = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(SECONDS_EACH * 1e9);
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 10; i += 1) fn();
    runs += 10;
    elapsed = process.hrtime.bigint() - start;
  }
  return runs / (Number(elapsed) / 1e9);
}

await ready();
await loadStrength();
const policy = createPolicy("seed-002");
const rows = [];
for (const password of PASSWORDS) {
  const ours = perSecond(() => policy.check(password, { user: USER }));
  const theirs = perSecond(() => plainCheck(password, USER));
  const ourScore = validatePassword(password, { preset: "seed-002", user: USER }).strength.score;
  const theirScore = plainCheck(password, USER).strength.score;
  rows.push({ password, length: [...password].length, ours, theirs, ratio: ours / theirs, ourScore, theirScore });
}

console.log(`node ${process.version}, ${SECONDS_EACH} s per measurement`);
console.log("| password | chars | pwreset checks/s | zxcvbn-ts + plain JS checks/s | ratio | scores (pwreset / zxcvbn-ts) |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) {
  console.log(
    `| \`${row.password}\` | ${row.length} | ${row.ours.toFixed(0)} | ${row.theirs.toFixed(0)} | ${row.ratio.toFixed(2)} | ${row.ourScore} / ${row.theirScore} |`,
  );
}
