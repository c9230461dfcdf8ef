# The two years of the mature joint example, step by step. Sourced by
# build.sh once fork-joint has made the joint plan in $repo.

# step DATE PERSON MESSAGE: the registers as of DATE, committed by PERSON.
step() {
    write_all "$1"
    commit "$2" "$1" "$3"
}

# both_sers DAY MESSAGE FILE...: Northwind's SER approves on DAY, Meridian's the day after.
both_sers() {
    local day=$1 msg=$2
    shift 2
    approve eharcourt "$day" "$msg" "$@"
    approve kholloway "$(date -u -d "$day + 1 day" +%F)" "$msg" "$@"
}

# place STAGE-FOLDER REVIEW_BY: the stage's narrative, as the partners wrote it.
place() {
    cp "$here/narratives/$1.md" "$repo/$1/README.md"
    set_review "$repo/$1/README.md" "$2"
}

# close_party_actions PARTY CUTOFF: the party's open actions due by CUTOFF are
# done, on their due date.
close_party_actions() {
    local f=$repo/parties/$1/registers/actions.yaml
    awk -v cutoff="$2" '
        function flush() {
            if (n == 0) return
            for (i = 1; i <= n; i++) {
                if (close_it && block[i] ~ /^    status: (open|in-progress)$/) {
                    print "    status: done"
                    print "    done: " due
                } else print block[i]
            }
            n = 0
        }
        /^  - id:/ { flush(); close_it = 0 }
        /^    due: / { due = $2; close_it = (due <= cutoff) }
        /^[^ ]/ { flush(); print; next }
        { block[++n] = $0 }
        END { flush() }
    ' "$f" > "$f.new"
    mv "$f.new" "$f"
}

# settle_decisions DAY: every joint decision settled at the planning workshop.
settle_decisions() {
    local f=$repo/registers/joint-decisions.yaml
    awk -v day="$1" '
        /^  topic: / { topic = $2 }
        /^  status: open$/ {
            print "  status: settled"
            if (topic == "common-objective") r = "Agreed as one joint objective; both records kept, the Northwind wording leads."
            else if (topic == "conflicting-objective") r = "Kept apart on purpose: each party keeps its own target and the JMT reviews the tension every year."
            else if (topic == "duplicate-risk") r = "One joint risk, owned by the party best placed to manage it; the other record kept for its history."
            else if (topic == "knowledge-conflict") r = "The stricter stance holds until the SERs agree otherwise; shared only as the knowledge map says."
            else r = "One joint exit strategy agreed, to be reviewed by both parties once the contract is awarded."
            print "  resolution: \"" r "\""
            print "  settled_by: gdoyle"
            print "  settled: " day
            next
        }
        { print }
    ' "$f" > "$f.new"
    mv "$f.new" "$f"
}

# review_risks NEXT: the JMT re-assessed every joint risk; the next by NEXT.
review_risks() {
    sed -i -E "s/^(  review_date: ).*/\1\"$1\"/" "$repo/registers/risks.yaml"
}

# What fork-joint wrote, which later steps add to.
mkdir -p "$work/before"
cp "$repo/registers/people.yaml" "$work/before/people.yaml"
for party in northwind meridian; do
    cp "$repo/parties/$party/registers/ser-reviews.yaml" "$work/before/$party-ser-reviews.yaml"
done

#---------------------------------------------------------------------------
# 2027: the bid, the award, mobilisation and the first months of service.
review_risks 2027-04-12
step 2027-01-18 aprice "JMT-1: the joint management team's first meeting; three mobilisation actions"
step 2027-01-25 eharcourt "JSR-1: the SERs' first joint review"
step 2027-01-26 rfletcher "The parties' SER reviews of January"

settle_decisions 2027-02-03
sed -i 's/^  state: common$/  state: agreed/' "$repo/registers/objectives.yaml"
for party in northwind meridian; do
    sed -i -E 's/^    status: (open|monitoring)$/    status: closed/' "$repo/parties/$party/registers/risks.yaml"
done
cat >> "$repo/rmp.toml" <<'EOF'

