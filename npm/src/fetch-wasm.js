/**
 * Fetching the package's wasm files in browsers, with a diagnosis instead of WebAssembly's "expected
 * magic word" when the server answers something else (most often an HTML page).
 *
 * Vite 5–7's dev server pre-bundles dependencies into `node_modules/.vite/deps/` without their wasm
 * files, so the URL beside the glue returns Vite's HTML index page. The package then asks for the
 * file where Vite serves the installed package (`node_modules/pwreset/dist/`), which works without
 * configuration when the package is installed in the project's own `node_modules`.
 */

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const VITE_DEPS = /\/\.vite\/deps(?:_temp_[^/]*)?\/[^/]*$/;

/** A Response (when served as application/wasm) or the bytes of the wasm file at `url`. */
export async function fetchWasm(url, kind) {
  const first = await tryFetch(url);
  if (first.wasm) return first.wasm;
  const viteDeps = VITE_DEPS.test(new URL(url).pathname);
  if (viteDeps) {
    const installed = new URL(`../../pwreset/dist/${new URL(url).pathname.split("/").pop()}`, url);
    const second = await tryFetch(installed);
    if (second.wasm) return second.wasm;
  }
  const fix = viteDeps
    ? "Vite's dev server pre-bundled the package without its wasm files: add `optimizeDeps: { exclude: [\"pwreset\"] }` to vite.config, " +
      `or pass the file's URL to ${kind === "policy" ? "ready({ policyWasm })" : "ready({ strengthWasm }) or loadStrength({ wasm })"}`
    : `serve node_modules/pwreset/dist/*.wasm at that URL (beside the JavaScript that loads it), or pass its URL to ${
        kind === "policy" ? "ready({ policyWasm })" : "ready({ strengthWasm }) or loadStrength({ wasm })"
      }`;
  throw new Error(`${url} is not the ${kind} module's wasm: the server answered ${first.answer}. Fix: ${fix}.`);
}

async function tryFetch(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    return { answer: `nothing (${error?.message ?? error})` };
  }
  const type = response.headers.get("content-type") ?? "no content-type";
  if (!response.ok) return { answer: `HTTP ${response.status} (${type})` };
  if (type.split(";")[0].trim() === "application/wasm") return { wasm: response };
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (WASM_MAGIC.every((byte, index) => bytes[index] === byte)) return { wasm: bytes };
  const start = new TextDecoder().decode(bytes.subarray(0, 40)).replace(/\s+/g, " ").replace(/[^\x20-\x7e]/g, "?");
  return { answer: `HTTP ${response.status} ${type}, starting "${start}"` };
}
