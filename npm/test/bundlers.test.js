// The setups a frontend developer reaches for, each tried from a packed and installed copy and each
// loading the page in Chromium: Vite build and dev server (5, the oldest major still in common use,
// and 8, the newest), webpack 5, and TypeScript (strict, skipLibCheck: false) for Node, for no
// library at all, and for a browser page that loads the package with a plain <script type="module">.
// The toolchains come from npm/test/consumers (installed by scripts/setup.sh).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";

import { APP, app, exercisePage, page } from "./support/browser-app.js";
import { freePort, launchChromium, serveDirectory } from "./support/chromium.js";
import { makeConsumerProject, removeProject, toolchainsDir } from "./support/consumer-project.js";

const tool = (...path) => join(toolchainsDir, "node_modules", ...path);
const importTool = (...path) => import(pathToFileURL(tool(...path)).href);

let project;
let browser;

before(async () => {
  if (!existsSync(tool("vite5", "package.json"))) {
    throw new Error("the consumer toolchains are not installed in npm/test/consumers: run `make setup`");
  }
  project = makeConsumerProject({ toolchains: true });
  writeFileSync(join(project, "app.js"), APP);
  writeFileSync(join(project, "index.html"), page("/app.js"));
  // The README's explicit form for Vite: the wasm files' URLs from Vite's ?url imports.
  const urls = app({
    prelude: `import policyWasm from "pwreset/dist/pwreset_policy_bg.wasm?url";
import strengthWasm from "pwreset/dist/pwreset_strength_bg.wasm?url";`,
    readyOptions: "{ policyWasm }",
    strengthOptions: "{ wasm: strengthWasm }",
  });
  writeFileSync(join(project, "app-url.js"), urls);
  writeFileSync(join(project, "url.html"), page("/app-url.js"));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (project) removeProject(project);
});

/** Serves `dir` and runs the page checks there. */
async function exerciseDirectory(dir, path = "") {
  const server = await serveDirectory(dir);
  try {
    assert.deepEqual((await exercisePage(browser, server.url + path)).failures, []);
  } finally {
    await server.close();
  }
}

for (const [name, entry] of [
  ["Vite 5", ["vite5", "dist", "node", "index.js"]],
  ["Vite 8", ["vite", "dist", "node", "index.js"]],
]) {
  describe(name, () => {
    const outDir = () => join(project, `out-${entry[0]}`);

    it("vite build: the wasm files are emitted and load, by default and from ?url imports", async () => {
      const vite = await importTool(...entry);
      await vite.build({
        root: project,
        configFile: false,
        logLevel: "silent",
        build: { outDir: outDir(), emptyOutDir: true, rollupOptions: { input: [join(project, "index.html"), join(project, "url.html")] } },
      });
      const assets = readdirSync(join(outDir(), "assets"));
      assert.ok(assets.some((file) => file.endsWith(".wasm")), assets.join(" "));
      await exerciseDirectory(outDir());
      await exerciseDirectory(outDir(), "url.html");
    });

    it("vite dev server: works without configuration although it pre-bundles the package", async (t) => {
      const vite = await importTool(...entry);
      const port = await freePort();
      const server = await vite.createServer({
        root: project,
        configFile: false,
        logLevel: "silent",
        server: { host: "127.0.0.1", port, strictPort: true },
        optimizeDeps: { force: true },
      });
      await server.listen();
      try {
        const { failures, requests } = await exercisePage(browser, `http://127.0.0.1:${port}/`);
        assert.deepEqual(failures, []);
        const wasm = requests.filter((url) => url.endsWith(".wasm")).map((url) => new URL(url).pathname);
        t.diagnostic(`wasm requested: ${wasm.join(", ")}`);
        if (name === "Vite 5") {
          // The case the fallback exists for: the pre-bundled copy's URL answers Vite's index page.
          assert.ok(wasm.includes("/node_modules/.vite/deps/pwreset_policy_bg.wasm"), wasm.join(" "));
          assert.ok(wasm.includes("/node_modules/pwreset/dist/pwreset_policy_bg.wasm"), wasm.join(" "));
        }
      } finally {
        await server.close();
      }
    });
  });
}

it("webpack 5: the wasm files are emitted as assets and load", async () => {
  const { default: webpack } = await importTool("webpack", "lib", "index.js");
  const out = join(project, "out-webpack");
  const compiler = webpack({
    mode: "production",
    context: project,
    entry: "./app.js",
    output: { path: out, filename: "app.js", clean: true },
    target: "web",
    devtool: false,
    performance: { hints: false },
  });
  await new Promise((resolve, reject) =>
    compiler.run((error, stats) => {
      if (error) reject(error);
      else if (stats.hasErrors()) reject(new Error(stats.toString("errors-only")));
      else compiler.close(resolve);
    }),
  );
  assert.ok(readdirSync(out).some((file) => file.endsWith(".wasm")));
  writeFileSync(join(out, "index.html"), page("app.js"));
  await exerciseDirectory(out);
});

