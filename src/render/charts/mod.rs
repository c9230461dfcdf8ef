//! Charts as inline SVG, each with a text alternative. Drawn by hand: a few
//! rectangles and lines, with no script and nothing fetched, so they work from
//! `file://`, print cleanly and need no charting dependency.

pub mod operating;

use std::fmt::Write;

use crate::plan::records::TrustScores;
use serde::Serialize;

/// An SVG image with its words: `title` heads it, `alt` says what it shows for
/// anyone who cannot see it (screen readers, plain-text copies).
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub alt: String,
    pub svg: String,
}

/// Escapes text for SVG content and attributes.
pub fn esc(s: &str) -> String {
    crate::xml::escape(s)
}

/// The charts' own styles, inside each SVG, so that a chart looks the same in
/// a page, in the PDF (where no page style sheet applies) and opened alone.
const STYLE: &str = "<style>\
text{font-family:'Libertinus Serif',system-ui,sans-serif;font-size:11px;fill:#1d2430}\
text.num{fill:#fff;font-weight:600}text.num-dark{font-weight:600}\
text.count{font-size:16px;font-weight:700}text.tick{fill:#5b6472;font-size:10px}text.axis{fill:#5b6472;font-size:12px}\
.st-met{fill:#2e7d32}.st-partial{fill:#b26a00}.st-missing{fill:#c62828}.st-waived{fill:#1565c0}\
.st-not-due{fill:#9aa5b1}.st-not-applicable{fill:#cfd6de}\
.heat-vl{fill:#e3f2e4}.heat-lo{fill:#fff6c4}.heat-md{fill:#ffd29a}.heat-hi{fill:#f59a9a}\
.frame{fill:none;stroke:#d5dae1}.grid{stroke:#d5dae1;stroke-dasharray:2 3}\
.s0{stroke:#1565c0;fill:#1565c0}.s1{stroke:#c2410c;fill:#c2410c}.s2{stroke:#2e7d32;fill:#2e7d32}.s3{stroke:#6a1b9a;fill:#6a1b9a}\
polyline.series{fill:none;stroke-width:2}\
.gap-narrow{fill:#7fb17f}.gap-wide{fill:#c62828}\
.mat-stage{fill:#1565c0}.mat-ability{fill:#2e7d32}.mat-attitude{fill:#b26a00}\
</style>";

/// Words wrapped to `chars` a line, at most `lines` lines; what does not fit
/// ends in an ellipsis, so a long title never runs into its neighbour.
pub(crate) fn wrap(s: &str, chars: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = textwrap::wrap(s.trim(), chars.max(4))
        .into_iter()
        .map(|l| l.into_owned())
        .collect();
    if out.len() > lines {
        out.truncate(lines);
        if let Some(last) = out.last_mut() {
            let keep: String = last.chars().take(chars.saturating_sub(1)).collect();
            *last = format!("{}…", keep.trim_end());
        }
    }
    out
}

fn open(out: &mut String, id: &str, w: u32, h: u32, title: &str, alt: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-t {id}-d" class="chart"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>{STYLE}"#,
        esc(title),
        esc(alt)
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="{class}">{}</text>"#,
        esc(s)
    );
}

fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, class: &str) {
    let _ = write!(
        out,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" class="{class}"/>"#
    );
}

/// One stage's clause counts, for the compliance chart.
#[derive(Debug, Clone)]
pub struct StageBar {
    pub label: String,
    /// (status class, label, count), in the order drawn.
    pub parts: Vec<(&'static str, &'static str, usize)>,
}

