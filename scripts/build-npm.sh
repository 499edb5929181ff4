#!/usr/bin/env bash
# Builds the npm package's two wasm modules into npm/dist: cargo (wasm32, profile wasm-release),
# wasm-bindgen --target web (pinned CLI = the crate's wasm-bindgen), wasm-opt -Oz (npm binaryen).
# Skips the work when npm/dist is newer than every input.
set -euo pipefail
cd "$(dirname "$0")/.."

DIST=npm/dist
TARGET=wasm32-unknown-unknown
PROFILE=wasm-release
STAMP="$DIST/.built"

inputs_newer_than_stamp() {
  [[ ! -f "$STAMP" ]] && return 0
  [[ -n "$(find crates/pwreset-core crates/pwreset-wasm Cargo.toml Cargo.lock scripts/build-npm.sh \
      -newer "$STAMP" -type f -print -quit)" ]]
}

if ! inputs_newer_than_stamp; then
  echo "build-npm: npm/dist is up to date"
  exit 0
fi

mkdir -p "$DIST"
for module in policy strength; do
  echo "build-npm: building the ${module} module"
  cargo build --locked -p pwreset-wasm --target "$TARGET" --profile "$PROFILE" \
    --no-default-features --features "$module"
  wasm-bindgen --target web --no-typescript --out-dir "$DIST" --out-name "pwreset_${module}" \
    "target/$TARGET/$PROFILE/pwreset_wasm.wasm"
  node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$DIST/pwreset_${module}_bg.wasm" -o "$DIST/pwreset_${module}_bg.wasm"
done
touch "$STAMP"
