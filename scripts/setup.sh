#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: each step checks first and skips what is
# already there at the right version. Called by `make dev` and `make test`.
set -euo pipefail

WASM_TARGET=wasm32-unknown-unknown
# Must equal the `wasm-bindgen` crate version pinned in crates/pwreset-wasm/Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

say() { printf 'setup: %s\n' "$*"; }

rust_components() {
  for component in rustfmt clippy; do
    if rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
      continue
    fi
    say "adding rustup component ${component}"
    rustup component add "${component}"
  done
}

rust_wasm_target() {
  if rustup target list --installed | grep -qx "${WASM_TARGET}"; then
    return
  fi
  say "adding the ${WASM_TARGET} target"
  rustup target add "${WASM_TARGET}"
}

wasm_bindgen_cli() {
  if [[ "$(wasm-bindgen --version 2>/dev/null)" == "wasm-bindgen ${WASM_BINDGEN_VERSION}" ]]; then
    return
  fi
  say "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (several minutes on 2 cores)"
  # Not --locked: its lockfile names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}"
}

worker_build_cli() {
  # Must match the `worker` crate version pinned in worker/Cargo.toml.
  local version=0.8.7
  if [[ "$(worker-build --version 2>/dev/null)" == "${version}" ]]; then
    return
  fi
  say "installing worker-build ${version} (about ten minutes on 2 cores)"
  cargo install worker-build --version "${version}" --locked
}

cargo_fuzz() {
  # The fuzz targets (fuzz/, `make fuzz-short`) run under cargo-fuzz; pinned, like the other tools.
  local version=0.13.2
  if [[ "$(cargo fuzz --version 2>/dev/null)" == "cargo-fuzz ${version}" ]]; then
    return
  fi
  say "installing cargo-fuzz ${version} (about three minutes on 2 cores)"
  cargo install cargo-fuzz --version "${version}" --locked
}

chromium_browser() {
  if command -v chromium >/dev/null 2>&1; then
    return
  fi
  say "installing Debian's chromium for the browser tests"
  local sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

node_packages() {
  # npm ci writes node_modules/.package-lock.json; skip when it is newer than the lockfile.
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
    return
  fi
  say "installing the JavaScript tooling (npm ci)"
  npm ci --no-audit --no-fund
}

schemathesis_venv() {
  # The OpenAPI fuzz test runs schemathesis from a venv of its own, pinned by the requirements file;
  # a copy of that file in the venv says what is installed there.
  local venv=target/schemathesis-venv
  local requirements=tests/e2e/requirements-schemathesis.txt
  if [[ -x "${venv}/bin/schemathesis" ]] && cmp -s "${requirements}" "${venv}/installed-requirements.txt"; then
    return
  fi
  say "installing schemathesis into ${venv}"
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check --requirement "${requirements}"
  cp "${requirements}" "${venv}/installed-requirements.txt"
}

interop_venv() {
  # tests/e2e/tokens.test.mjs verifies access tokens from the JWK Set with PyJWT too
  # (tests/interop/verify_jwks.py), from a venv of its own pinned by its requirements file; a copy of
  # that file in the venv says what is installed there.
  local venv=target/interop-venv
  local requirements=tests/interop/requirements.txt
  if [[ -x "${venv}/bin/python" ]] && cmp -s "${requirements}" "${venv}/installed-requirements.txt"; then
    return
  fi
  say "installing PyJWT into ${venv}"
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check --requirement "${requirements}"
  cp "${requirements}" "${venv}/installed-requirements.txt"
}

npm_consumer_toolchains() {
  # The npm package's consumer tests build it with Vite (5 and 8), webpack 5 and TypeScript, pinned by
  # a lockfile of their own in npm/test/consumers (they can't share the root one); skipped when that
  # install is newer than its lockfile.
  local dir=npm/test/consumers
  if [[ -f "${dir}/node_modules/.package-lock.json" && "${dir}/node_modules/.package-lock.json" -nt "${dir}/package-lock.json" ]]; then
    return
  fi
  say "installing the npm package's consumer-test toolchains (npm ci in ${dir})"
  (cd "${dir}" && npm ci --no-audit --no-fund)
}

rust_components
rust_wasm_target
wasm_bindgen_cli
worker_build_cli
cargo_fuzz
node_packages
npm_consumer_toolchains
chromium_browser
schemathesis_venv
interop_venv
