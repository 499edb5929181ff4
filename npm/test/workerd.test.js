// The `workerd` export condition in real workerd (Miniflare): a JavaScript Worker bundled from the
// installed package, as wrangler would bundle it, with the wasm files as compiled modules.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { after, before, it } from "node:test";

import { Miniflare } from "miniflare";

import { makeConsumerProject, removeProject } from "./support/consumer-project.js";

const require = createRequire(import.meta.url);

const WORKER = `
import { ready, validatePassword, estimateStrength, PwresetError } from "pwreset";

export default {
  async fetch(request) {
    await ready();
    const password = new URL(request.url).searchParams.get("password");
    try {
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
