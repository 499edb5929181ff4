// pwreset/react as a React app uses it, from a packed and installed copy, inside <React.StrictMode>
// (development builds: every component renders twice, and effects mount, unmount and mount again):
// rendered on the server with react-dom/server, and in Chromium with react-dom/client, where a
// password is typed after the double mount. React comes from npm/test/consumers (scripts/setup.sh);
// the package itself never installs it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, it } from "node:test";

import { ready, validatePassword } from "pwreset";

import { launchChromium, serveDirectory } from "./support/chromium.js";
import { makeConsumerProject, removeProject, toolchainsDir } from "./support/consumer-project.js";

const require = createRequire(import.meta.url);
const USER = { username: "jane", email: "jane.doe@example.com" };

let project;
let browser;

before(async () => {
  if (!existsSync(join(toolchainsDir, "node_modules", "react-dom", "package.json"))) {
    throw new Error("react and react-dom are not installed in npm/test/consumers: run `make setup`");
  }
  project = makeConsumerProject({ toolchains: true });
  browser = await launchChromium();
  await ready();
});

after(async () => {
  await browser?.close();
  if (project) removeProject(project);
});

/** Server rendering: null before ready(), the check after; the policy checks on afterwards; dropped ones are collected. */
const SSR = `
import { StrictMode, createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { loadStrength, ready } from "pwreset";
import { usePasswordCheck, usePasswordPolicy } from "pwreset/react";
import { livePolicyCount } from "./node_modules/pwreset/dist/pwreset_policy.js";

const user = ${JSON.stringify(USER)};
let last = null;
function Form({ password, document = "seed-002" }) {
  const policy = usePasswordPolicy(document);
  const result = usePasswordCheck(policy, password, { user });
  last = policy;
  return h("p", null, result ? result.errors.map((e) => e.code).join(" ") || "valid" : "loading");
}
const page = (props) => renderToString(h(StrictMode, null, h(Form, props)));

const before = page({ password: "abc" });
await ready();
const rendered = page({ password: "abc" });
const typed = last.check("kD9#mQ2$vL7pX!", { user }).valid;
// A document with min_score can't check without zxcvbn: null until it is loaded.
const scored = { preset: "nist", min_score: 3 };
const withoutStrength = page({ password: "abcabcabcabc", document: scored });
await loadStrength();
const withStrength = page({ password: "abcabcabcabc", document: scored });
last = null;

// Each render compiles a policy in a ref and nothing frees it: the garbage collector does.
const gc = async () => { for (let i = 0; i < 10; i += 1) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); } };
await gc();
const baseline = livePolicyCount();
for (let i = 0; i < 50; i += 1) page({ password: "abc", document: { preset: "nist", min_length: 10 + i } });
const grown = livePolicyCount() - baseline;
last = null;
await gc();
console.log(JSON.stringify({ before, rendered, typed, withoutStrength, withStrength, grown, left: livePolicyCount() - baseline }));
`;

it("server: renderToString inside StrictMode renders the check once ready(), and the policies are collected", () => {
  writeFileSync(join(project, "ssr.mjs"), SSR);
  const output = JSON.parse(execFileSync("node", ["--expose-gc", "ssr.mjs"], { cwd: project, encoding: "utf8" }));
  const codes = validatePassword("abc", { preset: "seed-002", user: USER }).errors.map((e) => e.code).join(" ");
  assert.equal(output.before, "<p>loading</p>", "null before the policy module is loaded (effects don't run on the server)");
  assert.equal(output.rendered, `<p>${codes}</p>`);
  assert.equal(output.typed, true);
  assert.equal(output.withoutStrength, "<p>loading</p>");
  assert.equal(output.withStrength, "<p>password_too_weak</p>");
  assert.ok(output.grown >= 50, `each render compiled one: ${output.grown}`);
  assert.equal(output.left, 0, "every dropped policy was freed by the FinalizationRegistry");
});

/**
 * The client: the hook's form, mounted before the policy module is loaded, and the pattern the hook
 * replaces (useMemo + free() in a cleanup), which StrictMode breaks; both in <StrictMode>.
 */
