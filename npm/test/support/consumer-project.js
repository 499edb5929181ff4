// A fresh project with the packed package installed from its tarball, as a consumer would have it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
/** Where the consumer toolchains (Vite, webpack, TypeScript) are installed by scripts/setup.sh. */
export const toolchainsDir = fileURLToPath(new URL("../consumers", import.meta.url));

/**
 * Packs the package, installs the tarball offline into a new project and returns its path. With
 * `toolchains: true` the project is made inside npm/test/consumers, so that it resolves the
 * toolchains installed there as a developer's project resolves its own.
 */
export function makeConsumerProject({ toolchains = false } = {}) {
  const parent = toolchains ? join(toolchainsDir, ".work") : tmpdir();
  mkdirSync(parent, { recursive: true });
  const project = mkdtempSync(join(parent, "pwreset-consumer-"));
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], { cwd: packageDir, encoding: "utf8" })
    .trim()
    .split("\n")
    .pop();
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", join(project, tarball)], { cwd: project, stdio: "pipe" });
  return project;
}

/** Removes a project made by makeConsumerProject. */
export function removeProject(project) {
  rmSync(project, { recursive: true, force: true });
}
