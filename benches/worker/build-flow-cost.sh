#!/usr/bin/env bash
# Builds the flow-cost harness (benches/flow-cost) for wasm32 the way the Worker is built: cargo's
# release profile (opt-level 3 + LTO unless CARGO_PROFILE_RELEASE_OPT_LEVEL says otherwise), the
# Worker's cargo features (WORKER_FEATURES), then wasm-bindgen (Node target) and wasm-opt -O with
# the wasm features worker-build enables.
# Usage: benches/worker/build-flow-cost.sh [OUT_DIR]   (default target/flow-cost/wasm)
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:-target/flow-cost/wasm}
target_dir=${CARGO_TARGET_DIR:-target}
# The Worker's cargo features (WORKER_FEATURES=strength), as scripts/build-worker.sh reads them.
cargo build --locked -p pwreset-flow-cost --target wasm32-unknown-unknown --profile release \
  ${WORKER_FEATURES:+--features "$WORKER_FEATURES"}
mkdir -p "$out"
wasm-bindgen --target nodejs --no-typescript --out-dir "$out" \
  "$target_dir/wasm32-unknown-unknown/release/pwreset_flow_cost.wasm"
node_modules/.bin/wasm-opt -O --enable-mutable-globals --enable-sign-ext \
  --enable-nontrapping-float-to-int --enable-bulk-memory --enable-multivalue \
  --enable-reference-types --enable-exception-handling \
  "$out/pwreset_flow_cost_bg.wasm" -o "$out/pwreset_flow_cost_bg.wasm"
# wasm-bindgen's Node glue is CommonJS; the repository's package.json says "module".
echo '{"type": "commonjs"}' > "$out/package.json"
ls -l "$out/pwreset_flow_cost_bg.wasm"
