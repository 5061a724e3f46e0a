#!/usr/bin/env bash
# Retakes assets/screenshot.png, the main window on a realistic workspace (a public Postman
# collection from the test fixtures, a request open), under Xvfb, so the picture at the top of
# the README can follow the window when it changes. Needs Xvfb, xdotool, x11-utils and
# ImageMagick (apt-get install xvfb xdotool x11-utils imagemagick).
# Usage: assets/screenshot.sh [path/to/localpost]   (default: builds target/release/localpost)
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/x11.sh
for tool in Xvfb xdotool xwininfo import; do
  command -v "$tool" >/dev/null || { echo "screenshot: $tool is needed (apt-get install xvfb xdotool x11-utils imagemagick)" >&2; exit 1; }
done
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=target/release/localpost
fi
data=$(mktemp -d)
trap 'kill ${app:-} ${xvfb:-} 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" --data-dir "$data" import \
  tests/fixtures/corpus/postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json >/dev/null

start_xvfb 1280x800x24
"$bin" --data-dir "$data" >/dev/null 2>&1 &
app=$!
window=$(wait_for_window "$app")
[ -n "$window" ] || { echo "screenshot: the window did not appear" >&2; exit 1; }
xdotool windowmove "$window" 0 0 windowsize "$window" 1280 800
sleep 1.5
# Unfold the first folder and open its second request ("POST Raw Text"), as a user would (the
# window is 1280x800 at the screen's corner, so the tree's rows are where they always are).
xdotool mousemove 28 163 click 1
sleep 0.5
xdotool mousemove 120 217 click 1
sleep 1
import -window root -crop 1280x800+0+0 assets/screenshot.png
echo "screenshot: wrote assets/screenshot.png"
