// A consumer's view: `npm pack` the package, install the tarball into a fresh project, use it from
// Node ESM and CommonJS, resolve its wasm files through the exports map, and bundle it for the
// browser with esbuild (the browser test loads that bundle; bundlers.test.js tries Vite, webpack
// and TypeScript).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";

import { bundleBrowserApp } from "./support/browser-app.js";
import { makeConsumerProject, removeProject } from "./support/consumer-project.js";

let project;

before(() => {
  project = makeConsumerProject();
});
after(() => removeProject(project));

it("the tarball holds the built modules, types and licence, and nothing else", () => {
  const installed = join(project, "node_modules", "pwreset");
  const dist = readdirSync(join(installed, "dist")).sort();
  assert.deepEqual(dist, ["pwreset_policy.js", "pwreset_policy_bg.wasm", "pwreset_strength.js", "pwreset_strength_bg.wasm"]);
  for (const file of ["types/index.d.ts", "types/react.d.ts", "README.md", "common-passwords-20k.LICENSE", "src/entry-browser.js", "src/react.js"]) {
    assert.ok(existsSync(join(installed, file)), file);
  }
  assert.ok(!existsSync(join(installed, "test")));
  // React is an optional peer of pwreset/react only: installing the package does not bring it.
  assert.ok(!existsSync(join(project, "node_modules", "react")));
});

it("imports in Node ESM from an installed copy", () => {
  const script = `
    import { ready, validatePassword, estimateStrength } from "pwreset";
    await ready();
    const result = validatePassword("johndoe1", { user: { username: "johndoe" } });
    const strength = await estimateStrength("correcthorsebatterystaple");
    console.log(JSON.stringify({ codes: result.errors.map((e) => e.code), score: strength.score }));
  `;
  writeFileSync(join(project, "check.mjs"), script);
  const output = JSON.parse(execFileSync("node", ["check.mjs"], { cwd: project, encoding: "utf8" }));
  assert.deepEqual(output, { codes: ["password_too_similar"], score: 4 });
});

it("requires from CommonJS (Node >= 20.19) and imports from CommonJS with await import()", () => {
  writeFileSync(
    join(project, "check.cjs"),
    `const { ready, createPolicy } = require("pwreset");
     (async () => {
       await ready();
       const viaImport = await import("pwreset");
       console.log(JSON.stringify({
         codes: createPolicy("django").check("12345678").errors.map((e) => e.code),
         same: viaImport.createPolicy === createPolicy,
       }));
     })();`,
  );
  const output = JSON.parse(execFileSync("node", ["check.cjs"], { cwd: project, encoding: "utf8" }));
  assert.deepEqual(output, { codes: ["password_too_common", "password_entirely_numeric"], same: true });
});

it("the wasm files resolve through the exports map (pwreset/dist/*.wasm), other internals do not", () => {
  const script = `
    const resolved = import.meta.resolve("pwreset/dist/pwreset_policy_bg.wasm");
    let blocked = "";
    try { import.meta.resolve("pwreset/src/api.js"); } catch (error) { blocked = error.code; }
    console.log(JSON.stringify({ resolved: resolved.endsWith("/node_modules/pwreset/dist/pwreset_policy_bg.wasm"), blocked }));
  `;
  writeFileSync(join(project, "resolve.mjs"), script);
  const output = JSON.parse(execFileSync("node", ["resolve.mjs"], { cwd: project, encoding: "utf8" }));
  assert.deepEqual(output, { resolved: true, blocked: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
});

it("bundles for the browser with esbuild without Node built-ins", async () => {
  const out = await bundleBrowserApp(project);
  const bundle = readFileSync(join(out, "app.js"), "utf8");
  assert.ok(!/from\s*["']node:/.test(bundle), "no node: imports in the browser bundle");
  assert.ok(!bundle.includes("readFile"), "the node entry was not picked");
  assert.ok(existsSync(join(out, "pwreset_policy_bg.wasm")));
  // The strength module is split off: it is not in the main bundle.
  assert.ok(!bundle.includes("pwreset_strength_bg.wasm"), "strength glue is loaded on first use");
});
