#!/usr/bin/env bash
# Package check: builds the .deb from the release binary (`cargo xtask deb --profile release`),
# checks its file list, owners and modes, validates the desktop entry, then installs it with
# dpkg over an existing /etc/localpost/policy.d/ drop-in, runs the installed binary (--version,
# policy show, a first frame under Xvfb, a screenshot with a window manager that draws the
# window's icon: target/ci/installed-window.png), removes and purges the package and checks
# that the administrator's drop-in survived. Needs root (dpkg) and a machine where localpost is
# not already installed and /etc/localpost does not exist: anywhere else it says so and stops
# before installing.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/x11.sh
export CARGO_TERM_COLOR=never
need() { command -v "$1" >/dev/null 2>&1; }
fail() { echo "package check: $*" >&2; exit 1; }

if ! need desktop-file-validate || ! need openbox || ! need xprop || ! need Xvfb || ! need import; then
  apt-get update -qq && apt-get install -y -qq desktop-file-utils openbox x11-utils xvfb imagemagick >/dev/null
fi
if ! cargo deb --version >/dev/null 2>&1; then
  cargo install --quiet --locked cargo-deb
fi

cargo xtask deb --profile release
deb=$(ls -t target/dist/localpost_*.deb | head -1)
out=target/ci
mkdir -p "$out"

# What the package holds, and how.
list=$(dpkg-deb -c "$deb")
for path in ./usr/bin/localpost ./usr/share/applications/localpost.desktop \
  ./usr/share/metainfo/dev.localpost.Localpost.metainfo.xml \
  ./usr/share/icons/hicolor/scalable/apps/localpost.svg \
  ./usr/share/icons/hicolor/16x16/apps/localpost.png ./usr/share/icons/hicolor/512x512/apps/localpost.png \
  ./usr/share/man/man1/localpost.1.gz ./usr/share/bash-completion/completions/localpost \
  ./usr/share/zsh/vendor-completions/_localpost ./usr/share/fish/vendor_completions.d/localpost.fish \
  ./usr/share/doc/localpost/README.md ./usr/share/doc/localpost/deploying.md \
  ./usr/share/doc/localpost/policy.md ./usr/share/doc/localpost/examples/organization.ron; do
  grep -q " $path\$" <<<"$list" || fail "$deb lacks $path"
done
grep -q ' ./etc/' <<<"$list" && fail "$deb ships files under /etc (the administrator's): $(grep ' ./etc/' <<<"$list")"
# Every entry root:root; the binary and folders 0755, every other file 0644.
awk '$2 != "0/0" { print "not root:root: " $0; bad = 1 }
     $1 ~ /^d/ && $1 != "drwxr-xr-x" { print "folder mode: " $0; bad = 1 }
     $1 ~ /^-/ && $6 == "./usr/bin/localpost" && $1 != "-rwxr-xr-x" { print "binary mode: " $0; bad = 1 }
     $1 ~ /^-/ && $6 != "./usr/bin/localpost" && $1 != "-rw-r--r--" { print "file mode: " $0; bad = 1 }
     END { exit bad }' <<<"$list" || fail "$deb has wrong owners or modes (above)"
desktop-file-validate assets/localpost.desktop || fail "assets/localpost.desktop does not validate"

# Installing and removing.
if [ "$(id -u)" != 0 ]; then
  echo "package check: not root; the package is built and checked, not installed" >&2
  exit 0
fi
if dpkg -s localpost >/dev/null 2>&1 || [ -e /etc/localpost ]; then
  fail "this machine already has localpost installed or an /etc/localpost; the install check runs on a machine without them"
fi
data=$(mktemp -d)
cleanup() {
  kill ${app:-} ${wm:-} ${xvfb:-} 2>/dev/null || true
  if dpkg -s localpost >/dev/null 2>&1; then dpkg -P localpost >/dev/null 2>&1 || true; fi
  rm -rf /etc/localpost "$data"
}
trap cleanup EXIT

# An administrator's drop-in, there before the package.
mkdir -p /etc/localpost/policy.d
cat >/etc/localpost/policy.d/10-ci.ron <<'RON'
(
    schema_version: 1,
    organization_name: "CI",
    history_retention_days: 30,
)
RON
chmod 0644 /etc/localpost/policy.d/10-ci.ron
sum_before=$(sha256sum /etc/localpost/policy.d/10-ci.ron)

# The window's libraries (the package's Depends) come from apt when dpkg cannot find them.
dpkg -i "$deb" >/dev/null 2>&1 || apt-get install -f -y -qq >/dev/null
dpkg -s localpost | grep -q '^Status: install ok installed' || fail "dpkg -i $deb did not install it"
[ "$(stat -c '%U:%G %a' /etc/localpost/policy.d)" = "root:root 755" ] ||
  fail "/etc/localpost/policy.d is $(stat -c '%U:%G %a' /etc/localpost/policy.d), not root:root 755"
[ "$(sha256sum /etc/localpost/policy.d/10-ci.ron)" = "$sum_before" ] || fail "the install changed the drop-in"

version=$(/usr/bin/localpost --version)
grep -Eq '^localpost [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{7,}|^localpost [0-9.]+ \(commit unknown' <<<"$version" ||
  fail "localpost --version printed: $version"
policy=$(/usr/bin/localpost policy show --json)
grep -q '"state": *"managed"' <<<"$policy" || fail "policy show does not report the drop-in as managed: $policy"
grep -q '10-ci.ron' <<<"$policy" || fail "policy show does not list the drop-in: $policy"

# The installed binary's window: a first frame, then a screenshot with a window manager that
# draws window icons (openbox's default title bar has one), and the icon on the window.
start_xvfb 1600x1000x24
probe=$(/usr/bin/localpost --data-dir "$data" --exit-after-first-frame)
case "$probe" in
  *first_frame_ms=*) ;;
  *) fail "the installed binary's --exit-after-first-frame printed: $probe" ;;
esac
openbox >/dev/null 2>&1 &
wm=$!
/usr/bin/localpost --data-dir "$data" >"$out/installed-app.log" 2>&1 &
app=$!
id=$(wait_for_window "$app")
[ -n "$id" ] || { cat "$out/installed-app.log" >&2; fail "the installed binary's window did not appear"; }
icon=$(xprop -id "$id" _NET_WM_ICON 2>/dev/null || true)
icon=${icon:0:200}
case "$icon" in
  *"_NET_WM_ICON(CARDINAL) = "*) ;;
  *) fail "the window has no icon (_NET_WM_ICON): $icon" ;;
esac
sleep 2
import -window root "$out/installed-window.png"
kill "$app"; wait "$app" 2>/dev/null || true
app=""

# Removal keeps the administrator's files; so does a purge.
dpkg -r localpost >/dev/null
[ ! -e /usr/bin/localpost ] || fail "dpkg -r left /usr/bin/localpost"
[ "$(sha256sum /etc/localpost/policy.d/10-ci.ron 2>/dev/null)" = "$sum_before" ] || fail "removal touched the drop-in"
dpkg -P localpost >/dev/null 2>&1 || true # (after -r there is nothing left to purge: no conffiles)
[ "$(sha256sum /etc/localpost/policy.d/10-ci.ron 2>/dev/null)" = "$sum_before" ] || fail "purge touched the drop-in"
[ -d /etc/localpost/policy.d ] || fail "purge removed /etc/localpost/policy.d"
echo "package check: $deb ($(stat -c %s "$deb") bytes) lists, installs, runs ($version; $probe), shows its icon ($out/installed-window.png) and removes cleanly"
