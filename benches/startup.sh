#!/usr/bin/env bash
# Start-up benchmark of the desktop app with a 10,000-request workspace, beside the blank eframe
# window floor (../shared/bench/startup.sh), in a real window under Xvfb:
#   1. the first painted frame that shows the workspace's collection tree,
#   2. the frame that shows the fully read workspace (every folder and request),
#   3. CPU used over 10 s of idle, and peak memory with everything loaded.
# Usage: benches/startup.sh   (RUNS=N for more runs)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cargo build --release --quiet
bin=target/release/localpost
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$bin" --data-dir "$data" dev sample --name "Bench 10k" >/dev/null
echo "== first frame with the collection tree"
"$shared/bench/startup.sh" "$bin" --data-dir "$data" --exit-after-first-frame
echo "== frame with the whole workspace read"
"$shared/bench/startup.sh" "$bin" --data-dir "$data" --exit-after-full-load
echo "== idle"
command -v Xvfb >/dev/null || { apt-get update -qq && apt-get install -y -qq xvfb >/dev/null; }
display=":$((150 + RANDOM % 50))"
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY=$display "$bin" --data-dir "$data" >/dev/null 2>&1 &
app=$!
trap 'kill $app $xvfb 2>/dev/null; rm -rf "$data"' EXIT
sleep 4
a=$(awk '{print $14+$15}' "/proc/$app/stat")
sleep 10
b=$(awk '{print $14+$15}' "/proc/$app/stat")
hz=$(getconf CLK_TCK)
awk -v t=$((b - a)) -v hz="$hz" 'BEGIN {printf "idle CPU over 10 s: %.2f%% (%d ticks)\n", t / hz / 10 * 100, t}'
grep VmHWM "/proc/$app/status" | awk '{printf "peak memory with the workspace loaded: %.0f MiB\n", $2 / 1024}'
