#!/usr/bin/env bash
# Benchmarks of bsrmp on large synthetic plans, with their floors measured in
# the same run (docs/benchmarks.md). Needs hyperfine, GNU time, git, python3.
#
#   bench/run.sh                 # the reference size, 5 rounds
#   SCALES="1 2 4" bench/run.sh  # how cost grows
#   RUNS=10 bench/run.sh
#   JOINT_RUNS=3 bench/run.sh    # fork-joint is the slowest: fewer runs
#
# After the scales, the cases of issue 21 run once: alike plans for
# fork-joint, 100,000 findings, and a 50 MB register.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALES=${SCALES:-1}
RUNS=${RUNS:-5}
JOINT_RUNS=${JOINT_RUNS:-$RUNS}
WORK=${WORK:-target/bench}
TODAY=2026-11-23
mkdir -p "$WORK"

for tool in hyperfine /usr/bin/time git python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install hyperfine time)"; exit 2; }
done

cargo build --release --quiet --bin bsrmp --example synthetic-plan --example parse-floor --example history-walk
BIN=$PWD/target/release/bsrmp
GEN=$PWD/target/release/examples/synthetic-plan
FLOOR=$PWD/target/release/examples/parse-floor
WALK=$PWD/target/release/examples/history-walk

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "bsrmp: $($BIN --version)"

# The generator stores objects whole; a repository anyone works in has
# been packed with deltas (every clone is), so the plans are repacked,
# with the full search for deltas that `git gc` gives loose objects.
pack() { git -C "$1" repack -a -d -f -q && git -C "$1" gc --quiet; }
# Peak memory of one run, into $dir/memory.txt.
mem() {
    local name=$1; shift
    /usr/bin/time -f "%M" -o "$dir/mem.tmp" "$@" >/dev/null 2>&1 || true
    echo "$name	$(tail -1 "$dir/mem.tmp")" >> "$dir/memory.txt"
}

for s in $SCALES; do
    dir=$WORK/x$s
    ours=$dir/ours
    theirs=$dir/theirs
    mkdir -p "$dir"
    [ -d "$ours/.git" ] || { "$GEN" "$ours" --scale "$s" && pack "$ours"; }
    [ -d "$theirs/.git" ] || { "$GEN" "$theirs" --scale "$s" --base meridian-project && pack "$theirs"; }
    echo "== scale $s: $(du -sh --exclude=.git "$ours" | cut -f1) of plan files, $(git -C "$ours" rev-list --count HEAD) commits"

    # Rounds: each round runs every command once, in turn, so a command and
    # its floor run seconds apart and share the machine's state at the time.
    # A ratio is the median of the rounds' ratios: it holds when the machine
    # slows down or speeds up during the run, which a block of runs of one
    # command and then a block of its floor does not.
    rm -f "$dir"/round-*.json
    for r in $(seq 1 "$RUNS"); do
        warmup=0
        [ "$r" = 1 ] && warmup=1
        echo "   round $r of $RUNS"
        hyperfine --style none --warmup "$warmup" --runs 1 \
            --export-json "$dir/round-$r.json" \
            -n "floor: parse every file" "$FLOOR $ours" \
            -n "check" "$BIN check $ours --today $TODAY --quiet" \
            -n "floor: git log --name-only" "git -C $ours log --name-only --format=%H" \
            -n "history walk" "$WALK $ours" \
            -n "log" "$BIN log $ours" \
            -n "calendar" "$BIN calendar $ours --today $TODAY --out $dir/due.ics --quiet" \
            -n "render html,md" "$BIN render $ours --out $dir/pack --format html,md --today $TODAY --quiet" \
            -n "render, every format" "$BIN render $ours --out $dir/pack-all --today $TODAY --quiet" \
            -n "export xlsx" "rm -f $dir/export.xlsx; $BIN export $ours --out $dir/export.xlsx --today $TODAY --quiet"
    done
    hyperfine --style basic --warmup 1 --runs "$JOINT_RUNS" \
        --export-json "$dir/joint.json" \
        --prepare "rm -rf $dir/joint" \
        -n "fork-joint" "$BIN fork-joint --ours $ours --theirs $theirs --out $dir/joint --quiet"

    # Peak memory, one run each.
    : > "$dir/memory.txt"
    mem "floor: parse every file" "$FLOOR" "$ours"
    mem "check" "$BIN" check "$ours" --today "$TODAY" --quiet
    mem "floor: git log --name-only" git -C "$ours" log --name-only --format=%H
    mem "history walk" "$WALK" "$ours"
    mem "log" "$BIN" log "$ours"
    mem "calendar" "$BIN" calendar "$ours" --today "$TODAY" --out "$dir/due.ics" --quiet
    mem "render html,md" "$BIN" render "$ours" --out "$dir/pack" --format html,md --today "$TODAY" --quiet
    mem "render, every format" "$BIN" render "$ours" --out "$dir/pack-all" --today "$TODAY" --quiet
    rm -f "$dir/export.xlsx"
    mem "export xlsx" "$BIN" export "$ours" --out "$dir/export.xlsx" --today "$TODAY" --quiet
    echo "   pack.pdf: $(du -k "$dir/pack-all/pack.pdf" | cut -f1) KB, export.xlsx: $(du -k "$dir/export.xlsx" | cut -f1) KB"
    rm -rf "$dir/joint"
    mem "fork-joint" "$BIN" fork-joint --ours "$ours" --theirs "$theirs" --out "$dir/joint" --quiet
    rm -rf "$dir/joint"

    python3 bench/summary.py "$dir" "$s"
