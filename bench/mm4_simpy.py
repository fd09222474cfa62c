"""M/M/4 in SimPy: the baseline that bench/run.sh times scaleplay against.

Same model as bench/mm4.json: Poisson arrivals at 3.2/s, one FIFO queue in
front of 4 servers (simpy.Resource, capacity 4), exponential service with mean
1 s. 1,000,000 customers are generated; the run ends when the last one leaves.
Each response time (arrival to departure) goes into a running sum, so memory
stays flat, as in scaleplay, which keeps histograms rather than lists.

Prints one JSON line: customers, mean response (s), wall seconds, customers/s
(and CPU seconds, simulated time, versions). Only env.run() is timed.
Usage: python mm4_simpy.py [CUSTOMERS] [SEED]
"""

import json
import random
import sys
import time

import simpy

LAMBDA = 3.2  # arrivals per second
MEAN_SERVICE_S = 1.0
SERVERS = 4


def main() -> None:
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    expo = rng.expovariate
    env = simpy.Environment()
    station = simpy.Resource(env, capacity=SERVERS)
    stats = {"done": 0, "sum": 0.0}

    def customer():
        arrived = env.now
        with station.request() as req:
            yield req
            yield env.timeout(expo(1.0 / MEAN_SERVICE_S))
        stats["done"] += 1
        stats["sum"] += env.now - arrived

    def source():
        for _ in range(customers):
            yield env.timeout(expo(LAMBDA))
            env.process(customer())

    env.process(source())
    start, cpu_start = time.perf_counter(), time.process_time()
    env.run()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    done = stats["done"]
    print(json.dumps({
        "customers": done,
        "mean_response_s": stats["sum"] / done,
        "wall_s": round(wall, 3),
        "customers_per_s": round(done / wall, 1),
        "cpu_s": round(cpu, 3),
        "sim_time_s": round(env.now, 1),
        "simpy": simpy.__version__,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
