#!/usr/bin/env bash
# Collection-runner benchmark, on loopback against the shared echo server:
#   1. ../shared/bench/compare-runners.sh: the same 1,000-request workload through a plain reqwest
#      loop (the floor), newman, Bruno's CLI and `localpost run --import` (median wall time of RUNS
#      runs, peak RSS, ratio to the floor), all in one run;
#   2. a 100,000-request run (the 1,000-request collection, 100 iterations) beside a 1,000-request
#      run of the same binary: peak RSS of each and their ratio (memory must not grow with the
#      length of a run).
# Usage: benches/runner.sh   (RUNS=N for more runs; N=... for another workload size)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(cd "${SHARED:-../shared}" && pwd)
n=${N:-1000}
cargo build --release --quiet
bin=$PWD/target/release/localpost
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

echo "== $n requests: floor, newman, bru, localpost"
"$shared/bench/compare-runners.sh" "$n" "$bin" --data-dir "$data/unused" run --import '{collection}' --env-file '{environment}'

echo "== run length: $n requests vs 100 x $n requests (peak RSS)"
tgt=${BENCH_TARGET:-/tmp/lp-bench-target}
port=$((18100 + RANDOM % 100))
"$tgt/release/echo-server" "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
sleep 0.5
python3 "$shared/bench/gen-collection.py" "$n" "$data" "http://127.0.0.1:$port" >/dev/null
col="$data/bench-$n.postman_collection.json"
env="$data/bench-$n.postman_environment.json"
peak() { # iterations -> "wall_s peak_kib"
  /usr/bin/time -f '%e %M' "$bin" --data-dir "$data/unused" run --import "$col" --env-file "$env" -n "$1" 2>&1 >/dev/null | tail -1
}
read -r short_s short_kib < <(peak 1)
read -r long_s long_kib < <(peak 100)
printf '%-22s %10s %10s\n' run wall_s peak_MiB
printf '%-22s %10s %10.1f\n' "$n requests" "$short_s" "$(awk -v k="$short_kib" 'BEGIN {print k / 1024}')"
printf '%-22s %10s %10.1f\n' "$((n * 100)) requests" "$long_s" "$(awk -v k="$long_kib" 'BEGIN {print k / 1024}')"
awk -v a="$short_kib" -v b="$long_kib" 'BEGIN {printf "peak memory ratio (long / short): %.2f\n", b / a}'
