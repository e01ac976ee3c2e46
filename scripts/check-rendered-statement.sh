#!/bin/sh
# Checks a statement as a person sees it: Chromium prints the HTML to PDF, pdftotext reads the
# page back, and every expected phrase must be on it. Installs chromium and poppler-utils if missing.
#
#   scripts/check-rendered-statement.sh golden/brief-03-cap/expected/2026-Q1/statements/A.html \
#       "Deal D2, 40000.00: 20000.00 at 2% (0% to 50%) + 20000.00 at 5% (50% to 100%) = 1400.00" "4000.00"
set -eu
if [ "$#" -lt 2 ]; then
    echo "usage: $0 STATEMENT.html PHRASE..." >&2
    exit 64
fi
html=$1
shift
for tool in chromium:chromium pdftotext:poppler-utils; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${tool#*:}"; }
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$dir/page.pdf" "file://$abs" >/dev/null 2>&1
pdftotext -raw "$dir/page.pdf" "$dir/page.txt"
# Lines wrap on the page: compare with runs of white space folded to one space.
tr -s ' \n' ' ' < "$dir/page.txt" > "$dir/flat.txt"
status=0
for phrase in "$@"; do
    if grep -qF -- "$phrase" "$dir/flat.txt"; then
        echo "found: $phrase"
    else
        echo "MISSING: $phrase" >&2
        status=1
    fi
done
exit $status
