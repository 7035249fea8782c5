"""Writes N JSON Lines items, the Distributed Map benchmarks' input:
python3 bench/dmap/items.py N FILE (run.sh and sim.sh call it)."""
import sys

n = int(sys.argv[1])
with open(sys.argv[2], "w") as f:
    for i in range(n):
        f.write('{"id":%d,"sku":"SKU-%06d","qty":%d}\n' % (i, i % 1000000, i % 7 + 1))
