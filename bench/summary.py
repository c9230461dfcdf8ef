"""Prints one scale's results as a Markdown table: median, spread, ratio to
its floor, and peak memory (bench/run.sh writes the inputs)."""
import json
import statistics
import sys

d, scale = sys.argv[1], sys.argv[2]
results = []
for f in ("times.json", "joint.json"):
    results += json.load(open(f"{d}/{f}"))["results"]
memory = dict(line.rstrip("\n").split("\t") for line in open(f"{d}/memory.txt") if "\t" in line)
median = {r["command"]: statistics.median(r["times"]) for r in results}
floors = {
    "check": "floor: parse every file",
    "history walk": "floor: git log --name-only",
    "log": "floor: git log --name-only",
}
print(f"\n| scale {scale} | median (s) | min–max (s) | × floor | peak memory (MB) |")
print("|---|---:|---:|---:|---:|")
for r in results:
    name = r["command"]
    floor = floors.get(name)
    ratio = f"{median[name] / median[floor]:.2f}" if floor else ""
    mem = memory.get(name, "")
    mem = f"{int(mem) / 1024:.0f}" if mem.isdigit() else "?"
    print(f"| {name} | {median[name]:.3f} | {min(r['times']):.3f}–{max(r['times']):.3f} | {ratio} | {mem} |")
