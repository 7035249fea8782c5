#!/bin/sh
# The Distributed Map benchmark: N lines of JSONL (default 10,000,000) in a
# temporary S3 folder, one run of each definition (default: all four):
#   definition.json       a child per line, the results array in the Map's output
#   batched.json          a child per 100 lines (ItemBatcher), the same
#   written.json          a child per line, results to a ResultWriter (COMPACT)
#   written-batched.json  a child per 100 lines, results to a ResultWriter
# each timed with its CPU time, peak RSS and the load average when it ended
# (the figures to quote are the written ones: their memory does not grow
# with N). Usage: bench/dmap/run.sh [N] [DEFINITION…] (from the repository
# root, after `cargo build --release -p stampede-cli`).
set -eu
N=${1:-10000000}
[ $# -gt 0 ] && shift
DEFS=${*:-definition batched written written-batched}
BIN=${STAMPEDE_BIN:-target/release/stampede}
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/bench"
python3 "$(dirname "$0")/items.py" "$N" "$ROOT/bench/items.jsonl"
for def in $DEFS; do
    /usr/bin/time -f "%e %U %S %M" -o "$ROOT/time" \
        "$BIN" run "bench/dmap/$def.json" --s3-root "$ROOT" --echo-tasks --max-transitions 4000000000 > "$ROOT/out.json"
    read -r wall user sys rss < "$ROOT/time"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "$def: $N items in $wall s ($(python3 -c "print(round($N / max($wall, 0.001)))") items/s; CPU $user s user + $sys s sys), peak RSS $((rss / 1024)) MiB, load $load: $(head -c 120 "$ROOT/out.json")"
    rm -rf "$ROOT/bench/results"
done
