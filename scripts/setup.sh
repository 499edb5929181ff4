#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: each step checks first and skips what is
# already there at the right version. Called by `make dev` and `make test`.
set -euo pipefail

WASM_TARGET=wasm32-unknown-unknown

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

node_packages() {
  # npm ci writes node_modules/.package-lock.json; skip when it is newer than the lockfile.
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
    return
  fi
  say "installing the JavaScript tooling (npm ci)"
  npm ci --no-audit --no-fund
}

rust_components
rust_wasm_target
node_packages
