#!/usr/bin/env bash
# Builds the mature joint example: the joint plan of Northwind Logistics and
# Meridian Freight Services two years into their Brackenridge contract, as a
# git repository whose every commit has a fixed date and author, so two runs
# give the same commits.
#
#   bash examples/mature-joint/build.sh OUT      (OUT must not exist, or be empty)
#   bsrmp check OUT --today 2028-12-01
#
# It starts from the two partners' own plans in examples/ (stage 4, November
# 2026), joins them with `bsrmp fork-joint`, and then lives the relationship:
# a joint management meeting every 12 weeks, the SERs' reviews, trust
# assessments by each party, measures reported each quarter, audits, value
# reviews, a change of key people, and yearly reviews of the documents with
# both SERs' approvals. Every register is written from the tables below "as of"
# the day of each step, so a record only appears once it exists and an action
# is done only from its done date.
#
# Needs bash, git, GNU sed and GNU date (Linux, or WSL), and bsrmp: set BSRMP
# to the binary, or it uses `bsrmp` on PATH, or else target/debug/bsrmp.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
examples=$(dirname "$here")
out=${1:?usage: build.sh OUT}
# The binary: $BSRMP, else bsrmp on PATH, else this checkout's debug build.
bsrmp=${BSRMP:-$(command -v bsrmp || echo "$examples/../target/debug/bsrmp")}
if ! [ -x "$bsrmp" ] && ! command -v "$bsrmp" > /dev/null; then
    echo "build.sh: no bsrmp binary: run cargo build first, or set BSRMP" >&2
    exit 2
fi

if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
    echo "build.sh: $out exists and is not empty; give a new folder" >&2
    exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
# The partners' repositories are built beside OUT, so that the joint plan's
# MERGE-REPORT.md names them by the same relative path on every run.
work=$(dirname "$out")/.$(basename "$out")-sources
if [ -e "$work" ]; then
    echo "build.sh: $work is in the way; remove it first" >&2
    exit 2
fi
mkdir "$work"
trap 'rm -rf "$work"' EXIT

# Nobody's own git settings may change the commits: no signing, no hooks, the
# same default branch.
export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 XDG_CONFIG_HOME=$work/home
mkdir -p "$HOME"
printf '[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n' > "$HOME/.gitconfig"
export TZ=UTC LC_ALL=C

declare -A NAME=(
    [eharcourt]="Eleanor Harcourt" [gdoyle]="Gareth Doyle" [aprice]="Alys Price"
    [rfletcher]="Rachel Fletcher" [kholloway]="Karen Holloway" [nstroud]="Neil Stroud"
    [pkaur]="Priya Kaur" [sbrennan]="Siobhan Brennan" [ojenkins]="Owen Jenkins" [swilliams]="Sian Williams" [rhughes]="Rhys Hughes"
)
email() {
    case $1 in
        eharcourt | gdoyle | aprice | rfletcher | pkaur | sbrennan)
            echo "${NAME[$1]// /.}@northwind-logistics.co.uk" | tr 'A-Z' 'a-z' ;;
        *) echo "${NAME[$1]// /.}@meridian-freight.co.uk" | tr 'A-Z' 'a-z' ;;
    esac
}

# as PERSON DATE: later git and bsrmp commands act as PERSON at 10:00 on DATE.
as() {
    export GIT_AUTHOR_NAME="${NAME[$1]}" GIT_COMMITTER_NAME="${NAME[$1]}"
    GIT_AUTHOR_EMAIL=$(email "$1")
    GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
    export GIT_AUTHOR_EMAIL GIT_COMMITTER_EMAIL
    export GIT_AUTHOR_DATE="$2T10:00:00Z" GIT_COMMITTER_DATE="$2T10:00:00Z"
    # bsrmp takes its identity from git's configuration, not the environment.
    git config --global user.name "${NAME[$1]}"
    git config --global user.email "$GIT_AUTHOR_EMAIL"
}

# commit PERSON DATE MESSAGE: everything changed in $repo, as one commit.
commit() {
    as "$1" "$2"
    git -C "$repo" add -A
    if git -C "$repo" diff --cached --quiet; then
        echo "build.sh: nothing changed for \"$3\" ($2)" >&2
        exit 1
    fi
    git -C "$repo" commit -q -m "$3"
}

# approve SER DATE MESSAGE FILE...: the SER approves the files as they are.
approve() {
    local who=$1 day=$2 msg=$3
    shift 3
    as "$who" "$day"
    "$bsrmp" approve -q "$repo" "$@" --by "$who" --as SER -m "$msg"
}

# set_review FILE DATE: the narrative's next review date.
set_review() {
    sed -i -E "s/^review_by: .*/review_by: $2/" "$1"
}

# The day is on or before the other (ISO dates compare as text).
on_or_before() { [[ ! "$1" > "$2" ]]; }

source "$here/records.sh"

#---------------------------------------------------------------------------
# The partners' own plans, as they stood in November 2026.
for party in northwind meridian; do
    repo=$work/$party
    mkdir -p "$repo"
    git -C "$repo" init -q
    cp -R "$examples/$party-project/." "$repo/"
done
repo=$work/northwind
commit gdoyle 2026-11-23 "Northwind's project plan for Castle Donington, at stage 4: Meridian selected as transport partner"
approve eharcourt 2026-11-24 "The project plan at stage 4 (PSR-3)" \
    01-awareness/README.md 02-knowledge/README.md 03-internal-assessment/README.md 04-partner-selection/README.md
repo=$work/meridian
commit nstroud 2026-11-19 "Meridian's project plan for the Brackenridge store deliveries, at stage 4: teaming with Northwind agreed"
approve kholloway 2026-11-20 "The project plan at stage 4" \
    01-awareness/README.md 02-knowledge/README.md 03-internal-assessment/README.md 04-partner-selection/README.md

#---------------------------------------------------------------------------
# The joint plan.
repo=$out
as aprice 2027-01-11
"$bsrmp" fork-joint -q --ours "$work/northwind" --theirs "$work/meridian" --out "$out"

source "$here/timeline.sh"