[intervals]
ser_review_days = 90
assessment_days = 90
exit_review_days = 365
meeting_days = 92
value_review_days = 183
governance_review_days = 366
induction_days = 30

[thresholds]
trust_score = 2
EOF
place 05-working-together 2028-02-15
for s in 06-value-creation 07-staying-together 08-exit-strategy; do
    set_review "$repo/$s/README.md" 2027-12-31
done
step 2027-02-03 gdoyle "Joint planning workshop: the 23 joint decisions settled, the governance, communications and measures agreed, the stage 5 narrative written; the parties' own risks now live in the joint register"
step 2027-02-15 gdoyle "The governance is agreed by both SERs"
both_sers 2027-02-15 "The joint plan, stage 5" 05-working-together/README.md

# Each party's yearly review of its own stage 1 to 4 documents.
annual_party_review() {
    local day=$1 next=$2
    for f in "$repo"/parties/*/0[1-4]-*/README.md; do
        set_review "$f" "$next"
    done
    commit rfletcher "$day" "The parties' yearly review of their own stage 1 to 4 documents"
    local docs=(01-awareness/README.md 02-knowledge/README.md 03-internal-assessment/README.md 04-partner-selection/README.md)
    approve eharcourt "$day" "Yearly review" "${docs[@]/#/parties/northwind/}"
    approve kholloway "$day" "Yearly review" "${docs[@]/#/parties/meridian/}"
}
annual_party_review 2027-02-22 2028-02-18

# The bid objective is met: Brackenridge's technical score is its measured result.
sed -i '/^- id: northwind-OBJ-J1$/,/^- id:/ s/^  due: "2027-01-15"$/&\n  achieved: 2027-03-01\n  result: {value: 84, unit: points of 100}/' "$repo/registers/objectives.yaml"
step 2027-03-08 pkaur "Contract awarded on 1 March, the bid scored 84 of 100 (OBJ-J1 achieved): the joint exit strategy agreed"
close_party_actions northwind 2027-03-31
close_party_actions meridian 2027-03-31
commit rfletcher 2027-03-31 "The parties' own actions due by March are done"
step 2027-04-05 aprice "Trust assessments for 2027-Q1, by each party"
review_risks 2027-07-05
step 2027-04-12 aprice "JMT-2: go-live on 4 May confirmed; risks re-assessed"
step 2027-04-19 kholloway "JSR-2"
step 2027-04-20 rfletcher "The parties' SER reviews of April"
step 2027-06-28 aprice "Trust assessments for 2027-Q2"
review_risks 2027-09-27
step 2027-07-05 aprice "JMT-3: first results of the service; the first ideas for value; the audit programme; the issue log"
step 2027-07-12 eharcourt "JSR-3"
step 2027-07-13 rfletcher "The parties' SER reviews of July"
step 2027-09-14 nstroud "Issue I-1 resolved"
step 2027-09-20 aprice "Trust assessments for 2027-Q3: Meridian's early warnings score is low, action A-J06"
review_risks 2027-12-20
sed -i 's/^stage = 5$/stage = 6/' "$repo/rmp.toml"
place 06-value-creation 2028-09-30
step 2027-09-27 aprice "JMT-4: the first value review; the plan moves to stage 6 with its narrative"
both_sers 2027-09-28 "The joint plan, stage 6" 06-value-creation/README.md
close_party_actions northwind 2027-12-31
close_party_actions meridian 2027-12-31
commit rfletcher 2027-09-30 "The parties' remaining own actions are done"
# Each party assesses its own collaborative maturity again every year.
reassess() {
    for party in northwind meridian; do
        sed -i -E "s/^(  assessed: ).*/\1$1/" "$repo/parties/$party/03-internal-assessment/maturity.yaml"
    done
    commit rfletcher "$1" "The parties' yearly internal assessment: maturity profiles assessed again"
}
reassess 2027-10-01
step 2027-10-04 aprice "KPI results for 2027-Q3: KPI-1 missed, action A-J05; JSR-4"
step 2027-10-05 rfletcher "The parties' SER reviews of October"
step 2027-10-19 sbrennan "Audit AU-1 held: two findings, actions A-J08 and A-J09"
step 2027-11-22 aprice "Actions A-J05, A-J06 and A-J08 done"
step 2027-12-06 ojenkins "Issue I-2 raised: the fuel surcharge indexation"
step 2027-12-13 aprice "Trust assessments for 2027-Q4"
review_risks 2028-03-13
step 2027-12-20 aprice "JMT-5: the weekly volume forecast made permanent; AU-2 planned"
step 2027-12-27 kholloway "JSR-5"
step 2027-12-28 rfletcher "The parties' SER reviews of December"

