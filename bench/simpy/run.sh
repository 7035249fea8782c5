#!/usr/bin/env bash
# The same M/M/10 queue (Poisson arrivals at 40/s, exponential service with
# mean 200 ms, 10 servers, FIFO, 400,000 customers) in SimPy and in
# `stampede simulate examples/erlang-c.json`, one after the other; prints
# both wall times, both P(wait) and mean waits, and the ratio.
#
# Usage: bench/simpy/run.sh [CUSTOMERS] [--threads T]
# SimPy comes from PyPI (simpy==4.1.2) into a venv under target/simpy (once).
set -euo pipefail

n=400000 threads=""
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) n=$1 ;;
  esac
  shift
done

die() { echo "simpy: $*" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || die "python3 is not installed (SimPy runs on it)"
command -v cargo >/dev/null 2>&1 || die "Stampede is built with cargo"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
venv=$target/simpy/venv

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import simpy' 2>/dev/null; then
  echo "simpy: installing simpy==4.1.2 into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'simpy==4.1.2'
fi

echo "simpy: building stampede (release)" >&2
(cd "$root" && cargo build --quiet --release -p stampede-cli)
bin=$target/release/stampede
[ -x "$bin" ] || die "stampede was not built at $bin"

# The scenario with the requested number of executions, next to the example
# so that its definition resolves.
sc=$root/examples/.erlang-c.$n.tmp.json
trap 'rm -f "$sc" "$sc.report.json"' EXIT
python3 - "$root/examples/erlang-c.json" "$sc" "$n" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
v["executions"] = int(sys.argv[3])
json.dump(v, open(sys.argv[2], "w"))
PY

echo "simpy: SimPy, $n customers" >&2
py=$("$venv/bin/python" "$here/mm10.py" "$n" 1)
echo "simpy: stampede simulate, $n executions" >&2
t0=$(date +%s.%N)
"$bin" simulate "$sc" -q --json "$sc.report.json" ${threads:+--threads "$threads"}
t1=$(date +%s.%N)
python3 - "$py" "$sc.report.json" "$t0" "$t1" <<'PY'
import json, sys
py = json.loads(sys.argv[1])
rep = json.load(open(sys.argv[2]))
st = float(sys.argv[4]) - float(sys.argv[3])
r = next(iter(rep["resources"].values()))
# Erlang C for lambda=40/s, mu=5/s, c=10: P(wait)=0.40918, mean wait 40.918 ms.
print(f"SimPy     {py['wall_s']:8.3f} s  P(wait) {py['p_wait']:.4f}  mean wait {py['mean_wait_ms']:.3f} ms  ({py['customers']} customers)")
print(f"Stampede  {st:8.3f} s  P(wait) {r['p_wait']:.4f}  mean wait {r['queue_wait_ms']['mean']:.3f} ms  ({rep['executions']['total']} executions, whole process)")
print(f"Erlang C            P(wait) 0.4092  mean wait 40.918 ms")
print(f"ratio (SimPy / Stampede wall): {py['wall_s'] / st:.1f}x")
PY
