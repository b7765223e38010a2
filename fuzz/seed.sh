#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ (ignored by git) with the repository's .ptl files: each file on its
# own, each fixture (already in the multi-file format), and each folder of examples/ as one input
# whose files follow `//- path.ptl` lines (the multi-file format of the fixtures, parse_check and
# build_all). Run from anywhere.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus"
mkdir -p "$corpus/parse_check" "$corpus/fmt_idempotent" "$corpus/build_all"

# Writes stdin to each named corpus folder under its SHA-1.
put() {
    local tmp
    tmp="$(mktemp)"
    cat >"$tmp"
    local name="seed-$(sha1sum "$tmp" | cut -c1-40)"
    for target in "$@"; do cp "$tmp" "$corpus/$target/$name"; done
    rm -f "$tmp"
}

for folder in "$root"/examples/*/; do
    (cd "$folder" && find . -name '*.ptl' | sort | while read -r file; do
        printf '//- %s\n' "${file#./}"
        cat "$file"
        [ -z "$(tail -c1 "$file")" ] || echo
    done) | put parse_check build_all
done
find -H "$root/examples" "$root/tests/fixtures" "$root/stdlib" -name '*.ptl' | sort | while read -r file; do
    put parse_check fmt_idempotent build_all <"$file"
done
for target in parse_check fmt_idempotent build_all; do
    echo "$target: $(ls "$corpus/$target" | wc -l) inputs"
done
