// The reset page's live checks. The npm package `pwreset` (copied beside this file at build time)
// judges the new password as it is typed, with the very policy the server enforces (the form's
// `data-policy`), and a strength meter appears once zxcvbn has loaded. All of it is an addition:
// without this script, or when the package or its wasm fails to load, the page stays a plain HTML
// form that the server checks.
//
// What only the server knows (the account's attributes, its current password, the breached
// check) comes from its dry run (`data-check`, `POST /reset/check` with the link and the password)
// when typing pauses and the browser's own checks pass: it uses nothing up, and the submit stays
// the authority.
//
// State for tests and styles: the form gets data-live="on" once checks run ("off" if they can't),
// data-strength="on" once the meter works, and data-server-check="done" after each answer of the
// dry run has been shown.

const PACKAGE = "./pwreset/src/entry-browser.js";
const CONFIRM_FIELD = "password_confirm";
/** How long typing must pause before the screen-reader summary is updated. */
const ANNOUNCE_DELAY_MS = 900;
/** How long typing must pause before the server's dry run is asked. */
const SERVER_CHECK_DELAY_MS = 600;

const form = document.getElementById("reset-form");
if (form) {
  start(form).catch((error) => {
    form.dataset.live = "off";
    console.warn("pwreset: live checks are off; the form still works without them.", error);
  });
}

async function start(form) {
  const policyDocument = JSON.parse(form.dataset.policy);
  const texts = JSON.parse(form.dataset.texts);
  const pwreset = await import(PACKAGE);
  await pwreset.ready();
  const check = checker(pwreset, policyDocument);

  const password = form.elements.namedItem("password");
  const confirm = form.elements.namedItem(CONFIRM_FIELD);
  const view = {
    password: fieldView(password, "password"),
    confirm: fieldView(confirm, CONFIRM_FIELD),
    status: document.getElementById("live-status"),
    strength: document.getElementById("strength"),
    meter: document.getElementById("strength-meter"),
    meterText: document.getElementById("strength-text"),
    strengthFeedback: document.getElementById("strength-feedback"),
  };
  let strengthOn = false;
  let announceTimer = 0;
  const server = serverCheck(form, password);

  const judge = () => {
    const typedConfirm = confirm.value !== "";
    const result = check(password.value, typedConfirm ? confirm.value : undefined);
    const confirmErrors = result.errors.filter((e) => e.field === CONFIRM_FIELD);
    const passwordErrors = result.errors.filter((e) => e.field !== CONFIRM_FIELD);
    // What the server said about this very password and the browser could not know.
    for (const error of server.errorsFor(password.value)) {
      if (!passwordErrors.some((e) => e.code === error.code)) passwordErrors.push(error);
    }
    return { result, passwordErrors, confirmErrors, typedConfirm };
  };

  /** Shows the verdict; `announce` is "later" while typing, "now" on submit. */
  const update = (announce) => {
    const verdict = judge();
    const { passwordErrors, confirmErrors } = verdict;
    view.password.show(password.value === "" ? [] : passwordErrors);
    view.confirm.show(confirm.value === "" ? [] : confirmErrors);
    const strength = password.value === "" ? null : (verdict.result.strength ?? null);
    const score = strength?.score ?? null;
    if (strengthOn) showStrength(view, texts, strength);
    clearTimeout(announceTimer);
    const say = () => { view.status.textContent = summary(texts, verdict, score, strengthOn, password.value); };
    if (announce === "now") say();
    else announceTimer = setTimeout(say, ANNOUNCE_DELAY_MS);
    return verdict;
  };

  // zxcvbn is large: fetched when the user starts on the password (or at once when a rule needs it).
  const loadStrength = () => {
    pwreset.loadStrength().then(
      () => {
        strengthOn = true;
        view.strength.hidden = false;
        form.dataset.strength = "on";
        if (password.value !== "") update("later");
      },
      (error) => console.warn("pwreset: no strength meter.", error),
    );
  };
  // The field may have the focus already (the script loads after the page): then at once.
  const started = document.activeElement === password || document.activeElement === confirm;
  if (policyDocument.min_score != null || started || password.value !== "") loadStrength();
  else password.addEventListener("focus", loadStrength, { once: true });

  /** Asks the server's dry run once typing pauses, when the browser finds nothing wrong. */
  const askServer = () => {
    const { passwordErrors } = judge();
    if (password.value === "" || passwordErrors.length) return;
    server.ask(password.value, confirm.value || undefined).then((asked) => {
      if (asked && asked === password.value) update("later");
      form.dataset.serverCheck = "done";
    });
  };
  let serverTimer = 0;
  const typed = () => {
    update("later");
    clearTimeout(serverTimer);
    serverTimer = setTimeout(askServer, SERVER_CHECK_DELAY_MS);
  };
  password.addEventListener("input", () => { view.password.dropServerErrors(); typed(); });
  confirm.addEventListener("input", () => { view.confirm.dropServerErrors(); update("later"); });

  form.addEventListener("submit", (event) => {
    const { passwordErrors, confirmErrors } = update("now");
    const first = passwordErrors.length ? password : confirmErrors.length ? confirm : null;
    if (first) {
      // The server would refuse it too: say why here, without a round trip.
      event.preventDefault();
      first.focus();
    }
  });

  const toggle = document.getElementById("show-passwords-toggle");
  toggle.addEventListener("change", () => {
    for (const input of [password, confirm]) input.type = toggle.checked ? "text" : "password";
  });
  document.getElementById("show-passwords").hidden = false;

  if (password.value !== "" || confirm.value !== "") typed();
  form.dataset.live = "on";
}

