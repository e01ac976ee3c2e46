#!/usr/bin/env bash
# Builds the libFuzzer harness over the engine (release, -sanitize=fuzzer,address), makes the seed corpus, and fuzzes
# one target for a given time at low priority. Crashes, timeouts and out-of-memory inputs go to fuzz/findings/.
#
# Usage: fuzz/run.sh [SECONDS] [TARGET]
#   SECONDS  how long to fuzz (default 60)
#   TARGET   all (default: the first byte picks), plan, run, deals, roster, assignments, hierarchy, fx
# Environment: FUZZ_SANITIZE (default fuzzer,address; `fuzzer` alone for speed), FUZZ_FLAGS (more libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
target=${2:-all}
case $target in
    all|plan|run|deals|roster|assignments|hierarchy|fx) ;;
    *) echo "error: unknown target \`$target\` (all, plan, run, deals, roster, assignments, hierarchy, fx)" >&2; exit 64 ;;
esac
sanitize=${FUZZ_SANITIZE:-fuzzer,address}
build=fuzz/.build/$(echo "$sanitize" | tr ',' '-')
binary=$build/attain-fuzz

# The engine is pure Swift with no dependencies, so it is compiled here with swiftc, apart from SwiftPM: the package's
# own `swift build` and `swift test` never see the harness. Rebuilt only when a source is newer than the binary.
sources=$(find Sources/Attain -name '*.swift' | sort)
if [ ! -x "$binary" ] || [ -n "$(find Sources/Attain fuzz/AttainFuzz.swift -name '*.swift' -newer "$binary" | head -1)" ]; then
    echo "building $binary (swiftc -O -sanitize=$sanitize)…" >&2
    mkdir -p "$build"
    # shellcheck disable=SC2086
    nice -n 19 swiftc -module-name Attain -parse-as-library -swift-version 6 -O -wmo -g -sanitize="$sanitize" \
        -emit-library -static -emit-module -emit-module-path "$build/Attain.swiftmodule" -o "$build/libAttain.a" $sources
    nice -n 19 swiftc -parse-as-library -swift-version 6 -O -g -sanitize="$sanitize" -I "$build" \
        fuzz/AttainFuzz.swift "$build/libAttain.a" -o "$binary" 2> "$build/link.log" || { cat "$build/link.log" >&2; exit 1; }
fi

fuzz/make-corpus.sh > /dev/null
corpus=fuzz/corpus/$target
mkdir -p "$corpus" fuzz/findings
log=$(mktemp)
echo "fuzzing \`$target\` for $seconds s (corpus $corpus, seeds fuzz/seeds/$target, findings fuzz/findings/)…" >&2
set +e
# shellcheck disable=SC2086
ATTAIN_FUZZ_ROOT=$root ATTAIN_FUZZ_TARGET=$target ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
    nice -n 19 "$binary" "$corpus" "fuzz/seeds/$target" -dict=fuzz/plan.dict -max_total_time="$seconds" \
    -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="fuzz/findings/$target-" \
    ${FUZZ_FLAGS:-} 2>&1 | tee "$log" | grep --line-buffered -E '^#[0-9]+[[:space:]]+(INITED|DONE|pulse)|^Done|ERROR|==[0-9]+==|Test unit written|stat::' >&2
status=${PIPESTATUS[0]}
set -e

# The figures: executions, speed, coverage and corpus at the end, and every finding.
runs=$(grep -oE '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
final=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
echo "target $target: ${runs:-stopped early}; ${final:-no final line}; exit $status"
grep -E 'Test unit written' "$log" || echo "findings: none"
rm -f "$log"
exit "$status"
