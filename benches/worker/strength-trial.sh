#!/usr/bin/env bash
# What zxcvbn costs the Worker, measured: the Worker built with WORKER_FEATURES=strength and with
# the default features (no zxcvbn), side by side: size, then start-up (both against the trivial
# baseline Worker in the same run), and the start event's own work as wasm under Node.
# worker/build is rebuilt with the default features at the end (and on failure).
# Run: benches/worker/strength-trial.sh (about 15 minutes on 2 cores; not part of make bench).
set -euo pipefail
cd "$(dirname "$0")/../.."

trial=target/strength-trial
rm -rf "$trial"
mkdir -p "$trial/default" "$trial/strength"

# build-worker.sh also builds the npm package (for the reset page's assets): bring it up to date
# first, so the trial's variables never reach it.
scripts/build-npm.sh

restore_default_build() { env -u WORKER_FEATURES FORCE=1 scripts/build-worker.sh; }
trap restore_default_build ERR

WORKER_FEATURES=strength FORCE=1 scripts/build-worker.sh
cp worker/build/index.js worker/build/index_bg.wasm "$trial/strength/"
trap - ERR
restore_default_build
cp worker/build/index.js worker/build/index_bg.wasm "$trial/default/"

WORKER_FEATURES=strength benches/worker/build-flow-cost.sh "$trial/strength/flow-cost"

node benches/worker/size.mjs "$trial/default"
node benches/worker/size.mjs "$trial/strength"
FLOW_COST_GLUE="$trial/strength/flow-cost/pwreset_flow_cost.js" \
  node benches/worker/startup.mjs "default=$trial/default" "strength=$trial/strength"
