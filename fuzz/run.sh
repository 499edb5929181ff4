#!/usr/bin/env bash
# Runs the fuzz targets one after another (one process, one thread each: the machine is shared).
#
#   fuzz/run.sh short [SECONDS]        each target for SECONDS (default 15) from the committed
#                                      corpus; new inputs go to a scratch folder, not into git.
#   fuzz/run.sh long RUNS [TARGET...]  each target for RUNS executions (or FUZZ_MAX_SECONDS, default
#                                      4 h), adding new inputs to the committed corpus; then
#                                      minimise it with `cargo fuzz cmin` (see docs/reliability.md).
#
# A crash stops the run with a non-zero exit; the input is saved under fuzz/artifacts/TARGET/.
# cargo-fuzz passes nightly-only -Z flags; RUSTC_BOOTSTRAP=1 lets the stable compiler take them.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(signed_payload access_token keyring policy service_requests service_flows strength)
FLAGS=(--fuzz-dir fuzz --debug-assertions --sanitizer none)

# libFuzzer's limits per target: a per-input time limit (an input that takes longer fails the run)
# and, for strength, inputs as long as a policy allows (4,096 characters of up to 4 bytes) from
# the start. The strength estimate's worst case is about 30 typical estimates (a few ms under
# coverage instrumentation); one second is far above it and far below a second-long zxcvbn.
limits_of() {
  case "$1" in
    strength) echo "-timeout=1 -max_len=16384 -len_control=0" ;;
    *) echo "-timeout=10" ;;
  esac
}
export RUSTC_BOOTSTRAP=1

mode=${1:-short}
case "${mode}" in
  short)
    seconds=${2:-15}
    targets=("${ALL_TARGETS[@]}")
    ;;
  long)
    runs=${2:?usage: fuzz/run.sh long RUNS [TARGET...]}
    shift 2
    [[ $# -gt 0 ]] && targets=("$@") || targets=("${ALL_TARGETS[@]}")
    ;;
  *)
    echo "usage: fuzz/run.sh short [SECONDS] | long RUNS [TARGET...]" >&2
    exit 2
    ;;
esac

cargo fuzz build "${FLAGS[@]}"
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/${target}"
  read -r -a limits <<<"$(limits_of "${target}")"
  if [[ "${mode}" == short ]]; then
    scratch="fuzz/target/scratch-corpus/${target}"
    mkdir -p "${scratch}"
    echo "fuzz: ${target} for ${seconds} s"
    log="fuzz/target/logs/${target}-short.log"
    mkdir -p fuzz/target/logs
    # The first folder takes new inputs; the committed corpus is only read.
    status=0
    cargo fuzz run "${FLAGS[@]}" "${target}" "${scratch}" "fuzz/corpus/${target}" -- \
      -max_total_time="${seconds}" "${limits[@]}" -print_final_stats=1 >"${log}" 2>&1 || status=$?
    grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' "${log}" || true
    if [[ ${status} -ne 0 ]]; then
      tail -n 40 "${log}"
      echo "fuzz: ${target} failed (input saved under fuzz/artifacts/${target}/, log ${log})"
      exit 1
    fi
  else
    mkdir -p fuzz/target/logs
    echo "fuzz: ${target} for ${runs} executions (log: fuzz/target/logs/${target}.log)"
    cargo fuzz run "${FLAGS[@]}" "${target}" "fuzz/corpus/${target}" -- \
      -runs="${runs}" -max_total_time="${FUZZ_MAX_SECONDS:-14400}" "${limits[@]}" \
      -print_final_stats=1 >"fuzz/target/logs/${target}.log" 2>&1 ||
      { echo "fuzz: ${target} failed (see fuzz/target/logs/${target}.log)"; exit 1; }
    grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' \
      "fuzz/target/logs/${target}.log"
  fi
done
