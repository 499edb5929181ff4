// The package's API (CONTRACT section 3) on the built package, through its own exports map.
import assert from "node:assert/strict";
import { describe, it, before } from "node:test";

import * as pwreset from "pwreset";
import {
  PwresetError,
  checkConfirm,
  estimateStrength,
  helpTexts,
  loadStrength,
  ready,
  validatePassword,
} from "pwreset";

const codes = (result) => result.errors.map((error) => error.code);

describe("before ready()", () => {
  it("a check throws not_ready rather than failing obscurely", () => {
    assert.throws(() => validatePassword("whatever"), (e) => e instanceof PwresetError && e.code === "not_ready");
  });
});

describe("validatePassword", () => {
  before(() => ready());

  it("returns the documented shape", () => {
    const result = validatePassword("password");
    assert.deepEqual(Object.keys(result), ["valid", "errors", "strength"]);
    assert.equal(result.valid, false);
    assert.deepEqual(result.errors[0], {
      code: "password_too_common",
      field: "password",
      message: "This password is too common.",
      params: {},
    });
  });

  it("django preset: similarity, length, common, numeric with Django's messages", () => {
    const result = validatePassword("johndoe1", { preset: "django", user: { username: "johndoe" } });
    assert.deepEqual(codes(result), ["password_too_similar"]);
    assert.equal(result.errors[0].message, "The password is too similar to the username.");
    assert.equal(result.errors[0].params.attribute, "username");
    assert.deepEqual(codes(validatePassword("12345")), ["password_too_short", "password_too_common", "password_entirely_numeric"]);
  });

  it("nist preset: no numeric rule", () => {
    assert.deepEqual(codes(validatePassword("4815162342108", { preset: "nist" })), []);
  });

  it("seed-002 preset: all four classes with the seed's messages", () => {
    const result = validatePassword("xqz", { preset: "seed-002" });
    assert.deepEqual(codes(result), ["password_too_short", "password_no_upper", "password_no_digit", "password_no_symbol"]);
    assert.equal(result.errors[0].message, "Your password must contain at least 8 characters.");
    assert.deepEqual(codes(validatePassword("Abcdef1!xyz", { preset: "seed-002" })), []);
  });

  it("a custom policy document drives the same rules", () => {
    const result = validatePassword("Correct horse", { policy: { preset: "nist", min_length: 15 } });
    assert.deepEqual(codes(result), ["password_too_short"]);
    assert.equal(result.errors[0].params.min_length, 15);
  });

  it("confirmation mismatch is reported on the confirm field", () => {
    const result = validatePassword("Tr0ub4dour&3x", { confirm: "Tr0ub4dour&3y", confirmField: "passwordConfirm" });
    assert.deepEqual(codes(result), ["password_mismatch"]);
    assert.equal(result.errors[0].field, "passwordConfirm");
  });

  it("too long is refused first and alone", () => {
    const result = validatePassword("a".repeat(10_000), { preset: "seed-002", confirm: "x" });
    assert.deepEqual(codes(result), ["password_too_long"]);
    assert.equal(result.strength, null);
  });

  it("unicode is counted in characters, as Python does", () => {
    assert.deepEqual(codes(validatePassword("ééééééé")), ["password_too_short"]);
    assert.deepEqual(codes(validatePassword("٣٣٣٣٣٣٣٣٩")), ["password_entirely_numeric"]);
  });

  it("bad input is a typed error, never a trap", () => {
    const cases = [
      [() => validatePassword(42), "invalid_argument"],
      [() => validatePassword(null), "invalid_argument"],
      [() => validatePassword(undefined), "invalid_argument"],
      [() => validatePassword({ toString: () => "x" }), "invalid_argument"],
      [() => validatePassword("x", "django"), "invalid_argument"],
      [() => validatePassword("x", { preset: "strict" }), "unknown_preset"],
      [() => validatePassword("x", { preset: 7 }), "invalid_argument"],
      [() => validatePassword("x", { policy: { min_lenght: 3 } }), "invalid_policy"],
      [() => validatePassword("x", { policy: { max_length: 10 } }), "invalid_policy"],
      [() => validatePassword("x", { policy: "nist" }), "invalid_argument"],
      [() => validatePassword("x", { preset: "nist", policy: {} }), "invalid_argument"],
      [() => validatePassword("x", { user: "jdoe" }), "invalid_argument"],
      [() => validatePassword("x", { confirm: 1 }), "invalid_argument"],
      [() => validatePassword("x", { colour: "red" }), "invalid_argument"],
    ];
    for (const [call, code] of cases) {
      assert.throws(call, (e) => e instanceof PwresetError && e.code === code && e.message.length > 0, String(call));
    }
    // The module still works after every refusal.
    assert.equal(validatePassword("kD9#mQ2$vL7pX!").valid, true);
  });

  it("lone surrogates and control characters are handled without a trap", () => {
    const result = validatePassword("\ud800abc\u0000defgh");
    assert.equal(typeof result.valid, "boolean");
  });

  it("a policy with min_score asks for the strength module instead of skipping the rule", () => {
    assert.throws(
      () => validatePassword("x", { policy: { min_score: 3 } }),
      (e) => e instanceof PwresetError && e.code === "strength_not_loaded",
    );
  });
});

