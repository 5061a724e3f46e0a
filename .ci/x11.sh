# Sourced by the scripts that show the app under Xvfb (.ci/real-window.sh, .ci/clipboard-check.sh,
# .ci/package-check.sh, assets/screenshot.sh): a private display, and the app's window on it.

# start_xvfb WxHxD: starts Xvfb on a free-looking display, exports DISPLAY, leaves its pid in
# $xvfb (for the caller's trap) and returns when the display answers.
start_xvfb() {
  local display=":$((100 + RANDOM % 100))"
  Xvfb "$display" -screen 0 "$1" >/dev/null 2>&1 &
  xvfb=$!
  export DISPLAY=$display
  for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
}

# wait_for_window PID: prints the X id of the window titled "Localpost" once it is mapped;
# prints nothing if it does not appear within 30 s or the process PID ends first.
wait_for_window() {
  local tree id
  for _ in $(seq 150); do
    # Read whole, then searched: a reader that stops early would break the pipe under pipefail.
    tree=$(xwininfo -root -tree 2>/dev/null || true)
    id=$(awk '/"Localpost"/ { print $1; exit }' <<<"$tree")
    if [ -n "$id" ]; then echo "$id"; return 0; fi
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.2
  done
}
