#!/usr/bin/env bash
# Clipboard check: the release binary under Xvfb exchanges text with other applications
# through the system clipboard (xclip stands for them). A URL copied elsewhere is pasted into
# the URL field with Ctrl+V; "Copy request as cURL" (Ctrl+Shift+C) and Ctrl+C in the field put
# text where xclip reads it. Fails if either way does not work.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/x11.sh
need() { command -v "$1" >/dev/null 2>&1; }
if ! need Xvfb || ! need xdotool || ! need xclip || ! need xwininfo; then
  apt-get update -qq && apt-get install -y -qq xvfb xdotool xclip x11-utils >/dev/null
fi
cargo build --release --quiet
bin=target/release/localpost
data=$(mktemp -d)
trap 'kill ${app:-} ${xvfb:-} 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" --data-dir "$data" dev sample --name "Sample" --collections 1 --folders 1 --requests 3 >/dev/null

start_xvfb 1600x1000x24
"$bin" --data-dir "$data" >/dev/null 2>&1 &
app=$!
window=$(wait_for_window "$app")
[ -n "$window" ] || { echo "clipboard check: the window did not appear" >&2; exit 1; }
sleep 2
xdotool windowfocus --sync "$window"
key() { xdotool key "$@"; sleep 0.5; }
fail() { echo "clipboard check: $*" >&2; exit 1; }

url='http://127.0.0.1:9/pasted-from-elsewhere?via=clipboard'
key ctrl+t
key ctrl+l
printf '%s' "$url" | xclip -selection clipboard
key ctrl+v
# Out again: the whole request as cURL...
printf 'nothing yet' | xclip -selection clipboard
key ctrl+shift+c
got=$(xclip -selection clipboard -o)
case "$got" in
  curl*"$url"*) ;;
  *) fail "Copy request as cURL put '$got' on the clipboard (wanted a curl command with $url)" ;;
esac
# ...and the field's text with Ctrl+A, Ctrl+C.
printf 'nothing yet' | xclip -selection clipboard
key ctrl+l
key ctrl+a
key ctrl+c
got=$(xclip -selection clipboard -o)
[ "$got" = "$url" ] || fail "Ctrl+C in the URL field put '$got' on the clipboard (wanted $url)"
echo "clipboard check: pasted from and copied to other applications"
