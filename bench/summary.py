"""Prints one scale's results as a Markdown table: median, spread, ratio to
its floor, and peak memory (bench/run.sh writes the inputs).

A command's ratio to its floor is the median over rounds of the ratio within
each round, where the two ran one after the other."""
import glob
import json
import statistics
import sys

d, scale = sys.argv[1], sys.argv[2]
rounds = []
for f in sorted(glob.glob(f"{d}/round-*.json")):
    rounds.append({r["command"]: r["times"][0] for r in json.load(open(f))["results"]})
times = {}
for rnd in rounds:
    for name, t in rnd.items():
        times.setdefault(name, []).append(t)
joint_runs = 0
for r in json.load(open(f"{d}/joint.json"))["results"]:
    times[r["command"]] = r["times"]
    joint_runs = len(r["times"])
memory = dict(line.rstrip("\n").split("\t") for line in open(f"{d}/memory.txt") if "\t" in line)
floors = {
    "check": "floor: parse every file",
    "history walk": "floor: git log --name-only",
    "log": "floor: git log --name-only",
    "calendar": "floor: parse every file",
    "check, 100,000 findings": "floor: parse, 100,000 late actions",
    "check, 100,000 findings, json": "floor: parse, 100,000 late actions",
    "check, 50 MB register": "floor: parse, 50 MB register",
    "status, 50 MB register": "floor: parse, 50 MB register",
    "log, 50 MB register": "floor: parse, 50 MB register",
}
label = f"scale {scale}" if scale != "cases" else "case"
print(f"\n| {label} | median (s) | min–max (s) | × floor | peak memory (MB) |")
print("|---|---:|---:|---:|---:|")
for name, ts in times.items():
    floor = floors.get(name)
    ratio = ""
    if floor:
        paired = [rnd[name] / rnd[floor] for rnd in rounds if name in rnd and floor in rnd]
        ratio = f"{statistics.median(paired):.2f}"
    mem = memory.get(name, "")
    mem = f"{int(mem) / 1024:.0f}" if mem.isdigit() else "?"
    print(f"| {name} | {statistics.median(ts):.3f} | {min(ts):.3f}–{max(ts):.3f} | {ratio} | {mem} |")
print(f"\n{len(rounds)} rounds; fork-joint {joint_runs} runs.")