describe("TypeScript, strict, skipLibCheck: false", () => {
  const tsc = (dir) =>
    promisify(execFile)("node", [tool("typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], { cwd: dir }).catch((error) => {
      throw new Error(`tsc failed in ${dir}:\n${error.stdout}${error.stderr}`);
    });

  /** Code every project compiles: the API used as documented, and misuses the types must catch. */
  const USES = `
import {
  checkBreached, checkConfirm, createPolicy, createResetClient, estimateStrength, helpTexts, loadStrength, ready,
  uniqueMessages, validatePassword, PwresetError, type BreachedResult, type CheckResult, type PasswordPolicy,
  type PolicyDocument, type UniqueMessage, ResetApiError,
} from "pwreset";
import { usePasswordCheck, usePasswordPolicy } from "pwreset/react";

export async function uses(): Promise<number> {
  await ready({ strength: false });
  await loadStrength();
  const document: PolicyDocument = { preset: "nist", min_length: 15, min_score: null };
  const policy: PasswordPolicy = createPolicy(document);
  const result: CheckResult = policy.check("x", { user: { username: "jane" }, confirm: "y", confirmField: "confirm" });
  const shown: UniqueMessage[] = uniqueMessages(result);
  const score: number | undefined = result.strength?.score;
  policy.free();
  validatePassword("x", { preset: "seed-002" });
  checkConfirm("a", "b", { messages: "seed-002" });
  helpTexts("django").join();
  (await estimateStrength("x", ["jane"])).suggestions.join();
  const reset = createResetClient({ baseUrl: "http://127.0.0.1:8787" });
  const phone: string | null = (await reset.reg.userInfo("token")).phone;
  const sentAt: number = (await reset.dev.outbox("jane@example.com"))[0]?.created_at ?? 0;
  const cToken: string = (await reset.user.forgotPasswordSubmit({ user: "u", token: "t", new_password: "p" })).token;
  // @ts-expect-error created_at is seconds, a number
  const sentText: string = (await reset.dev.outbox("jane@example.com"))[0]!.created_at;
  createPolicy("django", { locale: "de" }).helpTexts().join();
  validatePassword("x", { preset: "nist", locale: "es-MX" });
  helpTexts({ preset: "nist" }, { locale: "de" });
  const breached: BreachedResult = await checkBreached("x", { baseUrl: "http://127.0.0.1:9", timeoutMs: 1000 });
  const hooked: PasswordPolicy | null = usePasswordPolicy("seed-002", { locale: "de", strength: true });
  const checked: CheckResult | null = usePasswordCheck(hooked, "x", { user: { username: "jane" } });
  // @ts-expect-error unknown option of the hook
  usePasswordPolicy("django", { strenght: true });
  try {
    await reset.authV1.forgotpass({ email: "jane@example.com" });
  } catch (error) {
    if (error instanceof ResetApiError) {
      const code: string | null = error.errors[0]?.code ?? null;
      return error.status + error.message.length + (code ?? "").length + (checked?.errors.length ?? 0);
    }
  }
  const seen: number = breached.breached ? breached.count : 0;
  try {
    createPolicy("strict" as "django");
  } catch (error) {
    if (error instanceof PwresetError && error.code === "unknown_preset") return 0;
  }
  // @ts-expect-error a number is no wasm source (the options are not \`any\`)
  await ready({ policyWasm: 42 });
  // @ts-expect-error unknown option
  await ready({ strenght: true });
  // @ts-expect-error not a preset
  createPolicy("strict");
  // @ts-expect-error min_length is a number
  createPolicy({ min_length: "12" });
  // @ts-expect-error unknown check option
  policy.check("x", { usr: {} });
  // @ts-expect-error the locale is an option, not a second argument of its own
  createPolicy("django", "de");
  // @ts-expect-error unknown option of checkBreached
  await checkBreached("x", { timeout: 5 });
  return shown.length + (score ?? 0) + seen + sentAt + (phone ?? cToken + sentText).length;
}
`;

  function tsProject(name, compilerOptions, extra = {}) {
    const dir = join(project, name);
    mkdirSync(dir, { recursive: true });
    const options = { strict: true, skipLibCheck: false, noEmit: true, target: "es2022", ...compilerOptions };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: options, include: ["*.ts"] }));
    writeFileSync(join(dir, "uses.ts"), USES);
    for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
    return dir;
  }

  it("a Node project (types: node, no DOM library) compiles, Node-only sources included", async () => {
    const dir = tsProject(
      "ts-node",
      { module: "nodenext", moduleResolution: "nodenext", lib: ["es2022"], types: ["node"] },
      {
        "node.ts": `import { ready } from "pwreset";
import { readFileSync } from "node:fs";
export async function load(): Promise<void> {
  await ready({ policyWasm: "./node_modules/pwreset/dist/pwreset_policy_bg.wasm" });
  await ready({ policyWasm: new URL("file:///srv/pwreset_policy_bg.wasm") });
  await ready({ policyWasm: readFileSync("x.wasm") });
}
`,
      },
    );
    await tsc(dir);
  });

  it("a project with no library but ES2022 compiles", async () => {
    await tsc(tsProject("ts-bare", { module: "es2022", moduleResolution: "bundler", lib: ["es2022"], types: [] }));
  });

  it("a browser project compiles and its page loads the package with a plain <script type=module>", async () => {
    const app = APP.replace(/document\.querySelector\("#(password|confirm)"\)/g, 'document.querySelector<HTMLInputElement>("#$1")!')
      .replace('document.querySelector("#messages")', 'document.querySelector("#messages")!')
      .replace('document.querySelector("#strength")', 'document.querySelector<HTMLMeterElement>("#strength")!')
      .replace('document.querySelector("#rules")', 'document.querySelector("#rules")!')
      .replace("main().catch((error) =>", "main().catch((error: { code?: string; message: string }) =>");
    const dir = tsProject(
      "ts-web",
      { module: "es2022", moduleResolution: "bundler", lib: ["es2022", "dom"], noEmit: false, outDir: "www" },
      { "app.ts": app },
    );
    await tsc(dir);
    // No bundler: the browser resolves "pwreset" through an import map to the installed package.
    const importMap = `<script type="importmap">{"imports":{"pwreset":"/node_modules/pwreset/src/entry-browser.js"}}</script>`;
    writeFileSync(join(dir, "www", "index.html"), page("app.js", { head: importMap }));
    await exerciseDirectory(project, "ts-web/www/");
  });
});