describe("checkConfirm", () => {
  before(() => ready());

  it("is null when equal and a mismatch error otherwise", () => {
    assert.equal(checkConfirm("same", "same"), null);
    assert.deepEqual(checkConfirm("a", "b", { confirmField: "confirm_password", messages: "seed-002" }), {
      code: "password_mismatch",
      field: "confirm_password",
      message: "The two password fields didn't match.",
      params: {},
    });
  });

  it("refuses non-strings", () => {
    assert.throws(() => checkConfirm("a", 1), (e) => e.code === "invalid_argument");
    assert.throws(() => checkConfirm("a", "b", { messages: "klingon" }), (e) => e.code === "invalid_argument");
  });
});

describe("helpTexts", () => {
  before(() => ready());

  it("gives Django's help texts for django and the seed's for seed-002", () => {
    assert.deepEqual(helpTexts("django").slice(0, 4), [
      "Your password can’t be too similar to your other personal information.",
      "Your password must contain at least 8 characters.",
      "Your password can’t be a commonly used password.",
      "Your password can’t be entirely numeric.",
    ]);
    assert.ok(helpTexts("seed-002").includes(
      "Your password must contain at least one capital letter, small letter, number and special character.",
    ));
    assert.ok(helpTexts({ preset: "nist", min_length: 15 }).includes("Your password must contain at least 15 characters."));
  });

  it("refuses unknown presets and bad documents", () => {
    assert.throws(() => helpTexts("strict"), (e) => e.code === "unknown_preset");
    assert.throws(() => helpTexts({ bogus: true }), (e) => e.code === "invalid_policy");
    assert.throws(() => helpTexts(3), (e) => e.code === "invalid_argument");
  });
});

describe("strength", () => {
  before(() => ready());

  it("estimateStrength loads zxcvbn on first use and uses the user inputs", async () => {
    const weak = await estimateStrength("password");
    assert.equal(weak.score, 0);
    const alone = await estimateStrength("janedoe1987!");
    const personal = await estimateStrength("janedoe1987!", ["jane", "doe"]);
    assert.ok(personal.guesses_log10 < alone.guesses_log10);
    assert.deepEqual(Object.keys(alone), ["score", "guesses_log10", "warning", "suggestions"]);
  });

  it("once loaded, validatePassword carries the strength and judges min_score", async () => {
    await loadStrength();
    const result = validatePassword("Tr0ub4dour&3", { policy: { min_score: 3 } });
    assert.equal(result.strength.score, 2);
    assert.deepEqual(codes(result), ["password_too_weak"]);
    assert.deepEqual(result.errors[0].params, { min_score: 3, score: 2 });
  });

  it("refuses bad arguments", async () => {
    await assert.rejects(estimateStrength(5), (e) => e.code === "invalid_argument");
    await assert.rejects(estimateStrength("x", "jane"), (e) => e.code === "invalid_argument");
    await assert.rejects(estimateStrength("x", [1]), (e) => e.code === "invalid_argument");
  });
});

describe("exports", () => {
  it("are exactly the documented API", () => {
    assert.deepEqual(Object.keys(pwreset).sort(), [
      "PwresetError",
      "ResetApiError",
      "checkConfirm",
      "createResetClient",
      "estimateStrength",
      "helpTexts",
      "loadStrength",
      "ready",
      "validatePassword",
      "warmUpStrength",
    ]);
  });
});