/// Horizontal stacked bars: each stage's clauses by status.
pub fn compliance(stages: &[StageBar]) -> Chart {
    let (label_w, bar_w, row_h, top) = (170.0, 420.0, 26.0, 10.0);
    let max = stages
        .iter()
        .map(|s| s.parts.iter().map(|p| p.2).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let legend_y = top + row_h * stages.len() as f64 + 14.0;
    let h = legend_y as u32 + 24;
    let mut alt = String::from("Clauses by status for each stage. ");
    let mut svg = String::new();
    let title = "Compliance by stage";
    for s in stages {
        let parts: Vec<String> = s
            .parts
            .iter()
            .filter(|p| p.2 > 0)
            .map(|p| format!("{} {}", p.2, p.1))
            .collect();
        let _ = write!(
            alt,
            "{}: {}. ",
            s.label,
            if parts.is_empty() {
                "no clauses".to_string()
            } else {
                parts.join(", ")
            }
        );
    }
    open(&mut svg, "chart-compliance", 640, h, title, alt.trim());
    for (i, s) in stages.iter().enumerate() {
        let y = top + row_h * i as f64;
        text(&mut svg, label_w - 8.0, y + 16.0, "end", "lbl", &s.label);
        let mut x = label_w;
        for (class, label, n) in &s.parts {
            if *n == 0 {
                continue;
            }
            let w = bar_w * *n as f64 / max;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="18" class="st-{class}"><title>{}: {n} {}</title></rect>"#,
                y + 3.0,
                esc(&s.label),
                esc(label)
            );
            if w >= 16.0 {
                text(
                    &mut svg,
                    x + w / 2.0,
                    y + 16.0,
                    "middle",
                    "num",
                    &n.to_string(),
                );
            }
            x += w;
        }
    }
    // The legend, from the first stage's parts (all stages list the same statuses).
    let mut x = label_w;
    if let Some(first) = stages.first() {
        for (class, label, _) in &first.parts {
            rect(&mut svg, x, legend_y, 12.0, 12.0, &format!("st-{class}"));
            text(&mut svg, x + 16.0, legend_y + 10.5, "start", "lbl", label);
            x += 22.0 + 7.0 * label.len() as f64;
        }
    }
    svg.push_str("</svg>");
    Chart {
        id: "compliance".into(),
        title: title.into(),
        alt: alt.trim().to_string(),
        svg,
    }
}

/// The lowest score (likelihood × impact) of the heat map's top band: a risk
/// that needs attention while it is open.
pub const HIGH_SCORE: u8 = 15;

/// A 5 × 5 grid of likelihood against impact, counting the risks in each cell.
/// `risks` holds (likelihood, impact), each 1-5.
pub fn heat_map(risks: &[(u8, u8)]) -> Chart {
    let mut counts = [[0usize; 5]; 5];
    for &(l, i) in risks {
        if (1..=5).contains(&l) && (1..=5).contains(&i) {
            counts[(l - 1) as usize][(i - 1) as usize] += 1;
        }
    }
    let title = "Risk heat map";
    let mut cells = Vec::new();
    for l in (1..=5).rev() {
        for i in (1..=5).rev() {
            let n = counts[l - 1][i - 1];
            if n > 0 {
                cells.push(format!("{n} at likelihood {l}, impact {i}"));
            }
        }
    }
    let alt = if cells.is_empty() {
        "No open risk has both a likelihood and an impact scored.".to_string()
    } else {
        format!(
            "Open risks by likelihood and impact (1 to 5): {}.",
            cells.join("; ")
        )
    };
    let (cell, left, top) = (56.0, 70.0, 10.0);
    let mut svg = String::new();
    open(&mut svg, "chart-heat", 400, 370, title, &alt);
    for l in 1..=5u8 {
        for i in 1..=5u8 {
            let x = left + cell * (i - 1) as f64;
            let y = top + cell * (5 - l) as f64;
            let score = l * i;
            let band = match score {
                HIGH_SCORE.. => "hi",
                8..=14 => "md",
                4..=7 => "lo",
                _ => "vl",
            };
            let n = counts[(l - 1) as usize][(i - 1) as usize];
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" class="heat-{band}"><title>likelihood {l}, impact {i}: {n}</title></rect>"#,
                cell - 2.0,
                cell - 2.0
            );
            if n > 0 {
                text(
                    &mut svg,
                    x + cell / 2.0 - 1.0,
                    y + cell / 2.0 + 5.0,
                    "middle",
                    "count",
                    &n.to_string(),
                );
            }
        }
        let y = top + cell * (5 - l) as f64 + cell / 2.0 + 4.0;
        text(&mut svg, left - 8.0, y, "end", "lbl", &l.to_string());
    }
    for i in 1..=5u8 {
        let x = left + cell * (i - 1) as f64 + cell / 2.0 - 1.0;
        text(
            &mut svg,
            x,
            top + cell * 5.0 + 16.0,
            "middle",
            "lbl",
            &i.to_string(),
        );
    }
    text(
        &mut svg,
        left + cell * 2.5,
        top + cell * 5.0 + 38.0,
        "middle",
        "axis",
        "impact",
    );
    let _ = write!(
        svg,
        r#"<text x="18" y="{:.1}" text-anchor="middle" class="axis" transform="rotate(-90 18 {:.1})">likelihood</text>"#,
        top + cell * 2.5,
        top + cell * 2.5
    );
    svg.push_str("</svg>");
    Chart {
        id: "heat".into(),
        title: title.into(),
        alt,
        svg,
    }
}

