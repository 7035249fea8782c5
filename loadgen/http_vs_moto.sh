#!/usr/bin/env bash
# StartExecution/s and StartSyncExecution/s for pass10 at 64 connections,
# `stampede serve` and moto's server side by side in one run (bounded: a few
# seconds and at most MAX requests per measurement).
#
#   [SERVE_ARGS='--threads 1'] loadgen/http_vs_moto.sh [SECONDS] [MAX]
#
# Needs release builds (cargo build --release -p stampede-cli -p stampede-loadgen)
# and moto's server: MOTO=path/to/venv/bin/moto_server (default target/moto-venv,
# made with `python3 -m venv target/moto-venv && target/moto-venv/bin/pip install
# 'moto[server,stepfunctions]==5.2.5'`, the version of shared/peers). Prints one
# JSON line per measurement, then the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
max=${2:-2000000}
conns=${CONNECTIONS:-64}
moto=${MOTO:-target/moto-venv/bin/moto_server}
wl=${WORKLOAD:-bench/workloads/pass10}
[ -f "$wl/definition.json" ] || wl=../shared/peers/workloads/pass10
lg=target/release/stampede-loadgen
out=$(mktemp)
cleanup() { for p in ${pids:-}; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
pids=""
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

sp=$(free_port)
# SERVE_ARGS: more `stampede serve` options, e.g. `--threads 1` (one I/O and one engine
# thread: on two cores shared with the load generator, the fastest).
# shellcheck disable=SC2086
target/release/stampede serve --port "$sp" --log-level error ${SERVE_ARGS:-} 2>/dev/null &
pids="$pids $!"
mp=""
if [ -x "$moto" ]; then
  mp=$(free_port)
  "$moto" -p "$mp" >/dev/null 2>&1 &
  pids="$pids $!"
fi
sleep 2
if [ -n "$mp" ]; then
  # moto only records executions unless told to run them (its parser backend):
  # switch that on so that both servers do the same work.
  python3 - "$mp" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/moto-api/config", method="POST",
                             data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode())
urllib.request.urlopen(req, timeout=10).read()
PY
fi
# Each StartExecution measurement waits (at most 60 s) until the machine lists no
# RUNNING execution, so the next measurement does not pay for its backlog, and
# reports the drain time and the completed executions per second.
# Stampede's measurements first, then moto's: moto runs the executions it
# started on threads of its own after it answered, which would otherwise
# still use the cores during the next measurement.
for op in start sync; do
  "$lg" http --url "http://127.0.0.1:$sp" --definition "$wl/definition.json" --input "$wl/input.json" \
    --op "$op" --connections "$conns" --seconds "$secs" --max-requests "$max" --label stampede | tee -a "$out"
done
if [ -n "$mp" ]; then
  for op in start sync; do
    "$lg" http --url "http://127.0.0.1:$mp" --definition "$wl/definition.json" --input "$wl/input.json" \
      --op "$op" --connections "$conns" --seconds "$secs" --max-requests "$max" --label moto | tee -a "$out" || true
  done
fi
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {(r["label"], r["op"]): r for r in rows}
for op in ("StartExecution", "StartSyncExecution"):
    s, m = by.get(("stampede", op)), by.get(("moto", op))
    line = f"{op}: stampede {s['requests_per_s']:.0f}/s p50 {s['p50_ms']} ms p99 {s['p99_ms']} ms" if s else op
    if s and s.get("completed_per_s"):
        line += f" (all ended {s['drain_s']} s later: {s['completed_per_s']:.0f} completed/s)"
    if m and m["ok"]:
        line += f" | moto {m['requests_per_s']:.0f}/s p50 {m['p50_ms']} ms p99 {m['p99_ms']} ms | ratio {s['requests_per_s'] / m['requests_per_s']:.0f}x"
        if m.get("completed_per_s") and s.get("completed_per_s"):
            line += f" (completed/s: moto {m['completed_per_s']:.0f}, ratio {s['completed_per_s'] / m['completed_per_s']:.0f}x)"
        elif m.get("drained") is False:
            line += f" (moto's executions still RUNNING {m['drain_s']:.0f} s later)"
    elif m:
        # moto 5.2.5's server has no StartSyncExecution (500 "has not been implemented"):
        # compare with its StartExecution on the executing backend, the nearest it has.
        alt = by.get(("moto", "StartExecution"))
        line += f" | moto: no {op} (HTTP {m['errors'][0]['status'] if m['errors'] else '?'})"
        if s and alt and alt["ok"]:
            line += f"; vs its StartExecution {alt['requests_per_s']:.0f}/s: {s['requests_per_s'] / alt['requests_per_s']:.0f}x"
    print(line)
PY
