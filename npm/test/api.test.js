// The package's public API on the built package, through its own exports map (which names it exports:
// types.test.js, against types/index.d.ts).
import assert from "node:assert/strict";
import { describe, it, before } from "node:test";

import {
  PwresetError,
  checkConfirm,
  createPolicy,
  estimateStrength,
  helpTexts,
  loadStrength,
  ready,
  uniqueMessages,
  validatePassword,
} from "pwreset";
// The same module instance the package loaded: its count of live compiled policies.
import { livePolicyCount } from "../dist/pwreset_policy.js";

const codes = (result) => result.errors.map((error) => error.code);

describe("before ready()", () => {
  it("a check throws not_ready rather than failing obscurely", () => {
    assert.throws(() => validatePassword("whatever"), (e) => e instanceof PwresetError && e.code === "not_ready");
    assert.throws(() => createPolicy("django"), (e) => e instanceof PwresetError && e.code === "not_ready");
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

  it("control characters and astral characters are checked as they are", () => {
    assert.equal(typeof validatePassword("abc\u0000defgh").valid, "boolean");
    // One emoji is one character (a surrogate pair in JavaScript), as Python counts it.
    assert.deepEqual(codes(validatePassword("🔒🔒🔒🔒🔒🔒🔒")), ["password_too_short"]);
  });

  it("a lone surrogate is refused with a typed error, wherever it is, instead of becoming U+FFFD", () => {
    const lone = ["\ud800abcdefgh", "abcdefgh\udfff", "ab\udc00\ud800cdefgh"];
    const refused = (e) => e instanceof PwresetError && e.code === "unpaired_surrogate" && !e.message.includes("abcdefgh");
    for (const text of lone) {
      assert.throws(() => validatePassword(text), refused);
      assert.throws(() => validatePassword("Tr0ub4dour&3x", { confirm: text }), refused);
      assert.throws(() => validatePassword("Tr0ub4dour&3x", { user: { username: text } }), refused);
      assert.throws(() => checkConfirm(text, "x"), refused);
    }
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

describe("policy errors in JavaScript's terms", () => {
  before(() => ready());

  it("a member of the wrong type names the member, what it must be and what it got", () => {
    assert.throws(
      () => createPolicy({ min_length: "12" }),
      (e) =>
        e.code === "invalid_policy" &&
        e.message === 'policy member min_length must be a whole number from 1 to 4096, got the string "12"',
    );
    assert.throws(() => createPolicy({ min_score: 2.5 }), (e) => /whole number from 1 to 4, or null/.test(e.message));
    assert.throws(() => createPolicy({ common: "yes" }), (e) => /must be true or false, got the string "yes"/.test(e.message));
    assert.throws(() => createPolicy({ min_lenght: 3 }), (e) => /unknown policy member "min_lenght"/.test(e.message));
  });

  it("no Rust type names leak into messages", () => {
    const documents = [{ min_length: "12" }, { max_length: -1 }, { min_score: 300 }, { max_similarity: "x" }, { messages: 3 }];
    for (const document of documents) {
      assert.throws(() => createPolicy(document), (e) => !/usize|u8|f64|bool\b|struct|enum/.test(e.message), JSON.stringify(document));
    }
  });

  it("a document that is not plain data is refused before it reaches wasm", () => {
    assert.throws(() => createPolicy({ min_length: () => 3 }), (e) => e.code === "invalid_policy");
    const hostile = {
      get min_length() {
        throw new Error("boom");
      },
    };
    assert.throws(() => createPolicy(hostile), (e) => e instanceof PwresetError);
    assert.equal(validatePassword("kD9#mQ2$vL7pX!").valid, true);
  });
});

describe("createPolicy", () => {
  before(() => ready());

  it("checks many passwords with one compiled policy, as validatePassword does", () => {
    const policy = createPolicy("seed-002");
    const user = { username: "jane", email: "jane.doe@example.com" };
    for (const password of ["password", "Jane.Doe1987!", "kD9#mQ2$vL7pX!", "x"]) {
      assert.deepEqual(policy.check(password, { user }), validatePassword(password, { preset: "seed-002", user }));
    }
    policy.free();
  });

  it("takes a policy document, and copies it: changing the object later changes nothing", () => {
    const document = { preset: "nist", min_length: 15 };
    const policy = createPolicy(document);
    document.min_length = 4;
    assert.deepEqual(codes(policy.check("Correct horse")), ["password_too_short"]);
    assert.deepEqual(policy.helpTexts(), helpTexts({ preset: "nist", min_length: 15 }));
    policy.free();
  });

  it("checkConfirm speaks the policy's catalog", () => {
    const policy = createPolicy("seed-002");
    assert.equal(policy.checkConfirm("a", "a"), null);
    assert.equal(policy.checkConfirm("a", "b", { confirmField: "confirm" }).field, "confirm");
    policy.free();
  });

  it("free() releases it; later calls throw freed; a second free() is harmless", () => {
    const policy = createPolicy("django");
    policy.free();
    policy.free();
    assert.throws(() => policy.check("x"), (e) => e instanceof PwresetError && e.code === "freed");
    assert.throws(() => policy.helpTexts(), (e) => e.code === "freed");
  });

  it("`using` (Symbol.dispose) frees it too", () => {
    const policy = createPolicy("django");
    const dispose = Symbol.dispose ?? Symbol.for("Symbol.dispose");
    policy[dispose]();
    assert.throws(() => policy.check("x"), (e) => e.code === "freed");
  });

  it("refuses bad arguments with typed errors", () => {
    assert.throws(() => createPolicy(3), (e) => e.code === "invalid_argument");
    assert.throws(() => createPolicy("strict"), (e) => e.code === "unknown_preset");
    const policy = createPolicy();
    assert.throws(() => policy.check(5), (e) => e.code === "invalid_argument");
    assert.throws(() => policy.check("x", { preset: "nist" }), (e) => e.code === "invalid_argument");
    assert.throws(() => policy.check("x", { user: "jane" }), (e) => e.code === "invalid_argument");
    policy.free();
  });
});

describe("locale", () => {
  before(() => ready());

  it("German and Spanish messages come from the core's translations of Django's texts; codes and params stay", () => {
    const english = validatePassword("1234", { confirm: "x" });
    const german = validatePassword("1234", { locale: "de", confirm: "x" });
    const spanish = validatePassword("1234", { locale: "es", confirm: "x" });
    assert.deepEqual(german.errors.map((e) => e.message), [
      "Dieses Passwort ist zu kurz. Es muss mindestens 8 Zeichen enthalten.",
      "Dieses Passwort ist zu gebräuchlich.",
      "Dieses Passwort besteht nur aus Ziffern.",
      "Die beiden Passwörter stimmen nicht überein.",
    ]);
    assert.deepEqual(spanish.errors.map((e) => e.message), [
      "Esta contraseña es demasiado corta. Debe contener al menos 8 caracteres.",
      "Esta contraseña es demasiado común.",
      "Esta contraseña está formada solo por números.",
      "Las dos contraseñas no coinciden.",
    ]);
    const shape = (result) => result.errors.map(({ code, field, params }) => ({ code, field, params }));
    assert.deepEqual(shape(german), shape(english));
    assert.deepEqual(shape(spanish), shape(english));
  });

  it("string parameters are translated too (the similar attribute's name)", () => {
    const user = { email: "jane.doe@example.com" };
    assert.equal(validatePassword("jane.doe@example", { user, locale: "de" }).errors[0].message, "Das Passwort ist der E-Mail-Adresse zu ähnlich.");
    assert.equal(
      validatePassword("jane.doe@example", { user, locale: "es" }).errors[0].message,
      "La contraseña se parece demasiado a la dirección de correo electrónico.",
    );
  });

  it("a language tag is read like Accept-Language's: region and case do not matter", () => {
    const message = (locale) => validatePassword("x", { locale }).errors[0].message;
    for (const locale of ["de", "de-CH", "DE_at", " de "]) assert.match(message(locale), /^Dieses Passwort ist zu kurz/, locale);
    for (const locale of ["es", "es-MX", "ES"]) assert.match(message(locale), /^Esta contraseña es demasiado corta/, locale);
  });

  it("seed-002 stays English; unknown languages and no locale keep the policy's own catalog", () => {
    const seed = validatePassword("xqz", { preset: "seed-002" });
    assert.deepEqual(validatePassword("xqz", { preset: "seed-002", locale: "de" }), seed);
    const english = validatePassword("xqz");
    for (const locale of ["fr", "", "x-klingon", null, undefined]) assert.deepEqual(validatePassword("xqz", { locale }), english, String(locale));
    // A policy written in German: English is "en", other languages keep German.
    const german = createPolicy({ messages: "de" });
    assert.deepEqual(createPolicy({ messages: "de" }, { locale: "en" }).check("xqz"), english);
    assert.deepEqual(createPolicy({ messages: "de" }, { locale: "fr" }).check("xqz"), german.check("xqz"));
    assert.equal(createPolicy({ messages: "de" }, { locale: "es" }).check("xqz").errors[0].message.startsWith("Esta"), true);
  });

  it("createPolicy({ locale }) speaks it in checks, help texts and checkConfirm", () => {
    const policy = createPolicy("nist", { locale: "es" });
    assert.equal(policy.check("abc").errors[0].message, "Esta contraseña es demasiado corta. Debe contener al menos 8 caracteres.");
    assert.ok(policy.helpTexts().includes("Tu contraseña debe contener al menos 8 caracteres."), policy.helpTexts().join("|"));
    assert.equal(policy.checkConfirm("a", "b").message, "Las dos contraseñas no coinciden.");
    policy.free();
  });

  it("helpTexts(preset or document, { locale })", () => {
    assert.deepEqual(helpTexts("django", { locale: "de" }), [
      "Ihr Passwort darf Ihren persönlichen Angaben nicht zu ähnlich sein.",
      "Ihr Passwort muss mindestens 8 Zeichen enthalten.",
      "Ihr Passwort darf kein häufig verwendetes Passwort sein.",
      "Ihr Passwort darf nicht nur aus Ziffern bestehen.",
      "Ihr Passwort darf höchstens 128 Zeichen lang sein.",
    ]);
    assert.ok(helpTexts({ preset: "nist", min_length: 15 }, { locale: "es" }).includes("Tu contraseña debe contener al menos 15 caracteres."));
    assert.deepEqual(helpTexts("seed-002", { locale: "es" }), helpTexts("seed-002"));
    assert.deepEqual(helpTexts("django", { locale: "fr" }), helpTexts("django"));
  });

  it("many language tags work without keeping a policy for each", () => {
    const kept = livePolicyCount();
    for (let i = 0; i < 40; i += 1) {
      assert.match(validatePassword("x", { locale: `de-x-${i}` }).errors[0].message, /^Dieses Passwort/);
      assert.match(helpTexts("nist", { locale: `es-x-${i}` })[0], /^Tu contraseña/);
    }
    assert.ok(livePolicyCount() - kept <= 16, `${livePolicyCount() - kept} more policies kept`);
    assert.match(validatePassword("x").errors[0].message, /^This password is too short/);
  });

  it("a locale that is not text is refused with a typed error", () => {
    const refused = (code) => (e) => e instanceof PwresetError && e.code === code;
    assert.throws(() => validatePassword("x", { locale: 7 }), refused("invalid_argument"));
    assert.throws(() => validatePassword("x", { locale: "de\ud800" }), refused("unpaired_surrogate"));
    assert.throws(() => createPolicy("django", { locale: ["de"] }), refused("invalid_argument"));
    assert.throws(() => createPolicy("django", { lang: "de" }), refused("invalid_argument"));
    assert.throws(() => createPolicy("django", "de"), refused("invalid_argument"));
    assert.throws(() => helpTexts("django", { locale: {} }), refused("invalid_argument"));
  });
});

describe("uniqueMessages", () => {
  before(() => ready());

  it("shows a sentence several codes share once, with every code it stands for and a unique key", () => {
    const result = validatePassword("password", { preset: "seed-002" });
    assert.equal(result.errors.length, 4);
    const shown = uniqueMessages(result);
    assert.deepEqual(shown.map((m) => m.codes), [
      ["password_too_common"],
      ["password_no_upper", "password_no_digit", "password_no_symbol"],
    ]);
    assert.equal(new Set(shown.map((m) => m.key)).size, shown.length);
    assert.equal(new Set(shown.map((m) => m.message)).size, shown.length);
    assert.deepEqual(uniqueMessages(result.errors), shown);
  });

  it("keeps distinct messages apart, and the same text on another field apart", () => {
    const result = validatePassword("xqz", { confirm: "y" });
    assert.equal(uniqueMessages(result).length, result.errors.length);
    assert.throws(() => uniqueMessages(5), (e) => e.code === "invalid_argument");
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

  it("the user's attributes are the estimate's user inputs, as for estimateStrength", async () => {
    await loadStrength();
    const user = { username: "jane", last_name: "doe" };
    const checked = validatePassword("janedoe1987!", { user }).strength;
    assert.deepEqual(checked, await estimateStrength("janedoe1987!", ["jane", "doe"]));
  });

  it("a new user between checks counts at once (attributes are reused only while they stay the same)", async () => {
    await loadStrength();
    const policy = createPolicy("django");
    const other = createPolicy("django");
    const similar = (result) => codes(result).includes("password_too_similar");
    const user = { username: "johndoe" };
    const first = policy.check("johndoe1", { user });
    assert.ok(similar(first));
    assert.ok(!similar(policy.check("johndoe1", { user: { username: "someone" } })));
    assert.ok(!similar(policy.check("johndoe1")));
    assert.ok(similar(policy.check("johndoe1", { user })));
    user.username = "changed"; // the same object, changed in place
    const changed = policy.check("johndoe1", { user });
    assert.ok(!similar(changed));
    assert.ok(changed.strength.guesses_log10 > first.strength.guesses_log10, "the estimate's user inputs changed too");
    // Two policies with different users, interleaved, each with its own user and estimate.
    const mine = policy.check("janedoe1987", { user: { username: "janedoe" } });
    const theirs = other.check("janedoe1987", { user: { username: "x" } });
    assert.deepEqual(mine.strength, await estimateStrength("janedoe1987", ["janedoe"]));
    assert.deepEqual(theirs.strength, await estimateStrength("janedoe1987", ["x"]));
    assert.ok(similar(policy.check("janedoe1987", { user: { username: "janedoe" } })));
    assert.ok(!similar(other.check("janedoe1987", { user: { username: "x" } })));
    policy.free();
    other.free();
  });

  it("a password over max_length gets no estimate, even with strength loaded", async () => {
    await loadStrength();
    const policy = createPolicy("django");
    assert.equal(policy.check("a".repeat(129)).strength, null);
    assert.notEqual(policy.check("🔒".repeat(100)).strength, null, "100 emoji are 200 UTF-16 units but 100 characters");
    policy.free();
  });

  it("the locale picks the language of zxcvbn's warning and suggestions too; English is zxcvbn's own", async () => {
    await loadStrength();
    const feedback = (strength) => ({ warning: strength.warning, suggestions: strength.suggestions });
    const english = {
      warning: "This is a top-10 common password.",
      suggestions: ["Add another word or two. Uncommon words are better."],
    };
    const german = {
      warning: "Dies ist eines der 10 häufigsten Passwörter.",
      suggestions: ["Fügen Sie ein oder zwei weitere Wörter hinzu. Ungewöhnliche Wörter sind besser."],
    };
    const spanish = {
      warning: "Esta es una de las 10 contraseñas más comunes.",
      suggestions: ["Añade una o dos palabras más. Las palabras poco comunes son mejores."],
    };
    // validatePassword and createPolicy: the language of the messages.
    assert.deepEqual(feedback(validatePassword("password").strength), english);
    assert.deepEqual(feedback(validatePassword("password", { locale: "en" }).strength), english);
    assert.deepEqual(feedback(validatePassword("password", { locale: "de" }).strength), german);
    assert.deepEqual(feedback(validatePassword("password", { locale: "es" }).strength), spanish);
    const policy = createPolicy("nist", { locale: "es-MX" });
    assert.deepEqual(feedback(policy.check("password").strength), spanish);
    policy.free();
    // The estimate follows the catalog: seed-002 stays English, a German policy speaks German.
    assert.deepEqual(feedback(validatePassword("password", { preset: "seed-002", locale: "de" }).strength), english);
    const written = createPolicy({ messages: "de" });
    assert.deepEqual(feedback(written.check("password").strength), german);
    written.free();
    // estimateStrength({ locale }).
    assert.deepEqual(feedback(await estimateStrength("password")), english);
    assert.deepEqual(feedback(await estimateStrength("password", [], { locale: "de-AT" })), german);
    assert.deepEqual(feedback(await estimateStrength("password", undefined, { locale: "ES" })), spanish);
    assert.deepEqual(feedback(await estimateStrength("password", [], { locale: "fr" })), english);
    // Only the words change.
    const figures = ({ score, guesses_log10 }) => ({ score, guesses_log10 });
    assert.deepEqual(
      figures(await estimateStrength("janedoe1987!", ["jane"], { locale: "de" })),
      figures(await estimateStrength("janedoe1987!", ["jane"])),
    );
    await assert.rejects(estimateStrength("x", [], { locale: 7 }), (e) => e.code === "invalid_argument");
    await assert.rejects(estimateStrength("x", [], { lang: "de" }), (e) => e.code === "invalid_argument");
  });

  it("refuses bad arguments", async () => {
    await assert.rejects(estimateStrength(5), (e) => e.code === "invalid_argument");
    await assert.rejects(estimateStrength("x", "jane"), (e) => e.code === "invalid_argument");
    await assert.rejects(estimateStrength("x", [1]), (e) => e.code === "invalid_argument");
  });
});
