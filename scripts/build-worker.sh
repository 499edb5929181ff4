#!/usr/bin/env bash
# Builds the Worker into worker/build with worker-build, offline: wasm-bindgen, wasm-opt and esbuild
# come from this machine (cargo and npm), never from a download. Skipped when the build is newer
# than every source it is made from.
set -euo pipefail
cd "$(dirname "$0")/.."

# The reset page's live checks import the npm package from /assets/pwreset/: copy its browser files
# (src/*.js and the built dist/*.js + *.wasm, in the package's own layout) into the Worker's static
# assets. Generated on every build, git-ignored; build-npm.sh skips what is up to date.
scripts/build-npm.sh
page_pkg=worker/assets/assets/pwreset
rm -rf "$page_pkg"
mkdir -p "$page_pkg/src" "$page_pkg/dist"
cp npm/src/*.js "$page_pkg/src/"
cp npm/dist/*.js npm/dist/*.wasm "$page_pkg/dist/"
echo "build-worker: copied the npm package's browser files to $page_pkg"

out=worker/build/index_bg.wasm
# Cargo features of the Worker crate: its defaults (zxcvbn, `strength`), without them when
# WORKER_NO_DEFAULT_FEATURES=1, plus WORKER_FEATURES; a change forces a rebuild.
features="${WORKER_FEATURES:-}"
no_default="${WORKER_NO_DEFAULT_FEATURES:-}"
cargo_args=()
[[ -n "$no_default" ]] && cargo_args+=(--no-default-features)
[[ -n "$features" ]] && cargo_args+=(--features "$features")
stamp=worker/build/.features
if [[ -f "$out" && -z "${FORCE:-}" && "$(cat "$stamp" 2>/dev/null)" == "${no_default:+no-default:}$features" ]]; then
  newer=$(find crates/pwreset-core crates/pwreset-service worker/src worker/Cargo.toml Cargo.toml Cargo.lock docs/openapi.json \
    -newer "$out" -type f \( -name '*.rs' -o -name '*.toml' -o -name '*.lock' -o -name '*.txt*' -o -name '*.json' -o -name '*.html' \) -print -quit)
  if [[ -z "$newer" ]]; then
    echo "build-worker: worker/build is up to date"
    exit 0
  fi
fi

export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
export WASM_OPT_BIN="$PWD/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$PWD/node_modules/@esbuild/linux-x64/bin/esbuild"
export WRANGLER_SEND_METRICS=false
# Release profile: opt-level 3 with LTO. The Worker's CPU time is billed per request, so speed wins
# over bytes here (docs/benchmarks.md has the measured trade).
if ((${#cargo_args[@]})); then
  (cd worker && worker-build --release -- "${cargo_args[@]}")
else
  (cd worker && worker-build --release)
fi
# worker-build's wasm-opt keeps the "name" section (function names for stack traces): 80 KiB of
# the gzip upload. Strip it and the producers section; the code is untouched (docs/benchmarks.md).
"$WASM_OPT_BIN" "$out" --strip-debug --strip-producers -o "$out.stripped"
mv "$out.stripped" "$out"
printf '%s' "${no_default:+no-default:}$features" > "$stamp"
ls -l worker/build/index_bg.wasm
