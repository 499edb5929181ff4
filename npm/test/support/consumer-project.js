// A fresh project with the packed package installed from its tarball, as a consumer would have it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));

/** Packs the package, installs the tarball offline into a temporary project, returns its path. */
export function makeConsumerProject() {
  const project = mkdtempSync(join(tmpdir(), "pwreset-consumer-"));
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
