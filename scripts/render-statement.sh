#!/bin/sh
# Renders an HTML statement to a PNG with headless Chromium, at A4 proportions (1240x1754, 150 dpi),
# to look at the layout. Installs Chromium, and fonts for Chinese and Persian, with apt-get when they are missing.
#
#   scripts/render-statement.sh out/2026-Q1/statements/AE01.html /tmp/AE01.png
set -eu

if [ "$#" -ne 2 ]; then
    echo "usage: $0 STATEMENT.html OUT.png" >&2
    exit 64
fi
html=$1
png=$2
if [ ! -f "$html" ]; then
    echo "$0: no such file: $html" >&2
    exit 2
fi

absolute() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")" ;;
    esac
}

browser=""
for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
        browser=$name
        break
    fi
done
if [ -z "$browser" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$0: chromium is not installed and apt-get is not available" >&2
        exit 2
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
    echo "installing chromium…" >&2
    if ! $sudo apt-get install -y chromium >/dev/null 2>&1; then
        $sudo apt-get update >/dev/null
        $sudo apt-get install -y chromium >/dev/null
    fi
    browser=chromium
fi

# Chinese and Persian pages need fonts with their glyphs, or they show empty boxes.
if command -v fc-list >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    need=""
    fc-list | grep -q "Noto Sans CJK" || need="$need fonts-noto-cjk"
    fc-list | grep -q "Noto Naskh Arabic" || need="$need fonts-noto-core"
    if [ -n "$need" ]; then
        sudo=""
        if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
        echo "installing fonts for Chinese and Persian:$need…" >&2
        # shellcheck disable=SC2086
        $sudo apt-get install -y $need >/dev/null 2>&1 || echo "$0: could not install$need; CJK or Persian text may show as boxes" >&2
    fi
fi

in=$(absolute "$html")
out=$(absolute "$png")
url=$(printf '%s' "$in" | sed 's/%/%25/g; s/ /%20/g; s/#/%23/g; s/?/%3F/g')
mkdir -p "$(dirname "$out")"
# Chromium writes progress and harmless GPU/DBus warnings to stderr; keep them only on failure.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$out" --window-size=1240,1754 "file://$url" >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
if [ ! -s "$out" ]; then
    cat "$log" >&2
    echo "$0: chromium wrote no screenshot" >&2
    exit 1
fi
echo "$out"
