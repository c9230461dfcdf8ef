# The operating records of the mature joint example, as tables, and the
# functions that write each register as it stood on a day ($D). Sourced by
# build.sh; every function writes into $repo.

# upto DATE: the record of DATE exists on $D.
upto() { on_or_before "$1" "$D"; }

# q TEXT: TEXT as a double-quoted YAML scalar, whatever it holds.
q() {
    local t=${1//\\/\\\\}
    printf '"%s"' "${t//\"/\\\"}"
}

header() {
    printf '# yaml-language-server: $schema=%s/.bsrmp/schemas/%s.schema.json\n' "$1" "$2"
}

#---------------------------------------------------------------------------
# Meetings of the joint management team, every 12 weeks.
# id|date|attendees|reviewed|actions|decision
MEETINGS='JMT-1|2027-01-18|gdoyle, aprice, nstroud, ojenkins, rhughes|objectives, risks, governance|A-J01, A-J02, A-J03|Run mobilisation as one team with a single plan; the joint planning workshop on 3 February settles the open joint decisions.
JMT-2|2027-04-12|gdoyle, aprice, nstroud, ojenkins, rhughes|risks, governance, objectives|A-J04|Go live on 4 May with two weeks of shadow running from the Bridgend depot first.
JMT-3|2027-07-05|gdoyle, aprice, nstroud, ojenkins, rhughes|performance, risks, issues, value|none|Start the backhaul of store returns (V-1) and the shared trailer pool at Bridgend (V-2).
JMT-4|2027-09-27|gdoyle, aprice, nstroud, ojenkins, rhughes|performance, risks, issues, trust, value, improvement|A-J06|First value review: V-1 to V-3 approved as a set; move to stage 6 with the JMT running the value programme.
JMT-5|2027-12-20|gdoyle, aprice, nstroud, ojenkins, rhughes|performance, risks, issues, trust, improvement|none|Make the weekly volume forecast permanent (L-2) and keep it eight weeks ahead through the peak.
JMT-6|2028-03-13|gdoyle, aprice, nstroud, ojenkins, rhughes|performance, risks, issues, trust, value, governance|A-J10|Second value review: V-1 to add supplier collections, V-3 rollout approved; Sian Williams takes over from Owen Jenkins on 3 April.
JMT-7|2028-06-05|gdoyle, aprice, nstroud, swilliams, rhughes|performance, risks, issues, trust, improvement|none|The dock scheduling of the 2027 peak (A-J07) holds; KPI-2 back on target for two quarters.
JMT-8|2028-08-28|gdoyle, aprice, nstroud, swilliams, rhughes|performance, risks, issues, trust, value, exit-strategy|A-J11|Third value review: V-2 realised; plan the 2028 peak together (issue I-3) and watch it from the exit strategy.
JMT-9|2028-11-20|gdoyle, aprice, nstroud, swilliams, rhughes|performance, risks, issues, trust, objectives|A-J12|All four measures on target in 2028-Q3; roll the portal out to the remaining stores.'

write_meetings() {
    local f=$repo/05-working-together/meetings.yaml
    {
        header .. meetings
        echo "# The joint management team's meetings (clause 7.2.1): every 12 weeks, on a Monday."
        echo "meetings:"
        while IFS='|' read -r id date who what acts decision; do
            upto "$date" || continue
            echo "  - id: $id"
            echo "    date: $date"
            echo "    attendees: [$who]"
            echo "    reviewed: [$what]"
            echo "    decisions:"
            echo "      - $(q "$decision")"
            [ "$acts" = none ] || echo "    actions: [$acts]"
        done <<< "$MEETINGS"
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# The joint action register.
# id|raised|stage|clause|owner|due|done|title
ACTIONS='A-J01|2027-01-18|5|7.2.1|gdoyle|2027-03-31|2027-03-29|Agree the joint mobilisation plan for the start of service on 4 May 2027
A-J02|2027-01-18|5|7.5.3|cokafor|2027-04-23|2027-04-20|Issue one set of yard and site safety rules for both fleets at Castle Donington
A-J03|2027-01-18|5|7.8|lpatel|2027-04-30|2027-04-28|Build the joint performance dashboard, fed by both parties'"'"' systems
A-J04|2027-04-12|5|7.1.3|tadeyemi|2027-06-30|2027-06-18|Write the joint induction pack for the joint management team and depot managers
A-J06|2027-09-20|6|9.4|aprice|2027-11-15|2027-11-08|Send Meridian'"'"'s planners a shared weekly volume forecast from the RDC
A-J05|2027-10-04|6|9.5|jtrevithick|2027-11-30|2027-11-22|Agree a night-access delivery plan for the Cornish stores with access limits
A-J08|2027-10-19|6|7.5.4|sbrennan|2027-11-30|2027-11-12|Name an owner for every joint risk (audit AU-1, finding 1)
A-J09|2027-10-19|6|7.9|aprice|2027-12-20|2027-12-20|Record every meeting'"'"'s actions in this register within a week (audit AU-1, finding 2)
A-J07|2028-01-04|7|9.5|gdoyle|2028-03-31|2028-03-24|Schedule the dock doors at Castle Donington for the peak weeks
A-J10|2028-03-13|7|9.4|nstroud|2028-04-30|2028-04-19|Induct Sian Williams, Meridian'"'"'s new commercial manager, into the relationship
A-J11|2028-08-28|7|9.7|rhughes|2028-12-12|-|Plan vehicle and driver capacity for the 2028 peak (issue I-3)
A-J12|2028-11-20|7|8.1|lpatel|2029-03-31|-|Roll the delivery-slot portal out to the remaining 31 stores (V-3)'

write_actions() {
    local f=$repo/registers/actions.yaml
    {
        header .. actions
        echo "# The joint action register: what the meetings, reviews, audits and results raised."
        echo "actions:"
        while IFS='|' read -r id raised stage clause owner due done title; do
            upto "$raised" || continue
            echo "  - id: $id"
            echo "    title: $(q "$title")"
            echo "    stage: $stage"
            echo "    clause: \"$clause\""
            echo "    owner: $owner"
            echo "    due: $due"
            if [ "$done" != - ] && upto "$done"; then
                echo "    status: done"
                echo "    done: $done"
            elif [ "$id" = A-J11 ]; then
                echo "    status: in-progress"
            else
                echo "    status: open"
            fi
        done <<< "$ACTIONS"
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# SER reviews: the two SERs together, a week after each meeting.
# id|date|inputs|conclusion|actions
JOINT_SER='JSR-1|2027-01-25|JMT-1 minutes; the 23 open joint decisions|The joint plan is the basis of the final bid; the workshop on 3 February settles the joint decisions.|A-J01
JSR-2|2027-04-19|Contract award of 1 March; the mobilisation plan; JMT-2 minutes|Service starts on 4 May as planned; the joint induction pack is to be ready before the end of June.|A-J04
JSR-3|2027-07-12|First two months of service; KPI-1 to KPI-4 for 2027-Q2; JMT-3 minutes|Performance is on target; value initiatives V-1 and V-2 approved for the JMT to run.|A-J04
JSR-4|2027-10-04|KPI-1 missed in 2027-Q3; trust assessments for 2027-Q3; JMT-4 minutes|The Cornish access problem and late volume warnings are the two things to fix before the peak.|A-J05, A-J06, A-J08
JSR-5|2027-12-27|Audit AU-1 report; first value review; JMT-5 minutes|Audit actions on track; the relationship moves to stage 7 in January with the stage 7 narrative.|A-J09
JSR-6|2028-03-20|KPI-2 missed in the 2027 peak; issue I-2 resolved; handover of Meridian'"'"'s commercial manager|Peak dock scheduling to be in place for 2028; Sian Williams to be inducted within her first month.|A-J07, A-J10
JSR-7|2028-06-12|KPI results for 2028-Q1; second value review; audit AU-2|Trust scores are rising on both sides; extend the trailer pool to Exeter.|A-J10
JSR-8|2028-09-04|Issue I-3 (2028 peak capacity); exit strategy triggers; JMT-8 minutes|Both parties commit extra vehicles for the peak; I-3 stays with the JMT until the plan is agreed.|A-J11
JSR-9|2028-11-27|Audit AU-3 report; third value review; KPI results for 2028-Q3|V-2 is realised; the portal rollout (A-J12) and the peak plan (A-J11) are the next quarter'"'"'s priorities.|A-J11, A-J12'

write_joint_ser_reviews() {
    local f=$repo/registers/ser-reviews.yaml
    {
        header .. ser-reviews
        echo "# The SERs' joint reviews of the relationship (clause 9.6), a week after each JMT meeting."
        echo "reviews:"
        while IFS='|' read -r id date inputs conclusion acts; do
            upto "$date" || continue
            echo "  - id: $id"
            echo "    date: $date"
            # The chair alternates between the two SERs.
            if [ $((${id#JSR-} % 2)) = 1 ]; then echo "    chair: eharcourt"; else echo "    chair: kholloway"; fi
            echo "    attendees: [eharcourt, kholloway, gdoyle, nstroud]"
            echo "    inputs:"
            echo "      - $(q "$inputs")"
            echo "    conclusions:"
            echo "      - $(q "$conclusion")"
            echo "    actions: [$acts]"
        done <<< "$JOINT_SER"
        true
    } > "$f"
}

# Each party's SER keeps reviewing its own plan, the day after the joint review.
PARTY_SER_DATES='2027-01-26 2027-04-20 2027-07-13 2027-10-05 2027-12-28 2028-03-21 2028-06-13 2028-09-05 2028-11-28'

# write_party_ser_reviews PARTY PREFIX FIRST SER: the party's reviews, the
# ones from before the joint plan (kept in $work) and those since.
write_party_ser_reviews() {
    local party=$1 prefix=$2 n=$3 ser=$4
    local f=$repo/parties/$party/registers/ser-reviews.yaml
    cp "$work/before/$party-ser-reviews.yaml" "$f"
    for date in $PARTY_SER_DATES; do
        upto "$date" || continue
        cat >> "$f" <<EOF
  - id: $prefix-$n
    date: $date
    chair: $ser
    inputs:
      - The joint SER review of the week and the joint plan's measures
    conclusions:
      - Our part of the joint plan is on course; nothing for this plan to change.
EOF
        n=$((n + 1))
    done
}

#---------------------------------------------------------------------------
# Relationship assessments: each party's view, every quarter.
# date|period|northwind scores|meridian scores|meridian actions
# Scores: performance openness honesty responsiveness commitment fairness
# information_sharing communication early_warnings extra_mile.
ASSESSMENTS='2027-04-05|2027-Q1|3 4 4 3 4 4 3 3 3 3|4 3 4 3 4 3 3 3 3 3|-
2027-06-28|2027-Q2|3 4 4 4 4 4 3 4 3 3|4 3 4 3 4 3 3 3 3 3|-
2027-09-20|2027-Q3|3 4 4 4 4 4 4 4 3 3|3 3 4 3 4 3 3 3 2 3|A-J06
2027-12-13|2027-Q4|4 4 4 4 4 4 4 4 3 4|3 4 4 3 4 3 3 4 3 3|-
2028-03-06|2028-Q1|4 4 5 4 4 4 4 4 4 4|4 4 4 4 4 3 4 4 3 3|-
2028-05-29|2028-Q2|4 5 5 4 5 4 4 4 4 4|4 4 4 4 4 4 4 4 4 4|-
2028-08-21|2028-Q3|4 5 5 4 5 4 4 5 4 4|4 4 5 4 4 4 4 4 4 4|-
2028-11-13|2028-Q4|4 5 5 5 5 4 4 5 4 4|4 4 5 4 5 4 4 4 4 4|-'

ASPECTS=(performance openness honesty responsiveness commitment fairness information_sharing communication early_warnings extra_mile)

# scores INDENT "S1 S2 ...": the ten scores as a mapping.
scores() {
    local i=0
    for s in $2; do
        echo "$1${ASPECTS[$i]}: $s"
        i=$((i + 1))
    done
}

write_assessments() {
    local f=$repo/registers/assessments.yaml n=1
    {
        header .. assessments
        echo "# Trust and behaviour as each party sees the relationship (clauses 9.1 and 9.4),"
        echo "# every quarter, from a survey of its people who work in it."
        echo "assessments:"
        while IFS='|' read -r date period nw md acts; do
            upto "$date" || continue
            for party in northwind meridian; do
                echo "  - id: RA-$n"
                echo "    period: $period"
                echo "    date: $date"
                echo "    party: $party"
                if [ $party = northwind ]; then
                    echo "    assessor: aprice"
                    echo "    scores:"
                    scores "      " "$nw"
                    echo "    evidence: Survey of the Northwind people in the relationship, and the JMT's own discussion."
                else
                    echo "    assessor: nstroud"
                    echo "    scores:"
                    scores "      " "$md"
                    echo "    evidence: Survey of the Meridian planners, depot managers and drivers' representatives."
                    [ "$acts" = - ] || echo "    actions: [$acts]"
                fi
                n=$((n + 1))
            done
        done <<< "$ASSESSMENTS"
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# Measures, with a result for each quarter from the start of service.
RESULT_DATES=(2027-07-05 2027-10-04 2028-01-04 2028-04-04 2028-07-04 2028-10-04)
PERIODS=(2027-Q2 2027-Q3 2027-Q4 2028-Q1 2028-Q2 2028-Q3)
# id|objective|party|owner|value unit direction|measure|results (one per period; VALUE/ACTION when missed)
MEASURES='KPI-1|northwind-OBJ-J2|meridian|nstroud|97.5 % at-least|Store deliveries made within the booked slot|97.8 96.1/A-J05 97.6 98.2 98.4 98.1
KPI-2|northwind-OBJ-J2|northwind|aprice|98 % at-least|Loads ready at the RDC dock by their booked departure|98.6 98.3 96.8/A-J07 98.4 98.9 99.1
KPI-3|northwind-OBJ-J3|meridian|rhughes|18 % at-most|Share of Meridian'"'"'s miles on the work run empty|17.9 17.2 16.5 15.8 14.9 14.1
KPI-4|northwind-OBJ-J2|northwind|gdoyle|2.0 complaints per 1,000 deliveries at-most|Store complaints about deliveries|1.9 1.7 2.0 1.6 1.4 1.3'

write_measures() {
    local f=$repo/05-working-together/measures.yaml
    {
        header .. measures
        echo "# The joint measures (clauses 7.8 and 9.5), reported by their owning party each quarter."
        echo "kpis:"
        while IFS='|' read -r id objective party owner target measure results; do
            read -r value unit <<< "${target% *}"
            echo "  - id: $id"
            echo "    objective: $objective"
            echo "    measure: $measure"
            echo "    target: {value: $value, unit: \"$unit\", direction: ${target##* }}"
            echo "    frequency: Quarterly, reported in the first week after the quarter"
            echo "    interval_days: 92"
            echo "    owner: $owner"
            echo "    party: $party"
            local i=0 any=
            for r in $results; do
                if upto "${RESULT_DATES[$i]}"; then
                    [ -n "$any" ] || echo "    results:"
                    any=1
                    if [ "${r#*/}" != "$r" ]; then
                        echo "      - {period: ${PERIODS[$i]}, date: ${RESULT_DATES[$i]}, value: ${r%/*}, action: ${r#*/}}"
                    else
                        echo "      - {period: ${PERIODS[$i]}, date: ${RESULT_DATES[$i]}, value: $r}"
                    fi
                fi
                i=$((i + 1))
            done
        done <<< "$MEASURES"
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# Value initiatives and their six-monthly reviews.


# review N DATE REVIEWER VALUE NOTE: the Nth review of an initiative, when due.
value_review() {
    upto "$2" || return 0
    [ "$1" = 1 ] && echo "    reviews:"
    echo "      - date: $2"
    echo "        reviewer: $3"
    echo "        realised: {value: $4, unit: GBP a year}"
    echo "        note: $(q "$5")"
}

write_value() {
    local f=$repo/registers/value.yaml
    {
        header .. value
        echo "# The joint value creation programme (clauses 8.1 to 8.3 and 9.3), reviewed every six months."
        echo "initiatives:"
        cat <<EOF
  - id: V-1
    title: Carry store returns back to the RDC on Meridian's return legs
    area: cost
    baseline: Returns collected by a separate weekly vehicle from each store.
    target: Every store's returns on the next delivery's return leg.
    measure: Cost of returns collection, per year, against the 2026 baseline.
    owner: rhughes
    team: Joint backhaul team (two Northwind planners, one Meridian planner)
    status: $(upto 2027-09-27 && echo in-progress || echo evaluating)
    forecast: {value: 180000, unit: GBP a year}
EOF
        if upto 2027-09-27; then echo "    realised: {value: $(upto 2028-08-28 && echo 142000 || { upto 2028-03-13 && echo 81000 || echo 9000; }), unit: GBP a year}"; fi
        value_review 1 2027-09-27 gdoyle 9000 "Approved with V-2 and V-3; running at 12 Welsh stores since July."
        value_review 2 2028-03-13 gdoyle 81000 "Behind forecast: store returns are lighter than expected; supplier collections added."
        value_review 3 2028-08-28 nstroud 142000 "All stores, with supplier collections; still below forecast but rising."
        cat <<EOF
    raised_by: meridian
  - id: V-2
    title: A shared trailer pool at Bridgend
    area: resource
    baseline: Each party kept its own spare trailers at Bridgend (14 in all).
    target: Nine trailers in one pool serving both fleets.
    measure: Yearly cost of the trailers held, against 2026.
    owner: mevans
    team: Bridgend yard team of both parties
    status: $(upto 2028-08-28 && echo realised || { upto 2027-09-27 && echo in-progress || echo evaluating; })
    forecast: {value: 65000, unit: GBP a year}
EOF
        if upto 2027-09-27; then echo "    realised: {value: $(upto 2028-08-28 && echo 71000 || { upto 2028-03-13 && echo 52000 || echo 6000; }), unit: GBP a year}"; fi
        value_review 1 2027-09-27 nstroud 6000 "Started at once; pool of 12 trailers in use."
        value_review 2 2028-03-13 nstroud 52000 "Pool down to nine trailers."
        value_review 3 2028-08-28 gdoyle 71000 "Above forecast; realised and handed to normal operations."
        echo "    benefit_realised: Five fewer trailers leased, and fewer empty trailer moves between the yards."
        echo "    raised_by: northwind"
        upto 2027-09-27 || return 0
        cat <<EOF
  - id: V-3
    title: A joint delivery-slot booking portal for the stores
    area: process
    baseline: Stores book and move delivery slots by phone with two planning desks.
    target: Every slot booked or moved online, seen by both parties at once.
    measure: Planning desk hours saved, costed at the agreed rate, per year.
    owner: lpatel
    team: Joint systems team (Hannah Cole and Leena Patel)
    status: $(upto 2028-03-13 && echo in-progress || echo approved)
    forecast: {value: 40000, unit: GBP a year}
EOF
        if upto 2028-03-13; then echo "    realised: {value: $(upto 2028-08-28 && echo 12000 || echo 2000), unit: GBP a year}"; fi
        value_review 1 2028-03-13 gdoyle 2000 "Pilot at 12 stores judged a success; rollout approved."
        value_review 2 2028-08-28 nstroud 12000 "Live at 43 stores, slower than planned; the rest by March 2029 (A-J12)."
        echo "    raised_by: northwind"
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# Audits: planned, then held.
write_audits() {
    local f=$repo/registers/audits.yaml
    {
        header .. audits
        echo "# Internal and joint audits of the relationship (clause 7.9)."
        echo "audits:"
        cat <<EOF
  - id: AU-1
    kind: joint
    scope: Stage 5 governance, the joint risk register and the action register
    planned: 2027-10-15
    auditor: Northwind group internal audit, with Meridian's quality manager
EOF
        if upto 2027-10-19; then
            cat <<EOF
    done: 2027-10-19
    findings:
      - Three joint risks had no named owner after staff moves.
      - Actions agreed in meetings lived only in the minutes for up to a month.
    actions: [A-J08, A-J09]
EOF
        fi
        upto 2027-12-20 || return 0
        cat <<EOF
  - id: AU-2
    kind: internal
    scope: Meridian's compliance with the subcontract and the joint safety rules
    planned: 2028-04-18
    auditor: Meridian quality and compliance team
EOF
        if upto 2028-04-18; then
            cat <<EOF
    done: 2028-04-18
    findings:
      - No nonconformities; two drivers' site inductions were renewed late and have been since.
EOF
        fi
        upto 2028-06-05 || return 0
        cat <<EOF
  - id: AU-3
    kind: joint
    scope: Stage 7 of the plan - measures, trust assessments, value reviews and the exit strategy
    planned: 2028-10-16
    auditor: Meridian's quality manager, with Northwind group internal audit
EOF
        if upto 2028-10-23; then
            cat <<EOF
    done: 2028-10-23
    findings:
      - The records are complete and current; the peak capacity plan (I-3) is the main open item.
EOF
        fi
        upto 2028-11-20 || return 0
        cat <<EOF
  - id: AU-4
    kind: joint
    scope: Value creation and lessons learned since AU-1
    planned: 2029-04-20
    auditor: Northwind group internal audit
EOF
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# The issue log.
write_issues() {
    local f=$repo/registers/issues.yaml
    {
        header .. issues
        echo "# The joint issue log (clause 9.7): settled at the lowest level that can, in time."
        echo "issues:"
        cat <<EOF
  - id: I-1
    title: Failed deliveries at Cornish stores with vehicle access limits
    raised: 2027-06-14
    raised_by: meridian
    area: process
    level: management
    escalate_by: 2027-07-12
    owner: jtrevithick
EOF
        if upto 2027-09-14; then
            cat <<EOF
    status: resolved
    resolution: Night deliveries and smaller vehicles for six stores, agreed with the councils (A-J05).
    resolved: 2027-09-14
EOF
        else
            echo "    status: open"
        fi
        upto 2027-12-06 || return 0
        cat <<EOF
  - id: I-2
    title: How the fuel surcharge follows the diesel index
    raised: 2027-12-06
    raised_by: meridian
    area: commercial
    level: management
    escalate_by: 2028-01-31
    owner: pkaur
EOF
        if upto 2028-02-12; then
            cat <<EOF
    status: resolved
    resolution: Monthly indexation on the government's weekly diesel price, backdated to 1 December.
    resolved: 2028-02-12
EOF
        else
            echo "    status: open"
        fi
        upto 2028-08-28 || return 0
        cat <<EOF
  - id: I-3
    title: Vehicle and driver capacity for the 2028 peak
    raised: 2028-08-28
    raised_by: northwind
    area: process
    level: management
    escalate_by: 2028-12-15
    owner: rhughes
    status: open
EOF
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# Lessons learned.
# id|date|source|owner|action|applied|lesson|change
LESSONS='L-1|2027-09-27|JMT-4|jtrevithick|A-J05|2027-11-22|A store'"'"'s access limits must be known before it goes live, not learned from a failed delivery.|An access survey is part of bringing a store on, and its notes are held in the route plan.
L-2|2027-12-20|JMT-5|aprice|A-J06|2027-12-20|Monthly volume figures came too late for Meridian to plan the peak.|A shared weekly forecast, eight weeks ahead from October to December.
L-3|2027-10-19|AU-1|aprice|A-J09|2027-12-20|Actions noted in the minutes but not in the register get lost.|Meeting actions go into the register within a week, and each meeting opens with them.
L-4|2028-03-13|JMT-6|nstroud|A-J10|2028-04-19|A seat on the JMT changing hands needs an overlap and an induction.|A new JMT member overlaps with the one leaving and is inducted within a month.'

write_lessons() {
    local f=$repo/06-value-creation/lessons.yaml
    {
        header .. lessons
        echo "# What the relationship has learned, and what changed (clauses 8.5 and 9.9)."
        echo "lessons:"
        while IFS='|' read -r id date source owner action applied lesson change; do
            upto "$date" || continue
            echo "  - id: $id"
            echo "    date: $date"
            echo "    source: $(q "$source")"
            echo "    lesson: $(q "$lesson")"
            echo "    change: $(q "$change")"
            echo "    action: $action"
            echo "    owner: $owner"
            if upto "$applied"; then echo "    applied: $applied"; fi
        done <<< "$LESSONS"
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# Governance and communications.
write_governance() {
    local f=$repo/05-working-together/governance.yaml commercial=ojenkins
    if upto 2028-04-03; then commercial=swilliams; fi
    {
        header .. governance
        cat <<EOF
# The joint governance (clauses 7.1 to 7.2.3 and 9.2), reviewed at least every year.
governance:
  joint_management_team: [gdoyle, aprice, nstroud, $commercial, rhughes]
  mandate: >-
    Runs the relationship day to day: the joint plan, the measures, the risk and issue
    registers and the value programme, within the budgets and authority the two SERs set.
  points_of_contact:
    - {party: northwind, person: aprice}
    - {party: meridian, person: nstroud}
  meeting_frequency: Every 12 weeks, and within five working days when either party asks
  dispute_resolution: >-
    Settled at the lowest level within 10 working days; then by the JMT at its next meeting
    or within 15 working days; then by the two SERs together. Neither party goes to the
    contract's formal dispute clause before the SERs have met.
  roles:
    - person: eharcourt
      role: SER, Northwind
      responsibilities: Sponsors the relationship for Northwind and approves the joint plan with Meridian's SER.
      authority: As in the SER appointment (01-awareness/ser.yaml).
    - person: kholloway
      role: SER, Meridian
      responsibilities: Sponsors the relationship for Meridian and approves the joint plan with Northwind's SER.
      authority: As in the SER appointment (01-awareness/ser.yaml).
    - person: gdoyle
      role: Joint management team chair (Northwind)
      responsibilities: Chairs the JMT, owns the stage 5 narrative and the joint risk register.
      authority: Spending up to 25,000 GBP per item a year without the SERs.
    - person: nstroud
      role: Collaborative leader (Meridian)
      responsibilities: Leads Meridian's side of the work and owns the stage 7 narrative.
      authority: Commits Meridian's fleet and depots within the contract's volumes.
    - person: aprice
      role: Relationship manager (Northwind)
      responsibilities: Keeps the plan, the action register and the measures; Northwind's point of contact.
      authority: Day-to-day planning changes with Meridian's network planning.
    - person: $commercial
      role: Commercial manager (Meridian)
      responsibilities: Meridian's commercial terms, surcharges and invoicing questions.
      authority: Settles commercial questions up to 25,000 GBP.
EOF
        upto 2027-02-15 && cat <<EOF
  reviews:
    - date: 2027-02-15
      reviewer: gdoyle
      changes: Set up at the joint planning workshop and agreed by both SERs.
EOF
        upto 2028-01-24 && cat <<EOF
    - date: 2028-01-24
      reviewer: nstroud
      changes: >-
        Yearly review: the structure confirmed unchanged; the JMT keeps its 12-week cycle
        and its limit of 25,000 GBP per item a year.
EOF
        true
    } > "$f"
}

write_communications() {
    local f=$repo/05-working-together/communications.yaml
    {
        header .. communications
        cat <<'EOF'
# The joint communications plan (clause 7.4).
stakeholders:
  - id: ST-1
    stakeholder: Brackenridge's logistics director and store operations team
    party: northwind
    needs: Performance against the service levels, and any change that reaches the stores
    method: Monthly service review and a written quarterly report
    frequency: Monthly
    owner: gdoyle
  - id: ST-2
    stakeholder: Drivers, planners and depot staff of both parties
    party: meridian
    needs: Changes to routes, slots and site rules before they happen
    method: Briefing notes and the depots' shift meetings
    frequency: Weekly
    owner: nstroud
  - id: ST-3
    stakeholder: Both boards
    party: northwind
    needs: How the relationship performs and what it risks
    method: The SERs' one-page note after each joint SER review
    frequency: Every 12 weeks
    owner: eharcourt
  - id: ST-4
    stakeholder: Store managers in Wales and the South West
    party: meridian
    needs: Who to call, and what changes in their delivery slots
    method: The slot-booking portal and a named Meridian contact per store
    frequency: As things change
    owner: jtrevithick
EOF
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# The exit strategy the partners agreed, and its reviews.
write_exit() {
    local f=$repo/registers/exit-strategy.yaml last=2027-03-08
    if upto 2028-02-07; then last=2028-02-07; fi
    if upto 2028-08-28; then last=2028-08-28; fi
    {
        header .. exit-strategy
        cat <<EOF
# The joint exit strategy (clauses 4.5.8, 9.8 and 10.1 to 10.6), agreed after the award
# and reviewed every year.
exit_strategy:
  owner: gdoyle
  last_reviewed: $last
  reviews:
    - date: 2027-03-08
      reviewer: pkaur
      changes: >-
        The two parties' strategies merged into one after the award: triggers and concerns
        agreed, notice aligned with the five-year term to 2032, and who does what on exit.
EOF
        upto 2028-02-07 && cat <<EOF
    - date: 2028-02-07
      reviewer: ojenkins
      changes: >-
        Yearly review: the service trigger now watches KPI-1 over a rolling quarter; the
        pooled trailers (V-2) and the slot portal (V-3) added to the transition list.
EOF
        upto 2028-08-28 && cat <<EOF
    - date: 2028-08-28
      reviewer: nstroud
      changes: At JMT-8, a trigger for peak capacity the SERs cannot settle, watching issue I-3.
EOF
        cat <<'EOF'
  triggers:
    - trigger: Store deliveries within the booked slot below 96% for a whole quarter
      watch: [KPI-1]
    - trigger: Brackenridge ends the contract early, or does not extend it in 2032
    - trigger: A change of ownership or control of either party
    - trigger: Either party insolvent, or Meridian losing its operator licence
    - trigger: A serious breach of safety or competition law by either party
EOF
        upto 2028-08-28 && cat <<'EOF'
    - trigger: Capacity disputes at the peak that the SERs cannot settle
      watch: [I-3]
EOF
        cat <<'EOF'
  key_concerns:
    - Deliveries to the 74 stores carry on whatever happens between the parties
    - Who keeps the route plans and the backhaul planning model built together
    - Brackenridge's store and order data held by Meridian is returned or deleted
    - Staff who may transfer between the parties under TUPE
  process_issues:
    - Ten to twelve weeks to stand up replacement capacity
    - Trailers in Brackenridge livery and the pooled trailers' leases
    - How the costs of an early exit are shared
    - Brackenridge's consent to any change of subcontractor
  responsibilities:
    - person: aprice
      duty: Runs the transition plan for Northwind and keeps the stores served.
    - person: nstroud
      duty: Hands over routes, vehicles and data for Meridian within the notice period.
    - person: pkaur
      duty: Settles the commercial close-out and the sharing of exit costs.
    - person: gdoyle
      duty: Keeps this strategy and leads the joint transition plan with Neil Stroud.
  notice_period: Twelve months in writing, either way.
  transition:
    - Route plans and store access notes
    - Data held for Brackenridge
    - Pooled trailers and their leases
    - Open claims and invoices
  continuity: Meridian keeps running every route until the replacement has run two weeks in shadow.
  future_opportunities: >-
    A joint lessons-learned review at the end, and each keeps the other on its tender lists.
EOF
        true
    } > "$f"
}

#---------------------------------------------------------------------------
# People: Owen Jenkins leaves Meridian's side, Sian Williams takes his place.
write_people() {
    local f=$repo/registers/people.yaml
    cp "$work/before/people.yaml" "$f"
    if upto 2028-03-31; then
        sed -i '/^- id: ojenkins$/,/^  party: meridian$/ s/^  party: meridian$/  party: meridian\n  left: 2028-03-31/' "$f"
    fi
    upto 2028-04-03 || return 0
    cat >> "$f" <<EOF
- id: swilliams
  name: Sian Williams
  role: Commercial Manager
  party: meridian
  email: sian.williams@meridian-freight.co.uk
  joined: 2028-04-03
EOF
    if upto 2028-04-19; then echo "  inducted: 2028-04-19" >> "$f"; fi
    echo "  replaces: ojenkins" >> "$f"
}

# write_all DATE: every operating register as it stood on DATE.
write_all() {
    D=$1
    write_meetings
    write_actions
    if upto 2027-01-25; then write_joint_ser_reviews; fi
    write_party_ser_reviews northwind PSR 5 eharcourt
    write_party_ser_reviews meridian MSR 6 kholloway
    write_people
    if upto 2027-02-03; then
        write_governance
        write_communications
        write_measures
    fi
    if upto 2027-03-08; then write_exit; fi
    if upto 2027-04-05; then write_assessments; fi
    if upto 2027-07-05; then
        write_value
        write_audits
        write_issues
        write_lessons
    fi
}