/// One relationship assessment: whose view, when, and its ten scores.
#[derive(Debug, Clone)]
pub struct TrustPoint {
    pub party: String,
    /// What the x axis shows: the period, or else the date.
    pub when: String,
    pub scores: [Option<u8>; 10],
}

/// At most this many points a line: a panel is 160 pixels wide, and more
/// periods than this are grouped into spans, each drawn as its mean.
const TRUST_SPANS: usize = 24;

/// The assessments as each party's mean score per aspect in each span of
/// periods, so that the chart stays readable, and small, however many
/// assessments a plan holds (4,000 at four times the bench's size drew
/// 24,000 dots, 2.6 MB of SVG).
struct TrustSpans<'a> {
    parties: Vec<&'a str>,
    /// The periods assessed, in time order.
    periods: usize,
    /// Each span's label: its period, or its first and last.
    labels: Vec<String>,
    /// `[party][aspect][span]`.
    sums: Vec<Vec<Vec<SpanScores>>>,
}

/// The sum and number of one party's scores for one aspect in one span;
/// `None` where the party made no assessment in the span.
type SpanScores = Option<(u32, u32)>;

impl<'a> TrustSpans<'a> {
    fn of(points: &'a [TrustPoint]) -> Self {
        let mut whens: Vec<&str> = Vec::new();
        let mut when_at: std::collections::HashMap<&str, usize> = Default::default();
        let mut parties: Vec<&str> = Vec::new();
        let mut party_at: std::collections::HashMap<&str, usize> = Default::default();
        for p in points {
            when_at.entry(&p.when).or_insert_with(|| {
                whens.push(&p.when);
                whens.len() - 1
            });
            party_at.entry(&p.party).or_insert_with(|| {
                parties.push(&p.party);
                parties.len() - 1
            });
        }
        let n = whens.len().clamp(1, TRUST_SPANS);
        let span = |i: usize| i * n / whens.len().max(1);
        let labels = (0..n)
            .map(|s| {
                let mut of_span = (0..whens.len()).filter(|&i| span(i) == s);
                let first = of_span.next().map_or("", |i| whens[i]);
                match of_span.next_back() {
                    Some(last) => format!("{first} to {}", whens[last]),
                    None => first.to_string(),
                }
            })
            .collect();
        let mut sums = vec![vec![vec![None; n]; TrustScores::ASPECTS.len()]; parties.len()];
        for p in points {
            let (pi, si) = (party_at[p.party.as_str()], span(when_at[p.when.as_str()]));
            for (k, score) in p.scores.iter().enumerate() {
                let cell: &mut SpanScores = &mut sums[pi][k][si];
                let (sum, count) = cell.get_or_insert((0, 0));
                if let Some(s) = score {
                    *sum += u32::from(*s);
                    *count += 1;
                }
            }
        }
        TrustSpans {
            parties,
            periods: whens.len(),
            labels,
            sums,
        }
    }

    fn grouped(&self) -> bool {
        self.labels.len() < self.periods
    }

    /// The party's mean score for an aspect in each span it assessed:
    /// `(span, mean)`, the mean `None` where it gave no score.
    fn means(&self, party: usize, aspect: usize) -> impl Iterator<Item = (usize, Option<f64>)> {
        self.sums[party][aspect]
            .iter()
            .enumerate()
            .filter_map(|(s, c)| {
                let (sum, count) = (*c)?;
                Some((s, (count > 0).then(|| f64::from(sum) / f64::from(count))))
            })
    }

