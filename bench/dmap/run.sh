#!/bin/sh
# The Distributed Map benchmark: N lines of JSONL (default 10,000,000) in a
# temporary S3 folder, one run of definition.json (a child per line) and of
# batched.json (a child per 100 lines), each timed with its peak RSS.
# Usage: bench/dmap/run.sh [N] (from the repository root, after
# `cargo build --release -p stampede-cli`).
set -eu
N=${1:-10000000}
BIN=${STAMPEDE_BIN:-target/release/stampede}
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/bench"
python3 -c "
import sys
n = int(sys.argv[1])
with open(sys.argv[2], 'w') as f:
    for i in range(n):
        f.write('{\"id\":%d,\"sku\":\"SKU-%06d\",\"qty\":%d}\n' % (i, i % 1000000, i % 7 + 1))
" "$N" "$ROOT/bench/items.jsonl"
for def in definition batched; do
    /usr/bin/time -f "%e %M" -o "$ROOT/time" \
        "$BIN" run "bench/dmap/$def.json" --s3-root "$ROOT" --echo-tasks --max-transitions 4000000000 > "$ROOT/out.json"
    read -r wall rss < "$ROOT/time"
    echo "$def: $N items in $wall s ($(python3 -c "print(round($N / max($wall, 0.001)))") items/s), peak RSS $((rss / 1024)) MiB: $(head -c 120 "$ROOT/out.json")"
done
