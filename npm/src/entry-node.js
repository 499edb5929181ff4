/**
 * Node: the wasm files are read from the package directory. `policyWasm` / `strengthWasm` may also
 * be a file path, a `file:` URL, an `http(s):` URL, a Response, bytes or a WebAssembly.Module.
 */
import { readFile } from "node:fs/promises";
import initPolicy, * as policy from "../dist/pwreset_policy.js";
import { loaders } from "./api.js";

/** What wasm-bindgen's init accepts, from what the caller gave (undefined: the package's own file). */
async function wasmSource(source, file) {
  if (source === undefined) return readFile(new URL(`../dist/${file}`, import.meta.url));
  if (source instanceof URL) return source.protocol === "file:" ? readFile(source) : source;
  if (typeof source === "string") {
    if (source.startsWith("file:")) return readFile(new URL(source));
    // A scheme of two letters or more (a Windows drive letter is one) is a URL to fetch.
    return /^[a-z][a-z0-9+.-]+:/i.test(source) ? source : readFile(source);
  }
  return source;
}

Object.assign(loaders, {
  async policy(source) {
    await initPolicy({ module_or_path: await wasmSource(source, "pwreset_policy_bg.wasm") });
    return policy;
  },
  async strength(source) {
    const strength = await import("../dist/pwreset_strength.js");
    await strength.default({ module_or_path: await wasmSource(source, "pwreset_strength_bg.wasm") });
    return strength;
  },
});

export * from "./public-api.js";
