#!/usr/bin/env bash
# Real-window check: the release binary opens its window under Xvfb on a sample workspace, the
# window appears, a screenshot is taken (target/ci/main-window.png), and the first-frame probe
# used by the start-up benchmark exits cleanly. Fails if the window does not appear.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/x11.sh
need() { command -v "$1" >/dev/null 2>&1; }
if ! need Xvfb || ! need xwininfo || ! need import; then
  apt-get update -qq && apt-get install -y -qq xvfb x11-utils imagemagick >/dev/null
fi
cargo build --release --quiet
bin=target/release/localpost
out=target/ci
mkdir -p "$out"
data=$(mktemp -d)
trap 'kill ${app:-} ${xvfb:-} 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" --data-dir "$data" dev sample --name "Sample" --collections 5 --folders 25 --requests 200 >/dev/null

start_xvfb 1600x1000x24

"$bin" --data-dir "$data" >"$out/app.log" 2>&1 &
app=$!
if [ -z "$(wait_for_window "$app")" ]; then
  echo "real-window check: the Localpost window did not appear" >&2
  cat "$out/app.log" >&2
  exit 1
fi
sleep 2 # let it load the workspace and paint
import -window root "$out/main-window.png"
colors=$(convert "$out/main-window.png" -format %k info:)
if [ "$colors" -lt 16 ]; then
  echo "real-window check: the screenshot is blank ($colors colours)" >&2
  exit 1
fi
kill "$app"; wait "$app" 2>/dev/null || true
app=""

probe=$("$bin" --data-dir "$data" --exit-after-first-frame)
case "$probe" in
  *first_frame_ms=*) ;;
  *) echo "real-window check: --exit-after-first-frame printed: $probe" >&2; exit 1 ;;
esac
echo "real-window check: window appeared, screenshot $out/main-window.png ($colors colours), $probe"
