#!/usr/bin/env bash
# The optimisation trade of the npm package's two wasm modules: each built at several levels into
# target/npm-opt/<module>-<level>, then sized (gzip -9, brotli 11) and timed (npm/bench/opt-levels.mjs).
# The strength module's "mixed" is its Cargo profile wasm-strength (3 for zxcvbn and fancy-regex, s for
# regex-automata, z for the rest). Several minutes on 2 cores: every level rebuilds every crate.
# Run: npm/bench/opt-levels.sh (after make setup).
set -euo pipefail
cd "$(dirname "$0")/../.."

build() {
  local module="$1" name="$2" profile="$3" level="$4" opt="$5" upper="${1^^}"
  local vars=(PWRESET_DIST="target/npm-opt/${module}-${name}" PWRESET_MODULES="$module"
    "PWRESET_${upper}_PROFILE=${profile}" "PWRESET_${upper}_WASM_OPT=${opt}")
  [[ -n "$level" ]] && vars+=(CARGO_PROFILE_WASM_TRIAL_OPT_LEVEL="$level")
  env "${vars[@]}" scripts/build-npm.sh
}

for level in z s 3; do
  build policy "$level" wasm-trial "$level" "-O${level}"
  build strength "$level" wasm-trial "$level" "-O${level}"
done
build strength mixed wasm-strength "" -O3
node npm/bench/opt-levels.mjs target/npm-opt