done

# The cliffs outside a proportionate plan (issue 21), each once: two plans
# of 5,000 alike risks and objectives a side, a register giving 100,000
# findings, and a 50 MB register (104,000 risks) with its partner's twin.
cases=$WORK/cases
mkdir -p "$cases"
gen() { [ -d "$cases/$1/.git" ] || { "$GEN" "$cases/$1" "${@:2}" >/dev/null && pack "$cases/$1"; }; }
gen alike-ours --scale 0.25 --objectives 5000 --commits 500
gen alike-theirs --scale 0.25 --objectives 5000 --commits 500 --base meridian-project
gen late --scale 0 --late 100000 --commits 10
gen big --scale 0 --risks 104000 --commits 10
gen big-theirs --scale 0 --risks 104000 --commits 10 --base meridian-project
echo "== cases: $(du -k "$cases/big/registers/risks.yaml" | cut -f1) KB register, 100,000 late actions, 5,000 alike risks a side"
rm -f "$cases"/round-*.json
for r in $(seq 1 "$RUNS"); do
    warmup=0
    [ "$r" = 1 ] && warmup=1
    echo "   round $r of $RUNS"
    hyperfine --style none --warmup "$warmup" --runs 1 \
        --export-json "$cases/round-$r.json" \
        -n "floor: parse, 100,000 late actions" "$FLOOR $cases/late" \
        -n "check, 100,000 findings" "$BIN check $cases/late --today $TODAY" \
        -n "check, 100,000 findings, json" "$BIN check $cases/late --today $TODAY --format json" \
        -n "floor: parse, 50 MB register" "$FLOOR $cases/big" \
        -n "check, 50 MB register" "$BIN check $cases/big --today $TODAY --quiet" \
        -n "status, 50 MB register" "$BIN status $cases/big --today $TODAY" \
        -n "log, 50 MB register" "$BIN log $cases/big" \
        -n "render, every format, 50 MB register" "$BIN render $cases/big --out $cases/big-pack --today $TODAY --quiet"
done
hyperfine --style basic --warmup 1 --runs "$JOINT_RUNS" \
    --export-json "$cases/joint.json" \
    --prepare "rm -rf $cases/alike-joint $cases/big-joint" \
    -n "fork-joint, 5,000 alike risks a side" "$BIN fork-joint --ours $cases/alike-ours --theirs $cases/alike-theirs --out $cases/alike-joint --quiet" \
    -n "fork-joint, 50 MB registers" "$BIN fork-joint --ours $cases/big --theirs $cases/big-theirs --out $cases/big-joint --quiet"
dir=$cases
: > "$dir/memory.txt"
mem "floor: parse, 100,000 late actions" "$FLOOR" "$cases/late"
mem "check, 100,000 findings" "$BIN" check "$cases/late" --today "$TODAY"
mem "check, 100,000 findings, json" "$BIN" check "$cases/late" --today "$TODAY" --format json
mem "floor: parse, 50 MB register" "$FLOOR" "$cases/big"
mem "check, 50 MB register" "$BIN" check "$cases/big" --today "$TODAY" --quiet
mem "status, 50 MB register" "$BIN" status "$cases/big" --today "$TODAY"
mem "log, 50 MB register" "$BIN" log "$cases/big"
mem "render, every format, 50 MB register" "$BIN" render "$cases/big" --out "$cases/big-pack" --today "$TODAY" --quiet
rm -rf "$cases/alike-joint" "$cases/big-joint"
mem "fork-joint, 5,000 alike risks a side" "$BIN" fork-joint --ours "$cases/alike-ours" --theirs "$cases/alike-theirs" --out "$cases/alike-joint" --quiet
mem "fork-joint, 50 MB registers" "$BIN" fork-joint --ours "$cases/big" --theirs "$cases/big-theirs" --out "$cases/big-joint" --quiet
rm -rf "$cases/alike-joint" "$cases/big-joint"
python3 bench/summary.py "$cases" cases
