#!/usr/bin/env bash
# Scaling curves: throughput of each peer workload on 1..N worker threads,
# one JSON line per run (append to a file and plot exec_per_s against threads).
#   loadgen/run.sh [EXECUTIONS] [MAX_THREADS] > scaling.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
max=${2:-$(nproc)}
workloads=${WORKLOADS:-/work/shared/peers/workloads}
cargo build --release -q -p stampede-loadgen
for dir in "$workloads"/*/; do
  for t in $(seq 1 "$max"); do
    target/release/stampede-loadgen throughput --executions "$n" --threads "$t" \
      --definition "$dir/definition.json" --input "$dir/input.json"
  done
done