    fn alt(&self) -> String {
        let mut alt = format!(
            "Scores from 1 to 5 for the ten aspects of trust, over {} assessment period(s), for {}. ",
            self.periods,
            self.parties.join(" and ")
        );
        if self.grouped() {
            let _ = write!(
                alt,
                "The periods are shown in {} spans, each the mean of its scores. ",
                self.labels.len()
            );
        }
        for (k, (_, name)) in TrustScores::ASPECTS.iter().enumerate() {
            let series: Vec<String> = (0..self.parties.len())
                .map(|pi| {
                    let vals: Vec<String> = self
                        .means(pi, k)
                        .map(|(s, mean)| match mean {
                            Some(m) => format!("{} {}", self.labels[s], score_text(m)),
                            None => format!("{} not scored", self.labels[s]),
                        })
                        .collect();
                    format!("{}: {}", self.parties[pi], vals.join(", "))
                })
                .collect();
            let _ = write!(alt, "{name}: {}. ", series.join("; "));
        }
        alt.trim().to_string()
    }
}

/// A score as said: whole, or to one decimal place when it is a mean.
fn score_text(mean: f64) -> String {
    if mean.fract() == 0.0 {
        format!("{mean:.0}")
    } else {
        format!("{mean:.1}")
    }
}

/// Small multiples, one panel per aspect of trust: each party's score over
/// time as a line. `points` are in time order. `None` with no scores at all.
pub fn trust(points: &[TrustPoint]) -> Option<Chart> {
    if points.iter().all(|p| p.scores.iter().all(Option::is_none)) {
        return None;
    }
    let spans = TrustSpans::of(points);
    let (pw, ph, cols) = (200.0, 120.0, 5usize);
    let legend_h = 22.0;
    let w = pw * cols as f64 + 10.0;
    let h = ph * 2.0 + legend_h + 24.0;
    let title = "Relationship assessment: trust over time";
    let alt = spans.alt();
    let mut svg = String::new();
    open(&mut svg, "chart-trust", w as u32, h as u32, title, &alt);
    let n = spans.labels.len();
    for (k, (_, name)) in TrustScores::ASPECTS.iter().enumerate() {
        let (col, row) = (k % cols, k / cols);
        let (x0, y0) = (10.0 + pw * col as f64, legend_h + ph * row as f64);
        let (gx, gy, gw, gh) = (x0 + 22.0, y0 + 22.0, pw - 40.0, ph - 50.0);
        text(&mut svg, x0 + pw / 2.0, y0 + 14.0, "middle", "lbl", name);
        rect(&mut svg, gx, gy, gw, gh, "frame");
        for s in [1u8, 3, 5] {
            let y = gy + gh - gh * (s - 1) as f64 / 4.0;
            let _ = write!(
                svg,
                r#"<line x1="{gx:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" class="grid"/>"#,
                gx + gw
            );
            text(&mut svg, gx - 4.0, y + 3.5, "end", "tick", &s.to_string());
        }
        let xs = |i: usize| {
            if n <= 1 {
                gx + gw / 2.0
            } else {
                gx + gw * i as f64 / (n - 1) as f64
            }
        };
        if let (Some(first), Some(last)) = (spans.labels.first(), spans.labels.last()) {
            let first = first.split(" to ").next().unwrap_or(first);
            let last = last.rsplit(" to ").next().unwrap_or(last);
            text(&mut svg, gx, gy + gh + 13.0, "start", "tick", first);
            if n > 1 {
                text(&mut svg, gx + gw, gy + gh + 13.0, "end", "tick", last);
            }
        }
        for pi in 0..spans.parties.len() {
            let pts: Vec<(f64, f64)> = spans
                .means(pi, k)
                .filter_map(|(s, mean)| {
                    Some((xs(s), gy + gh - gh * (mean?.clamp(1.0, 5.0) - 1.0) / 4.0))
                })
                .collect();
            let class = format!("series s{}", pi % 4);
            if pts.len() > 1 {
                let d: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
                let _ = write!(
                    svg,
                    r#"<polyline points="{}" class="{class}"/>"#,
                    d.join(" ")
                );
            }
            for (x, y) in pts {
                let _ = write!(
                    svg,
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" class="dot s{}"/>"#,
                    pi % 4
                );
            }
        }
    }
    let mut lx = 14.0;
    for (pi, party) in spans.parties.iter().enumerate() {
        rect(&mut svg, lx, 5.0, 12.0, 12.0, &format!("key s{}", pi % 4));
        text(&mut svg, lx + 16.0, 15.5, "start", "lbl", party);
        lx += 30.0 + 7.0 * party.chars().count() as f64;
    }
    svg.push_str("</svg>");
    Some(Chart {
        id: "trust".into(),
        title: title.into(),
        alt,
        svg,
    })
}

