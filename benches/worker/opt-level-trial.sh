#!/usr/bin/env bash
# The Worker's opt-level trade, measured: the Worker and the flow-cost module built at opt-level
# "z" (CARGO_PROFILE_RELEASE_OPT_LEVEL=z, in their own cargo target dir so the shared opt-3
# artifacts stay) and at the default opt-level 3, each through the same wasm-bindgen and wasm-opt -O
# steps; then their sizes and each flow's cost as wasm side by side. worker/build is rebuilt at the
# default level at the end (and on failure), so it holds the shipped build again.
# Run: benches/worker/opt-level-trial.sh (about 25 minutes on 2 cores; not part of make bench).
set -euo pipefail
cd "$(dirname "$0")/../.."

trial=target/opt-level-trial
rm -rf "$trial"
mkdir -p "$trial/z" "$trial/3"

# build-worker.sh also builds the npm package (for the reset page's assets): bring it up to date
# first, at its own profiles and target dir, so the trial's variables never reach it.
scripts/build-npm.sh

# Both builds take the Worker's features from WORKER_FEATURES (default: none); the shipped build
# is restored at the end, at opt-level 3 with the default features.
restore_default_build() { env -u WORKER_FEATURES FORCE=1 scripts/build-worker.sh; }
trap restore_default_build ERR

CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_TARGET_DIR="$PWD/target/opt-z" FORCE=1 scripts/build-worker.sh
cp worker/build/index.js worker/build/index_bg.wasm "$trial/z/"
FORCE=1 scripts/build-worker.sh
cp worker/build/index.js worker/build/index_bg.wasm "$trial/3/"
trap - ERR
if [[ -n "${WORKER_FEATURES:-}" ]]; then restore_default_build; fi

CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_TARGET_DIR="$PWD/target/opt-z" benches/worker/build-flow-cost.sh "$trial/z/flow-cost"
benches/worker/build-flow-cost.sh "$trial/3/flow-cost"

node benches/worker/size.mjs "$trial/3"
node benches/worker/size.mjs "$trial/z"
node benches/worker/flow-cost.mjs "opt-3=$trial/3/flow-cost" "opt-z=$trial/z/flow-cost"