/**
 * The server's dry run for this page's link (`data-check`): `ask(password, confirm?)` resolves to
 * the password it asked about once the answer is in (or to null when it could not ask: no URL, a
 * rate limit, a network error — the submit still checks), and `errorsFor(password)` gives the
 * server's errors about the password field for that password, if it was the last one asked.
 */
function serverCheck(form, password) {
  const url = form.dataset.check;
  const token = form.elements.namedItem("token")?.value ?? "";
  const user = form.elements.namedItem("user")?.value;
  let answered = { password: null, errors: [] };
  let latest = 0;
  return {
    errorsFor(value) {
      return answered.password === value ? answered.errors : [];
    },
    async ask(value, confirm) {
      if (!url || token === "") return null;
      const asked = ++latest;
      const body = { token, password: value };
      if (user) body.user = user;
      if (confirm !== undefined) body.confirm = confirm;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "accept-language": document.documentElement.lang || "en" },
          body: JSON.stringify(body),
          credentials: "same-origin",
        });
        if (!response.ok) return null;
        const result = await response.json();
        // An answer to an older question is of no use once a newer one is out.
        if (asked !== latest || password.value !== value) return null;
        const errors = Array.isArray(result.errors) ? result.errors : [];
        answered = { password: value, errors: errors.filter((e) => e.field !== CONFIRM_FIELD) };
        return value;
      } catch {
        return null;
      }
    },
  };
}

/** check(password, confirm?) with the page's policy, compiled once when the package can. */
function checker(pwreset, policyDocument) {
  const options = (confirm) => (confirm === undefined ? {} : { confirm, confirmField: CONFIRM_FIELD });
  // The page's language, so live messages read like the server's answers.
  const locale = document.documentElement.lang || "en";
  if (typeof pwreset.createPolicy === "function") {
    const policy = pwreset.createPolicy(policyDocument, { locale });
    return (password, confirm) => policy.check(password, options(confirm));
  }
  return (password, confirm) =>
    pwreset.validatePassword(password, { policy: policyDocument, locale, ...options(confirm) });
}

/** One input's live messages (`#{id}-feedback`), its `aria-invalid`, and the server's errors. */
function fieldView(input, id) {
  const feedback = document.getElementById(`${id}-feedback`);
  const errorId = `${id}-error`;
  return {
    show(errors) {
      // seed-002's four character classes share one sentence: each message once.
      const unique = errors.filter((error, i) => errors.findIndex((e) => e.message === error.message) === i);
      feedback.replaceChildren(
        ...unique.map((error) => {
          const item = document.createElement("li");
          item.className = error.code;
          item.textContent = error.message;
          return item;
        }),
      );
      if (errors.length) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    },
    /** The server's list was about the previous submission: once the user types, the live one replaces it. */
    dropServerErrors() {
      const list = document.getElementById(errorId);
      if (!list) return;
      list.remove();
      const ids = (input.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((x) => x && x !== errorId);
      input.setAttribute("aria-describedby", ids.join(" "));
      input.closest(".field")?.classList.remove("field-invalid");
    },
  };
}

function showStrength(view, texts, strength) {
  const score = strength?.score ?? null;
  const level = score === null ? "" : texts.strength_levels[score];
  // zxcvbn's warning and suggestions, in the page's language (the policy's catalog).
  if (view.strengthFeedback) {
    const advice = strength === null ? [] : [strength.warning, ...(strength.suggestions ?? [])].filter(Boolean);
    view.strengthFeedback.textContent = advice.join(" ");
  }
  view.meter.value = score ?? 0;
  view.meter.dataset.score = score === null ? "" : String(score);
  view.meter.setAttribute("aria-valuetext", level);
  view.meterText.textContent = level;
}

/** What the polite live region says: the password's problems, or what is left to do. */
function summary(texts, verdict, score, strengthOn, password) {
  if (password === "") return "";
  const { passwordErrors, confirmErrors, typedConfirm } = verdict;
  const parts = [];
  if (passwordErrors.length) parts.push(...new Set(passwordErrors.map((e) => e.message)));
  else if (!typedConfirm) parts.push(texts.all_rules_met, texts.confirm_pending);
  else if (confirmErrors.length) parts.push(...confirmErrors.map((e) => e.message));
  else parts.push(texts.all_rules_met);
  if (strengthOn && score !== null) parts.push(`${texts.strength_label}: ${texts.strength_levels[score]}.`);
  return parts.join(" ");
}
