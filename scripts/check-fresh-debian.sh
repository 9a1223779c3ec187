#!/usr/bin/env bash
# Runs the README's two commands on a fresh Debian 12 root: builds a minimal root with mmdebstrap
# (variant buildd: the essential packages and the base toolchain, nothing else) from this
# machine's apt sources, clones this checkout's HEAD into it, and in a chroot
#   1. runs the demo command without a display (it must say so and train headless) and with
#      --headless,
#   2. runs the test command (the whole suite).
# A dependency that only a developer machine happens to have fails here. Needs root (chroot,
# mounts); installs mmdebstrap when it is missing.
#
# Usage: scripts/check-fresh-debian.sh [--demo-only] [--keep] [--root DIR]
#   --demo-only   skip the test suite (the demo command only)
#   --keep        keep the root afterwards (it is removed by default)
#   --root DIR    where to build the root (default: a new directory under /var/tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD

demo_only=0
keep=0
root=""
while [ $# -gt 0 ]; do
    case "$1" in
    --demo-only) demo_only=1 ;;
    --keep) keep=1 ;;
    --root) root=$2; shift ;;
    *) echo "unknown option: $1 (see the header of $0)" >&2; exit 2 ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || { echo "$0 needs root (chroot and mounts); run it with sudo" >&2; exit 2; }
command -v mmdebstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq mmdebstrap >/dev/null; }
[ -n "$root" ] || root=$(mktemp -d /var/tmp/mtl-fresh-debian.XXXXXX)
[ -z "$(ls -A "$root" 2>/dev/null)" ] || { echo "$root is not empty" >&2; exit 2; }

mounted=()
cleanup() {
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
    if [ "$keep" -eq 0 ]; then rm -rf --one-file-system "$root"; else echo "root kept in $root"; fi
}
trap cleanup EXIT

# This machine's apt sources, as they are (deb822 and one-line files alike).
sources=$(mktemp)
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && { cat "$f"; echo; } >>"$sources"
done
echo "== building a Debian 12 root (buildd variant) in $root"
start=$(date +%s)
mmdebstrap --quiet --variant=buildd --include=ca-certificates bookworm "$root" "$sources"
rm -f "$sources"
echo "   took $(($(date +%s) - start)) s"

# The machine's certificate trust and registry settings, so apt and npm reach their registries.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
chroot "$root" update-ca-certificates >/dev/null 2>&1
[ -f /etc/npmrc ] && cp /etc/npmrc "$root/etc/npmrc"
cp /etc/resolv.conf "$root/etc/resolv.conf"

for m in proc sys dev dev/pts dev/shm; do
    mkdir -p "$root/$m"
    mount --bind "/$m" "$root/$m"
    mounted+=("$root/$m")
done

echo "== cloning $(git rev-parse --short HEAD) into the root"
git clone --quiet --no-hardlinks "$checkout" "$root/src"
git -C "$root/src" checkout --quiet "$(git rev-parse HEAD)"

# A login-like environment without a display: what a user's terminal on a server has.
in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        TERM=dumb LANG=C.UTF-8 CI="${CI:-}" /bin/bash -c "cd /src && $1"
}

echo "== the demo command, no display (must say so and train headless)"
output=$(in_root "scripts/run-demo.sh --epochs 3" 2>&1) || { echo "$output"; echo "FAILED: the demo command" >&2; exit 1; }
echo "$output" | tail -n 12
grep -q "No display found" <<<"$output" || { echo "FAILED: the demo command did not say it found no display" >&2; exit 1; }
grep -q "validation" <<<"$output" || { echo "FAILED: the demo did not train" >&2; exit 1; }

echo "== the demo command, --headless"
in_root "scripts/run-demo.sh --headless --soft --epochs 3" >"$root/headless.log" 2>&1 ||
    { cat "$root/headless.log"; echo "FAILED: the headless demo command" >&2; exit 1; }
tail -n 4 "$root/headless.log"

if [ "$demo_only" -eq 0 ]; then
    echo "== the test command"
    start=$(date +%s)
    status=0
    in_root "scripts/test.sh" >"$root/test.log" 2>&1 || status=$?
    tail -n 25 "$root/test.log"
    echo "   took $(($(date +%s) - start)) s"
    [ "$status" -eq 0 ] || { echo "FAILED: the test command (exit $status)" >&2; exit 1; }
fi
[ "$demo_only" -eq 1 ] && echo "== fresh Debian 12: the demo command passed" || echo "== fresh Debian 12: both README commands passed"
