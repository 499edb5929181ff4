// The `workerd` export condition in real workerd (Miniflare): a JavaScript Worker bundled from the
// installed package, as wrangler would bundle it, with the wasm files as compiled modules.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { after, before, it } from "node:test";

import { Miniflare } from "miniflare";

import { makeConsumerProject, removeProject } from "./support/consumer-project.js";
import { sha1, startFakeRange } from "./support/fake-range.js";

const require = createRequire(import.meta.url);

const WORKER = `
import { ready, validatePassword, estimateStrength, checkBreached, PwresetError } from "pwreset";

export default {
  async fetch(request) {
    await ready();
    const url = new URL(request.url);
    const password = url.searchParams.get("password");
    try {
      if (url.pathname === "/breached") {
        return Response.json(await checkBreached(password, { baseUrl: url.searchParams.get("base"), timeoutMs: 2000 }));
      }
      if (url.pathname === "/german") {
        return Response.json(validatePassword(password, { locale: "de-DE" }).errors.map((e) => e.message));
      }
      const result = validatePassword(password, { preset: "seed-002" });
      const strength = await estimateStrength(password);
      return Response.json({ codes: result.errors.map((e) => e.code), score: strength.score });
    } catch (error) {
      return Response.json({ error: error instanceof PwresetError ? error.code : String(error) }, { status: 400 });
    }
  },
};
`;

let project;
let mf;

before(async () => {
  project = makeConsumerProject();
  writeFileSync(join(project, "worker.js"), WORKER);
  mkdirSync(join(project, "out"));
  const esbuild = await import(require.resolve("esbuild"));
  await esbuild.build({
    entryPoints: [join(project, "worker.js")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    outfile: join(project, "out", "worker.js"),
    absWorkingDir: project,
    logLevel: "silent",
    // As wrangler does: wasm imports stay imports, resolved to modules beside the bundle.
    plugins: [
      {
        name: "wasm-modules",
        setup(build) {
          build.onResolve({ filter: /\.wasm$/ }, (args) => {
            const source = join(args.resolveDir, args.path);
            copyFileSync(source, join(project, "out", basename(source)));
            return { path: `./${basename(source)}`, external: true };
          });
        },
      },
    ],
  });
  mf = new Miniflare({
    modules: true,
    scriptPath: join(project, "out", "worker.js"),
    modulesRoot: join(project, "out"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
  if (project) removeProject(project);
});

it("checks and estimates inside workerd", async () => {
  const weak = await (await mf.dispatchFetch("http://localhost/?password=password")).json();
  assert.deepEqual(weak, { codes: ["password_too_common", "password_no_upper", "password_no_digit", "password_no_symbol"], score: 0 });
  const strong = await (await mf.dispatchFetch("http://localhost/?password=kD9%23mQ2%24vL7pX!")).json();
  assert.deepEqual(strong, { codes: [], score: 4 });
});

it("bad input is a typed error inside workerd too", async () => {
  const response = await mf.dispatchFetch("http://localhost/");
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), { error: "invalid_argument" });
});

it("checkBreached and the locale option work inside workerd (WebCrypto, fetch, timers)", async () => {
  const fake = await startFakeRange({ corpus: { "Correct-Horse-Battery-1": 12 }, padding: ["Only-In-The-Padding-9"] });
  try {
    const ask = async (password, base = fake.url) =>
      (await mf.dispatchFetch(`http://localhost/breached?password=${encodeURIComponent(password)}&base=${encodeURIComponent(base)}`)).json();
    assert.deepEqual(await ask("Correct-Horse-Battery-1"), { breached: true, count: 12 });
    assert.deepEqual(await ask("Only-In-The-Padding-9"), { breached: false, count: 0 });
    assert.deepEqual(
      fake.requests().map((r) => [r.url, r.headers["add-padding"]]),
      [`/range/${sha1("Correct-Horse-Battery-1").slice(0, 5)}`, `/range/${sha1("Only-In-The-Padding-9").slice(0, 5)}`].map((u) => [u, "true"]),
    );
    fake.setFault("503");
    assert.deepEqual(await ask("Correct-Horse-Battery-1"), { error: "breached_check_failed" });
  } finally {
    await fake.close();
  }
  const german = await (await mf.dispatchFetch("http://localhost/german?password=abc")).json();
  assert.deepEqual(german, ["Dieses Passwort ist zu kurz. Es muss mindestens 8 Zeichen enthalten.", "Dieses Passwort ist zu gebräuchlich."]);
});