/// For a joint plan: how far apart the parties' latest scores are, per aspect.
/// `None` unless at least two parties have scored.
pub fn trust_gap(points: &[TrustPoint]) -> Option<Chart> {
    let mut latest: Vec<&TrustPoint> = Vec::new();
    for p in points.iter().rev() {
        if !latest.iter().any(|l| l.party == p.party) {
            latest.push(p);
        }
    }
    if latest.len() < 2 {
        return None;
    }
    latest.reverse();
    let gaps: Vec<(&str, Option<u8>)> = TrustScores::ASPECTS
        .iter()
        .enumerate()
        .map(|(k, (_, name))| {
            let scored: Vec<u8> = latest.iter().filter_map(|p| p.scores[k]).collect();
            let gap = if scored.len() >= 2 {
                let (lo, hi) = (scored.iter().min()?, scored.iter().max()?);
                Some(hi - lo)
            } else {
                None
            };
            Some((*name, gap))
        })
        .collect::<Option<_>>()?;
    let names: Vec<&str> = latest.iter().map(|p| p.party.as_str()).collect();
    let title = "Relationship assessment: gap between the parties";
    let parts: Vec<String> = gaps
        .iter()
        .map(|(n, g)| match g {
            Some(g) => format!("{n} {g}"),
            None => format!("{n} not scored by all"),
        })
        .collect();
    let alt = format!(
        "The difference between the highest and lowest latest score of {} (0 means they agree, 4 is the widest): {}.",
        names.join(", "),
        parts.join(", ")
    );
    let (label_w, bar_w, row_h) = (150.0, 300.0, 22.0);
    let h = (row_h * gaps.len() as f64 + 40.0) as u32;
    let mut svg = String::new();
    open(&mut svg, "chart-gap", 520, h, title, &alt);
    for (i, (name, gap)) in gaps.iter().enumerate() {
        let y = 8.0 + row_h * i as f64;
        text(&mut svg, label_w - 8.0, y + 13.0, "end", "lbl", name);
        match gap {
            Some(g) => {
                let w = bar_w * *g as f64 / 4.0;
                let class = if *g >= 2 { "gap-wide" } else { "gap-narrow" };
                rect(&mut svg, label_w, y + 2.0, w.max(1.0), 14.0, class);
                text(
                    &mut svg,
                    label_w + w + 6.0,
                    y + 13.0,
                    "start",
                    "num-dark",
                    &g.to_string(),
                );
            }
            None => text(
                &mut svg,
                label_w,
                y + 13.0,
                "start",
                "tick",
                "not scored by all",
            ),
        }
    }
    let axis_y = 8.0 + row_h * gaps.len() as f64 + 14.0;
    for g in 0..=4u8 {
        text(
            &mut svg,
            label_w + bar_w * g as f64 / 4.0,
            axis_y,
            "middle",
            "tick",
            &g.to_string(),
        );
    }
    svg.push_str("</svg>");
    Some(Chart {
        id: "gap".into(),
        title: title.into(),
        alt,
        svg,
    })
}

fn grade_value(g: char) -> Option<u8> {
    match g {
        'A' => Some(4),
        'B' => Some(3),
        'C' => Some(2),
        'D' => Some(1),
        _ => None,
    }
}

/// The maturity chart in words: each stage's level, each attribute's grades.
fn maturity_alt(
    stages: &[(String, char)],
    profile: &[(String, Option<char>, Option<char>)],
) -> String {
    let mut alt = String::from("Grades from D (most limited) to A (highest). ");
    if !stages.is_empty() {
        let s: Vec<String> = stages.iter().map(|(n, g)| format!("{n} {g}")).collect();
        let _ = write!(alt, "Level per stage: {}. ", s.join(", "));
    }
    if !profile.is_empty() {
        let p: Vec<String> = profile
            .iter()
            .map(|(a, ab, at)| {
                format!(
                    "{a}: ability {}, attitude {}",
                    ab.map_or("not graded".to_string(), |g| g.to_string()),
                    at.map_or("not graded".to_string(), |g| g.to_string())
                )
            })
            .collect();
        let _ = write!(alt, "Profile: {}.", p.join("; "));
    }
    alt.trim().to_string()
}

