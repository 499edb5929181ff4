#!/usr/bin/env bash
# Builds the npm package's two wasm modules into npm/dist: cargo (wasm32, one Cargo profile per
# module), wasm-bindgen --target web (pinned CLI = the crate's wasm-bindgen), esbuild --minify for the
# generated glue, wasm-opt (npm binaryen).
#
# Each module has its own optimisation, chosen from measurements (docs/benchmarks.md):
#   policy   loads with the page: small              (profile wasm-policy,   wasm-opt -Os)
#   strength loads on first use, runs per keystroke (profile wasm-strength, wasm-opt -O3)
# A module is skipped when its output is newer than every input and was built with the same settings.
#
# Overrides, for the optimisation-level benchmark (npm/bench/opt-levels.sh):
#   PWRESET_DIST=dir                where to write (default npm/dist)
#   PWRESET_MODULES="strength"      which modules (default "policy strength")
#   PWRESET_<MODULE>_PROFILE=name   Cargo profile, e.g. PWRESET_STRENGTH_PROFILE=wasm-trial
#   PWRESET_<MODULE>_WASM_OPT=-O2   wasm-opt level
#   PWRESET_FEATURES=boundary-bench extra crate features for every module
set -euo pipefail
cd "$(dirname "$0")/.."

DIST="${PWRESET_DIST:-npm/dist}"
TARGET=wasm32-unknown-unknown
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WASM_OPT=node_modules/.bin/wasm-opt
ESBUILD=node_modules/.bin/esbuild

# Prints the settings a module is built with; a change of settings is a rebuild.
settings_of() {
  local module="$1" upper="${1^^}"
  local profile_var="PWRESET_${upper}_PROFILE" opt_var="PWRESET_${upper}_WASM_OPT"
  local default_profile default_opt
  case "$module" in
    policy) default_profile=wasm-policy default_opt=-Os ;;
    strength) default_profile=wasm-strength default_opt=-O3 ;;
    *) echo "build-npm: unknown module ${module}" >&2; exit 2 ;;
  esac
  echo "${!profile_var:-$default_profile} ${!opt_var:-$default_opt} ${PWRESET_FEATURES:-} ${CARGO_PROFILE_WASM_TRIAL_OPT_LEVEL:-}"
}

is_up_to_date() {
  local stamp="$1" settings="$2"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$settings" ]] || return 1
  [[ -z "$(find crates/pwreset-core crates/pwreset-wasm Cargo.toml Cargo.lock scripts/build-npm.sh \
      -newer "$stamp" -type f -print -quit)" ]]
}

build_module() {
  local module="$1" settings profile opt features
  settings="$(settings_of "$module")"
  read -r profile opt _ <<<"$settings"
  local stamp="$DIST/.built-${module}"
  if is_up_to_date "$stamp" "$settings"; then
    echo "build-npm: ${DIST}/pwreset_${module} is up to date"
    return
  fi
  features="$module${PWRESET_FEATURES:+,${PWRESET_FEATURES}}"
  echo "build-npm: building the ${module} module (profile ${profile}, wasm-opt ${opt})"
  cargo build --locked -p pwreset-wasm --target "$TARGET" --profile "$profile" \
    --no-default-features --features "$features"
  # Built aside and renamed into place, so that a test reading the package meanwhile never sees a
  # half-written file.
  local work
  work="$(mktemp -d "$DIST/.build-${module}-XXXXXX")"
  wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name "pwreset_${module}" \
    "$TARGET_DIR/$TARGET/$profile/pwreset_wasm.wasm"
  # Where the wasm is by default: beside the glue. Bundlers that understand this pattern copy the file.
  cat >>"$work/pwreset_${module}.js" <<EOF

/** The URL of this module's wasm file, beside it. */
export function wasmUrl() {
    return new URL('pwreset_${module}_bg.wasm', import.meta.url);
}
EOF
  # The glue is generated: shipped minified (bundlers still see its new URL(…, import.meta.url)).
  "$ESBUILD" "$work/pwreset_${module}.js" --minify --format=esm --log-level=warning \
    --outfile="$work/pwreset_${module}.min.js"
  mv -f "$work/pwreset_${module}.min.js" "$work/pwreset_${module}.js"
  "$WASM_OPT" "$opt" --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$work/pwreset_${module}_bg.wasm" -o "$work/pwreset_${module}_bg.wasm"
  mv -f "$work/pwreset_${module}_bg.wasm" "$work/pwreset_${module}.js" "$DIST/"
  rm -rf "$work"
  echo "$settings" >"$stamp"
}

mkdir -p "$DIST"
for module in ${PWRESET_MODULES:-policy strength}; do
  build_module "$module"
done