const CLIENT = `
import { StrictMode, createElement as h, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { createPolicy, ready, uniqueMessages } from "pwreset";
import { usePasswordCheck, usePasswordPolicy } from "pwreset/react";

const user = ${JSON.stringify(USER)};
const state = (window.state = { mounts: { early: 0, late: 0 }, handled: { early: [], late: [] } });

function Form({ name }) {
  const [password, setPassword] = useState("");
  const policy = usePasswordPolicy("seed-002", { strength: true });
  const result = usePasswordCheck(policy, password, { user });
  useEffect(() => {
    state.mounts[name] += 1;
  }, []);
  const onChange = (event) => {
    setPassword(event.target.value);
    // A check in an event handler too, after the double mount.
    state.handled[name].push(policy.check(event.target.value, { user }).valid);
  };
  return h(
    "form",
    { id: name, "data-ready": String(policy !== null), "data-valid": String(result?.valid), "data-score": String(result?.strength?.score) },
    h("input", { type: "password", value: password, onChange, disabled: policy === null }),
    h("ul", null, result && uniqueMessages(result).map((m) => h("li", { key: m.key, className: m.codes.join(" ") }, m.message))),
  );
}

function Naive() {
  const policy = useMemo(() => createPolicy("seed-002"), []);
  useEffect(() => () => policy.free(), [policy]);
  const [outcome, setOutcome] = useState("");
  const onChange = (event) => {
    try {
      setOutcome(String(policy.check(event.target.value).valid));
    } catch (error) {
      setOutcome(error.code);
    }
  };
  return h("input", { id: "naive", "data-outcome": outcome, onChange });
}

// Mounted before the policy module is loaded (the hook loads it), and after (the policy is there at mount).
createRoot(document.querySelector("#early-root")).render(h(StrictMode, null, h(Form, { name: "early" })));
ready().then(() => {
  createRoot(document.querySelector("#late-root")).render(h(StrictMode, null, h(Form, { name: "late" })));
  createRoot(document.querySelector("#naive-root")).render(h(StrictMode, null, h(Naive)));
});
`;

it("client: in StrictMode the hook's policy survives the double mount; typing checks live; the useMemo + free() pattern does not", async () => {
  const esbuild = await import(require.resolve("esbuild"));
  const out = join(project, "react-www");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(project, "react-app.js"), CLIENT);
  writeFileSync(
    join(out, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pwreset/react</title><link rel="icon" href="data:,"></head>
<body><div id="early-root"></div><div id="late-root"></div><div id="naive-root"></div><script type="module" src="react-app.js"></script></body></html>`,
  );
  await esbuild.build({
    entryPoints: [join(project, "react-app.js")],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: out,
    absWorkingDir: project,
    // React's development build: the one where StrictMode double-invokes.
    define: { "process.env.NODE_ENV": '"development"' },
    logLevel: "silent",
  });
  for (const wasm of ["pwreset_policy_bg.wasm", "pwreset_strength_bg.wasm"]) {
    copyFileSync(join(project, "node_modules", "pwreset", "dist", wasm), join(out, wasm));
  }

  const server = await serveDirectory(out);
  const page = await browser.newPage();
  const failures = [];
  page.on("pageerror", (error) => failures.push(error.message));
  page.on("console", (message) => message.type() === "error" && failures.push(message.text()));
  try {
    await page.goto(server.url);
    for (const name of ["early", "late"]) {
      const form = `#${name}`;
      await page.waitForSelector(`${form}[data-ready=true]`, { timeout: 30_000 });
      await page.waitForSelector(`${form}:not([data-score=undefined])`, { timeout: 30_000 });
      assert.equal(await page.evaluate((n) => window.state.mounts[n], name), 2, `${name}: StrictMode mounted, unmounted and mounted again`);

      await page.locator(`${form} input`).pressSequentially("password");
      await page.waitForSelector(`${form} li.password_too_common`);
      assert.equal(await page.locator(form).getAttribute("data-valid"), "false");
      await page.locator(`${form} input`).fill("");
      await page.locator(`${form} input`).pressSequentially("kD9#mQ2$vL7pX!");
      await page.waitForSelector(`${form}[data-valid=true][data-score='4']`);
      assert.equal(await page.locator(`${form} li`).count(), 0);
      const handled = await page.evaluate((n) => window.state.handled[n], name);
      assert.equal(handled.length, "password".length + "kD9#mQ2$vL7pX!".length + 1, `${name}: a check per keystroke and the clearing`);
      assert.equal(handled.at(-1), true, `${name}: the check in the event handler agrees`);
    }

    // The pattern the hook replaces: StrictMode's first unmount freed the policy.
    await page.locator("#naive").pressSequentially("a");
    await page.waitForSelector("#naive[data-outcome=freed]");

    assert.deepEqual(failures, []);
  } catch (error) {
    // A wait that timed out says little: the page's own errors say why.
    if (failures.length > 0) error.message += `\npage errors:\n${failures.join("\n")}`;
    throw error;
  } finally {
    await page.close();
    await server.close();
  }
});
