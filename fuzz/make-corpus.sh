#!/usr/bin/env bash
# Makes the seed corpus of each fuzz target from plans/, golden/*/ and sample/ into fuzz/seeds/TARGET/ (not committed).
# Usage: fuzz/make-corpus.sh   (from anywhere; rewrites fuzz/seeds/)
set -euo pipefail
cd "$(dirname "$0")/.."

# The order of FuzzKind in fuzz/AttainFuzz.swift: for target `all`, a seed's first byte is its kind's number.
kinds=(plan run deals roster assignments hierarchy fx)

rm -rf fuzz/seeds
for k in "${kinds[@]}" all; do mkdir -p "fuzz/seeds/$k"; done

# Copies one file as a seed of a kind, named by its hash so that identical files are one seed.
seed() {
    local kind=$1 file=$2 number=$3 name
    name=$(sha1sum "$file" | cut -c1-16)
    cp "$file" "fuzz/seeds/$kind/$name"
    { printf "\\$(printf '%03o' "$number")"; cat "$file"; } > "fuzz/seeds/all/$number-$name"
}

# Every plan (inputs of golden cases, not their expected outputs).
while IFS= read -r f; do
    seed plan "$f" 0
    seed run "$f" 1
done < <(find plans golden sample -name '*.plan' -not -path '*/expected/*' | sort)

# Every CSV input by its role.
for i in 2 3 4 5 6; do
    k=${kinds[$i]}
    while IFS= read -r f; do seed "$k" "$f" "$i"; done \
        < <(find plans golden sample -name "$k.csv" -not -path '*/expected/*' | sort)
done

# A dated tree over sample/'s roster (golden's trees name other reps): each rep under its roster manager from hire,
# the first rep with a manager moved under the first manager on 2026-02-15.
tree=$(mktemp)
awk -F, 'NR == 1 { print "rep_id,manager_id,start_date,end_date"; next }
         $3 == "" { if (top == "") top = $1; next }
         !moved && top != "" && $3 != top { print $1 "," $3 "," $4 ",2026-02-14"; print $1 "," top ",2026-02-15,"; moved = 1; next }
         { print $1 "," $3 "," $4 "," }' sample/roster.csv > "$tree"
seed hierarchy "$tree" 5
rm -f "$tree"

for k in "${kinds[@]}" all; do
    printf '%-12s %4d seeds\n' "$k" "$(find "fuzz/seeds/$k" -type f | wc -l)"
done
