#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, DESK_FUZZ=ON, clang, ASan + UBSan) into build-hardening/ and
# runs each for a bounded time from its committed seed corpus (fuzz/corpus/TARGET/).
#   scripts/fuzz.sh [TARGET...]       default: every target
#   DESK_FUZZ_SECONDS=N               seconds per target (default 20)
# A crash, a failed property, a timeout or a leak stops with the input saved in
# build-hardening/artifacts/: add it to fuzz/crashes/TARGET/ (ctest replays that directory) and fix it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/hardening-build.sh
seconds=${DESK_FUZZ_SECONDS:-20}
targets=("$@")
((${#targets[@]})) || targets=(ticket config merge import filter mail)
start=$SECONDS
configure_hardening_build
cmake --build build-hardening -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
built=$SECONDS
mkdir -p build-hardening/artifacts
# One target per core at a time: each gets its full time, and the stage takes half as long on 2
# cores as running them one after another did.
fuzz_one() {
  local t=$1 work=build-hardening/corpus/$1  # new inputs go here; the committed corpus is only read
  mkdir -p "$work"
  local dict=()
  case $t in ticket | config | merge) dict=(-dict=fuzz/dict/toml.dict) ;; import) dict=(-dict=fuzz/dict/import.dict) ;; esac
  "build-hardening/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="build-hardening/artifacts/$t-" "${dict[@]}" "$work" "fuzz/corpus/$t" \
    >"build-hardening/fuzz-$t.log" 2>&1
}
jobs_at_once=$(nproc)
failed=()
for ((i = 0; i < ${#targets[@]}; i += jobs_at_once)); do
  batch=("${targets[@]:i:jobs_at_once}")
  pids=()
  for t in "${batch[@]}"; do
    echo "desk: fuzzing $t for ${seconds}s" >&2
    fuzz_one "$t" &
    pids+=($!)
  done
  for j in "${!batch[@]}"; do
    t=${batch[$j]}
    if ! wait "${pids[$j]}"; then
      failed+=("$t")
      continue
    fi
    echo -n "desk: $t: " >&2
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "build-hardening/fuzz-$t.log" | tr '\n' ' ' >&2
    echo >&2
  done
done
for t in "${failed[@]}"; do
  tail -n 60 "build-hardening/fuzz-$t.log" >&2
  echo "desk: fuzz target $t failed; its input is in build-hardening/artifacts/ (add it to fuzz/crashes/$t/ and fix)" >&2
done
((${#failed[@]} == 0)) || exit 1
echo "desk: fuzz build $((built - start)) s, fuzzing $((SECONDS - built)) s" >&2