#---------------------------------------------------------------------------
# 2028: staying together.
step 2028-01-04 aprice "KPI results for 2027-Q4: KPI-2 missed in the peak, action A-J07"
sed -i 's/^stage = 6$/stage = 7/' "$repo/rmp.toml"
place 07-staying-together 2029-01-15
set_review "$repo/08-exit-strategy/README.md" 2028-12-31
step 2028-01-24 nstroud "The governance's yearly review; the plan moves to stage 7 with its narrative"
both_sers 2028-01-25 "The joint plan, stage 7" 07-staying-together/README.md
step 2028-02-07 ojenkins "The exit strategy's yearly review"
step 2028-02-12 pkaur "Issue I-2 resolved at JMT level"
set_review "$repo/05-working-together/README.md" 2029-02-15
commit gdoyle 2028-02-14 "The stage 5 narrative's yearly review"
both_sers 2028-02-14 "The joint plan, stage 5, yearly review" 05-working-together/README.md
annual_party_review 2028-02-21 2029-02-16
step 2028-03-06 aprice "Trust assessments for 2028-Q1"
review_risks 2028-06-05
step 2028-03-13 aprice "JMT-6: the second value review; Sian Williams to take over from Owen Jenkins"
step 2028-03-20 eharcourt "JSR-6"
step 2028-03-21 rfletcher "The parties' SER reviews of March"
step 2028-03-24 gdoyle "Action A-J07 done: dock scheduling for the peak"
step 2028-04-03 nstroud "Owen Jenkins has left the relationship; Sian Williams joins the JMT"
step 2028-04-04 aprice "KPI results for 2028-Q1"
step 2028-04-18 nstroud "Audit AU-2 held"
step 2028-04-19 nstroud "Sian Williams inducted (A-J10)"
step 2028-05-29 aprice "Trust assessments for 2028-Q2"
review_risks 2028-08-28
step 2028-06-05 aprice "JMT-7: AU-3 planned"
step 2028-06-12 kholloway "JSR-7"
step 2028-06-13 rfletcher "The parties' SER reviews of June"
step 2028-07-04 aprice "KPI results for 2028-Q2"
step 2028-08-21 aprice "Trust assessments for 2028-Q3"
review_risks 2028-11-20
step 2028-08-28 aprice "JMT-8: the third value review, V-2 realised; issue I-3, the 2028 peak, and its exit trigger"
step 2028-09-04 eharcourt "JSR-8"
step 2028-09-05 rfletcher "The parties' SER reviews of September"
set_review "$repo/06-value-creation/README.md" 2029-03-31
set_review "$repo/08-exit-strategy/README.md" 2029-06-30
commit aprice 2028-09-25 "The stage 6 narrative's yearly review"
both_sers 2028-09-25 "The joint plan, stage 6, yearly review" 06-value-creation/README.md
reassess 2028-09-29
step 2028-10-04 aprice "KPI results for 2028-Q3: all four measures on target"
step 2028-10-23 sbrennan "Audit AU-3 held"
step 2028-11-13 aprice "Trust assessments for 2028-Q4"
review_risks 2029-02-12
step 2028-11-20 aprice "JMT-9: the slot portal to the remaining stores (A-J12); AU-4 planned"
step 2028-11-27 kholloway "JSR-9"
step 2028-11-28 rfletcher "The parties' SER reviews of November"
