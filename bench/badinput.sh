#!/bin/sh
# Times `attain run` over each case bench/badinput.py made: seconds, exit code and stderr bytes, one line a case.
# Only payroll.csv is written (--format payroll), so that creating 150,000 statement files does not drown the time.
#   bench/badinput.sh BINARY CASES_DIR [TIMEOUT_SECONDS]
bin=$1; dir=$2; limit=${3:-300}
printf '%-28s %8s %5s %12s\n' case seconds exit stderr_bytes
for c in "$dir"/*/; do
  name=$(basename "$c")
  rm -rf /tmp/badinput-out
  start=$(date +%s.%N)
  args=$(cat "$c/args" 2>/dev/null)
  timeout "$limit" "$bin" run $args "$c/plans" --data "$c/data" --period 2026-Q1 --out /tmp/badinput-out --format payroll >/dev/null 2>/tmp/badinput-err
  code=$?
  end=$(date +%s.%N)
  printf '%-28s %8.2f %5s %12s\n' "$name" "$(echo "$end - $start" | bc)" "$code" "$(wc -c </tmp/badinput-err)"
done
