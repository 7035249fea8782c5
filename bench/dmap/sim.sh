#!/bin/sh
# `stampede simulate` on one Distributed Map run over N items (default
# 1,000,000): the JSON Lines file of bench/dmap/run.sh in a temporary S3
# folder, an Express child per item calling a simulated Lambda (lognormal,
# median 50 ms; 2% of calls fail), 5% of the items tolerated, up to 1,000
# children at once. Prints the report (child executions, tolerated
# failures, cost) and the time it took. Usage: bench/dmap/sim.sh [N]
# (from the repository root, after `cargo build --release -p stampede-cli`).
set -eu
N=${1:-1000000}
BIN=${STAMPEDE_BIN:-target/release/stampede}
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/bench"
python3 "$(dirname "$0")/items.py" "$N" "$ROOT/bench/items.jsonl"
cat > "$ROOT/scenario.json" <<JSON
{
  "name": "dmap-$N",
  "definition": "$(pwd)/bench/dmap/sim.asl.json",
  "s3_root": "$ROOT",
  "seed": 7,
  "executions": 1,
  "max_transitions": 4000000000,
  "resources": {
    "arn:aws:lambda:us-east-1:123456789012:function:charge": {
      "latency_ms": { "dist": "lognormal", "median": 50, "sigma": 0.4 },
      "errors": [{ "error": "Payment.Declined", "cause": "card declined", "p": 0.02 }],
      "memory_mb": 256
    }
  }
}
JSON
/usr/bin/time -f "%e %U %S %M" -o "$ROOT/time" "$BIN" simulate "$ROOT/scenario.json" --json "$ROOT/report.json"
read -r wall user sys rss < "$ROOT/time"
echo "simulated $N items in $wall s wall (CPU $user s user + $sys s sys), peak RSS $((rss / 1024)) MiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['distributed_maps']))" "$ROOT/report.json"
