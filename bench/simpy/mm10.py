"""An M/M/10 queue in SimPy: Poisson arrivals at 40/s, exponential service
with mean 200 ms, 10 servers taken first come first served, 400,000
customers. The same queue as `stampede simulate examples/erlang-c.json`.

Prints one JSON line: wall seconds, customers, P(wait), mean wait (ms).
Usage: python mm10.py [CUSTOMERS] [SEED]
"""
import json
import random
import sys
import time

import simpy

LAMBDA = 40.0  # arrivals per second
MEAN_S = 0.2  # mean service time, seconds
SERVERS = 10


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=SERVERS)
    waits = []

    def customer():
        arrived = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0 / MEAN_S))

    def arrivals():
        for _ in range(n):
            yield env.timeout(rng.expovariate(LAMBDA))
            env.process(customer())

    start = time.perf_counter()
    env.process(arrivals())
    env.run()
    wall = time.perf_counter() - start
    waited = sum(1 for w in waits if w > 0)
    print(json.dumps({
        "engine": "simpy",
        "customers": len(waits),
        "wall_s": round(wall, 3),
        "p_wait": round(waited / len(waits), 4),
        "mean_wait_ms": round(1000 * sum(waits) / len(waits), 3),
    }))


if __name__ == "__main__":
    main()