/// Maturity: the level recorded for each stage, and the profile's ability and
/// attitude per attribute. Grades run from D (most limited) to A (highest).
/// `None` when the plan records neither.
pub fn maturity(
    stages: &[(String, char)],
    profile: &[(String, Option<char>, Option<char>)],
) -> Option<Chart> {
    if stages.is_empty() && profile.is_empty() {
        return None;
    }
    let title = "Collaborative maturity";
    let alt = maturity_alt(stages, profile);
    let (label_w, bar_w, row_h) = (210.0, 280.0, 20.0);
    let rows = stages.len() + profile.len() * 2 + if profile.is_empty() { 0 } else { 1 };
    let legend = if profile.is_empty() { 0.0 } else { 22.0 };
    let h = (row_h * rows as f64 + 44.0 + legend) as u32;
    let mut svg = String::new();
    open(&mut svg, "chart-maturity", 560, h, title, &alt);
    let mut y = 8.0;
    let bar = |svg: &mut String, y: f64, g: Option<char>, class: &str| match g.and_then(grade_value)
    {
        Some(v) => {
            let w = bar_w * v as f64 / 4.0;
            rect(svg, label_w, y + 2.0, w, 14.0, class);
            text(
                svg,
                label_w + w + 6.0,
                y + 13.0,
                "start",
                "num-dark",
                &g.unwrap_or('?').to_string(),
            );
        }
        None => text(svg, label_w, y + 13.0, "start", "tick", "not graded"),
    };
    // About 30 characters fit the label column; an attribute has the
    // height of two bars, so its name may take two lines.
    let chars = 30;
    for (name, g) in stages {
        let line = wrap(name, chars, 1).concat();
        text(&mut svg, label_w - 8.0, y + 13.0, "end", "lbl", &line);
        bar(&mut svg, y, Some(*g), "mat-stage");
        y += row_h;
    }
    if !profile.is_empty() {
        y += row_h / 2.0;
        for (attr, ability, attitude) in profile {
            let lines = wrap(attr, chars, 2);
            let top = if lines.len() > 1 { y + 13.0 } else { y + 20.0 };
            for (k, line) in lines.iter().enumerate() {
                text(
                    &mut svg,
                    label_w - 8.0,
                    top + 13.0 * k as f64,
                    "end",
                    "lbl",
                    line,
                );
            }
            bar(&mut svg, y, *ability, "mat-ability");
            bar(&mut svg, y + row_h - 4.0, *attitude, "mat-attitude");
            y += row_h * 2.0;
        }
    }
    // The grades under the bars, then the legend under them.
    for (i, g) in ["D", "C", "B", "A"].iter().enumerate() {
        text(
            &mut svg,
            label_w + bar_w * (i + 1) as f64 / 4.0,
            y + 14.0,
            "middle",
            "tick",
            g,
        );
    }
    y += 22.0;
    if !profile.is_empty() {
        rect(&mut svg, label_w, y + 4.0, 12.0, 12.0, "mat-ability");
        text(
            &mut svg,
            label_w + 16.0,
            y + 14.5,
            "start",
            "lbl",
            "ability",
        );
        rect(
            &mut svg,
            label_w + 90.0,
            y + 4.0,
            12.0,
            12.0,
            "mat-attitude",
        );
        text(
            &mut svg,
            label_w + 106.0,
            y + 14.5,
            "start",
            "lbl",
            "attitude",
        );
    }
    svg.push_str("</svg>");
    Some(Chart {
        id: "maturity".into(),
        title: title.into(),
        alt,
        svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_map_counts_cells_and_escapes_nothing_it_needs_not() {
        let c = heat_map(&[(5, 5), (5, 5), (1, 2)]);
        assert!(c.alt.contains("2 at likelihood 5, impact 5"));
        assert!(c.alt.contains("1 at likelihood 1, impact 2"));
        assert!(c.svg.starts_with("<svg") && c.svg.ends_with("</svg>"));
    }

    #[test]
    fn text_in_charts_is_escaped() {
        let p = TrustPoint {
            party: "<script>alert(1)</script>".into(),
            when: "Q1 & Q2".into(),
            scores: [Some(3); 10],
        };
        let c = trust(&[p]).unwrap();
        assert!(!c.svg.contains("<script>"));
        assert!(c.svg.contains("&lt;script&gt;"));
        assert!(c.svg.contains("Q1 &amp; Q2"));
    }

    fn scored(party: &str, when: String, score: u8) -> TrustPoint {
        TrustPoint {
            party: party.into(),
            when,
            scores: [Some(score); 10],
        }
    }

    #[test]
    fn a_few_periods_are_drawn_one_point_each() {
        let points: Vec<TrustPoint> = (1..=3)
            .flat_map(|q| {
                [
                    scored("a", format!("Q{q}"), q),
                    scored("b", format!("Q{q}"), 5),
                ]
            })
            .collect();
        let c = trust(&points).unwrap();
        assert_eq!(c.svg.matches("<circle").count(), 3 * 2 * 10);
        assert!(c.alt.contains("over 3 assessment period(s)"), "{}", c.alt);
        assert!(
            c.alt.contains("a: Q1 1, Q2 2, Q3 3; b: Q1 5, Q2 5, Q3 5"),
            "{}",
            c.alt
        );
        assert!(!c.alt.contains("spans"));
    }

    #[test]
    fn many_periods_are_grouped_into_spans_of_their_mean() {
        // 1,000 periods of two parties: one point a span, not 1,000.
        let points: Vec<TrustPoint> = (0..1000)
            .flat_map(|i| {
                let when = format!("P{i:04}");
                [
                    scored("a", when.clone(), 1 + (i % 2) as u8),
                    scored("b", when, 4),
                ]
            })
            .collect();
        let c = trust(&points).unwrap();
        assert_eq!(c.svg.matches("<circle").count(), TRUST_SPANS * 2 * 10);
        assert!(
            c.alt.contains("over 1000 assessment period(s)"),
            "{}",
            c.alt
        );
        assert!(c.alt.contains(&format!("shown in {TRUST_SPANS} spans")));
        // The first span holds P0000 to P0041: 21 scores of 1 and 21 of 2.
        assert!(
            c.alt.contains("a: P0000 to P0041 1.5,"),
            "{}",
            &c.alt[..400]
        );
        assert!(c.alt.contains("b: P0000 to P0041 4,"));
        assert!(c.svg.contains(">P0000</text>") && c.svg.contains(">P0999</text>"));
        assert!(c.svg.len() < 60_000, "{} bytes", c.svg.len());
    }

    #[test]
    fn an_assessment_without_a_score_is_said_not_scored() {
        let mut quiet = scored("a", "Q2".into(), 1);
        quiet.scores[0] = None;
        let c = trust(&[scored("a", "Q1".into(), 3), quiet]).unwrap();
        assert!(
            c.alt.contains("Performance: a: Q1 3, Q2 not scored."),
            "{}",
            c.alt
        );
    }

    #[test]
    fn gap_needs_two_parties() {
        let a = TrustPoint {
            party: "a".into(),
            when: "Q1".into(),
            scores: [Some(4); 10],
        };
        assert!(trust_gap(std::slice::from_ref(&a)).is_none());
        let mut b = a.clone();
        b.party = "b".into();
        b.scores[0] = Some(1);
        let c = trust_gap(&[a, b]).unwrap();
        assert!(c.alt.contains("Performance 3"), "{}", c.alt);
        assert!(c.alt.contains("Openness 0"));
    }

    #[test]
    fn maturity_needs_something_recorded() {
        assert!(maturity(&[], &[]).is_none());
        let c = maturity(&[("Stage 1".into(), 'B')], &[]).unwrap();
        assert!(c.alt.contains("Stage 1 B"));
    }

    #[test]
    fn maturity_labels_wrap_and_the_grades_sit_above_the_legend() {
        let long = "Operational delivery with a transport partner".to_string();
        let c = maturity(&[], &[(long, Some('B'), Some('A'))]).unwrap();
        let texts: Vec<&str> = c
            .svg
            .split("<text ")
            .skip(1)
            .filter_map(|t| t.split('>').nth(1)?.split('<').next())
            .collect();
        assert!(texts.contains(&"Operational delivery with a"), "{texts:?}");
        assert!(texts.contains(&"transport partner"), "{texts:?}");
        assert!(texts.iter().all(|t| t.chars().count() <= 30), "{texts:?}");
        let y_of = |s: &str| -> f64 {
            let at = c.svg.find(&format!(">{s}</text>")).unwrap();
            let tag = &c.svg[c.svg[..at].rfind("<text").unwrap()..at];
            let y = tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap();
            y.parse().unwrap()
        };
        assert!(
            y_of("D") < y_of("ability"),
            "the legend comes before the grades"
        );
    }
}
