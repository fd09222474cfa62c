"""Stretches a scenario to a number of expected client requests, for the benchmarks.

usage: python3 bench/stretch.py SCENARIO.json REQUESTS OUT.json

Sets `duration_s` so that the clients' total `rps` times the duration is REQUESTS (the
warm-up is dropped if it would not fit) and prints what it wrote.
"""
import json
import sys

scn = json.load(open(sys.argv[1]))
target = int(sys.argv[2])
rps = sum(n["params"]["rps"] for n in scn["nodes"] if n["kind"] == "client")
scn["duration_s"] = target / rps
if scn.get("warmup_s", 0) >= scn["duration_s"]:
    scn["warmup_s"] = 0
json.dump(scn, open(sys.argv[3], "w"), indent=1)
print(f"   {sys.argv[3]}: client rps {rps:g} x duration {scn['duration_s']:g} s "
      f"= {target:,} expected requests (warmup {scn.get('warmup_s', 0)} s)")
