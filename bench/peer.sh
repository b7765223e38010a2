#!/usr/bin/env bash
# Portolan against Aerleon on the same policy: for each size, write a synthetic spec, emit its
# Aerleon policy with `portolan build --emit aerleon`, then time Aerleon's `aclgen` rendering that
# policy to iptables against `portolan build --emit iptables` on the spec, and print the ratios.
#
#   bench/peer.sh                  # 1,000, 10,000 and 100,000 flows
#   bench/peer.sh 2000 20000       # other sizes
#
# Each command is timed over RUNS runs (default 3) and the fastest run is kept. aclgen comes from
# $PORTOLAN_AERLEON, else from target/aerleon-venv (created with pip when missing, as .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
SIZES=("$@")
if [ ${#SIZES[@]} -eq 0 ]; then SIZES=(1000 10000 100000); fi

ACLGEN="${PORTOLAN_AERLEON:-$PWD/target/aerleon-venv/bin/aclgen}"
if [ ! -x "$ACLGEN" ]; then
    echo "installing aerleon 1.18.0 into target/aerleon-venv" >&2
    python3 -m venv target/aerleon-venv
    target/aerleon-venv/bin/python -m pip install -q --disable-pip-version-check "aerleon==1.18.0"
    ACLGEN="$PWD/target/aerleon-venv/bin/aclgen"
fi

cargo build --release --quiet -p portolan-cli -p portolan-bench --bins
PORTOLAN="$PWD/target/release/portolan"
SYNTH="$PWD/target/release/synth"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The fastest of $RUNS runs of a command, in seconds; the command's output is discarded.
fastest() {
    local best="" start end elapsed
    for _ in $(seq "$RUNS"); do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@" >&2; exit 1; }
        end=$(date +%s%N)
        elapsed=$((end - start))
        if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
    done
    awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

# How many accepting rules the iptables files in a folder hold.
accepts() {
    cat "$1"/* | grep -c -- '-j ACCEPT' || true
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "aclgen: $("$ACLGEN" --version 2>/dev/null | head -1 || echo "aerleon 1.18.0") ($ACLGEN); runs per figure: $RUNS, fastest kept"
printf '\n%8s %6s %8s %8s %12s %12s %8s\n' flows hosts terms rules "aclgen s" "portolan s" ratio
for flows in "${SIZES[@]}"; do
    spec="$WORK/spec-$flows"
    policy="$WORK/aerleon-$flows"
    "$SYNTH" --flows "$flows" --files 100 --out "$spec" >/dev/null
    "$PORTOLAN" build "$spec" --emit aerleon --out "$policy" 2>/dev/null
    # The same policy for aclgen's iptables generator: each filter's target becomes the iptables
    # chain it describes, with the same default (drop), instead of an nftables chain.
    sed -i -e 's/nftables: mixed INPUT/iptables: INPUT DROP/' -e 's/nftables: mixed OUTPUT/iptables: OUTPUT DROP/' \
        "$policy"/aerleon/policies/pol/*.yaml
    if grep -rq 'nftables:' "$policy"/aerleon/policies; then
        echo "a filter of the emitted policy still targets nftables" >&2
        exit 1
    fi
    mkdir -p "$WORK/aclgen-$flows" "$WORK/portolan-$flows"
    aclgen_s=$(fastest "$ACLGEN" --base_directory "$policy/aerleon/policies" \
        --definitions_directory "$policy/aerleon/def" --output_directory "$WORK/aclgen-$flows")
    portolan_s=$(fastest "$PORTOLAN" build "$spec" --emit iptables --out "$WORK/portolan-$flows")
    hosts=$(find "$policy/aerleon/policies/pol" -name '*.yaml' | wc -l)
    terms=$(cat "$policy"/aerleon/policies/pol/*.yaml | grep -c -- '- name:')
    aclgen_files=$(find "$WORK/aclgen-$flows" -type f | wc -l)
    if [ "$aclgen_files" -ne "$hosts" ]; then
        echo "aclgen wrote $aclgen_files files for $hosts policies" >&2
        exit 1
    fi
    rules="$(accepts "$WORK/aclgen-$flows")/$(accepts "$WORK/portolan-$flows/iptables")"
    ratio=$(awk -v a="$aclgen_s" -v p="$portolan_s" 'BEGIN { printf "%.0fx", a / p }')
    printf '%8s %6s %8s %8s %12s %12s %8s\n' "$flows" "$hosts" "$terms" "$rules" "$aclgen_s" "$portolan_s" "$ratio"
done
echo
echo "terms: terms of the Aerleon policy; rules: ACCEPT rules written by aclgen / by portolan."
echo "portolan's time is the whole build: reading, parsing and checking the spec, then writing the rules."
