#!/usr/bin/env bash
# What zxcvbn costs the Worker, measured: the Worker as built by default (zxcvbn built in, its
# dictionaries built only when a policy sets `min_score`) and built without it
# (WORKER_NO_DEFAULT_FEATURES=1), side by side: size, then start-up with the test configuration's
# `django` policy (no `min_score`; both against the trivial baseline Worker in the same run), and
# the warm-up a `min_score` policy asks for, as wasm under Node.
# worker/build is rebuilt with the default features at the end (and on failure).
# Run: benches/worker/strength-trial.sh (about 15 minutes on 2 cores; not part of make bench).
set -euo pipefail
cd "$(dirname "$0")/../.."

trial=target/strength-trial
rm -rf "$trial"
mkdir -p "$trial/default" "$trial/without"

# build-worker.sh also builds the npm package (for the reset page's assets): bring it up to date
# first, so the trial's variables never reach it.
scripts/build-npm.sh

restore_default_build() { env -u WORKER_FEATURES -u WORKER_NO_DEFAULT_FEATURES FORCE=1 scripts/build-worker.sh; }
trap restore_default_build ERR

WORKER_NO_DEFAULT_FEATURES=1 FORCE=1 scripts/build-worker.sh
cp worker/build/index.js worker/build/index_bg.wasm "$trial/without/"
trap - ERR
restore_default_build
cp worker/build/index.js worker/build/index_bg.wasm "$trial/default/"

WORKER_FEATURES=strength benches/worker/build-flow-cost.sh "$trial/default/flow-cost"

node benches/worker/size.mjs "$trial/default"
node benches/worker/size.mjs "$trial/without"
FLOW_COST_GLUE="$trial/default/flow-cost/pwreset_flow_cost.js" \
  node benches/worker/startup.mjs "default=$trial/default" "without-zxcvbn=$trial/without"
