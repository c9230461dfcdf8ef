//! The charts of the plan in operation (stages 5 to 8): measures against
//! their targets, a timeline of what was held and what falls due, and value
//! forecast against realised. They are given data already judged (on target,
//! overdue) by the plan's own logic, so a chart decides nothing it draws.

use std::fmt::Write;

use super::{Chart, esc, open, rect, text, wrap};
use crate::plan::date::Date;
use crate::plan::records::{Direction, Quantity};

/// Styles of these charts only, after the shared ones. Inline SVG styles
/// apply to the whole page, hence the `op-` prefix.
const STYLE: &str = "<style>\
text.op-h{font-size:12px;font-weight:700}text.op-b{font-weight:700}\
text.op-small{font-size:10px;fill:#5b6472}text.op-warn{font-size:10px;fill:#c62828;font-weight:700}\
.op-back{fill:#fff;fill-opacity:0.85}\
.op-rule{stroke:#9aa5b1}.op-miss{fill:#fdeeee}\
line.op-target{stroke:#1d2430;stroke-width:1.2;stroke-dasharray:5 3}\
polyline.op-line{fill:none;stroke:#1565c0;stroke-width:1.8}\
.op-met{fill:#1565c0;stroke:#1565c0}.op-off{fill:#c62828;stroke:#c62828;stroke-width:1.5}.op-unanswered{fill:#fff}\
line.op-track{stroke:#d5dae1;stroke-width:2}.op-held{fill:#1565c0;stroke:#fff;stroke-width:1}\
.op-next{fill:#fff;stroke:#5b6472;stroke-width:1.5}.op-overdue{fill:#c62828;stroke:#c62828;stroke-width:1.5}\
line.op-today{stroke:#b26a00;stroke-width:1.5;stroke-dasharray:4 3}text.op-today{fill:#b26a00;font-size:10px;font-weight:700}\
.op-forecast{fill:#c9dcf2;stroke:#1565c0;stroke-width:1}.op-realised{fill:#2e7d32}\
text.op-in{font-size:10px;fill:#fff;font-weight:600}text.op-in-dark{font-size:10px;fill:#1d2430}\
</style>";

/// About how wide text is, in pixels: the charts fall back to a sans-serif
/// font, which runs wider than the PDF's serif, so this errs wide.
fn width_of(s: &str, px: f64) -> f64 {
    s.chars().count() as f64 * px * 0.58
}

/// A number as people read it: thousands grouped, at most two decimals.
fn num(v: f64) -> String {
    if !v.is_finite() || v.abs() >= 1e15 {
        return format!("{v}");
    }
    let cents = (v.abs() * 100.0).round() as u64;
    let (int, frac) = (cents / 100, cents % 100);
    let digits = int.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && digits.len() > 3 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && cents > 0 { "-" } else { "" };
    match frac {
        0 => format!("{sign}{grouped}"),
        f if f % 10 == 0 => format!("{sign}{grouped}.{}", f / 10),
        f => format!("{sign}{grouped}.{f:02}"),
    }
}

/// A value with its unit: `95%`, `120,000 GBP`.
fn with_unit(v: f64, unit: &str) -> String {
    match unit.chars().next() {
        None => num(v),
        Some(c) if c.is_alphanumeric() => format!("{} {unit}", num(v)),
        Some(_) => format!("{}{unit}", num(v)),
    }
}

/// A round step that cuts `range` into about `n` parts (1, 2, 2.5 or 5 × 10ⁿ).
fn nice_step(range: f64, n: f64) -> f64 {
    let raw = (range / n).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|s| f <= *s)
        .unwrap_or(10.0);
    nice * mag
}

/// The round values between `lo` and `hi`, for the ticks of an axis.
fn ticks(lo: f64, hi: f64, n: f64) -> Vec<f64> {
    let step = nice_step(hi - lo, n);
    let mut out = Vec::new();
    let mut t = (lo / step).ceil() * step;
    while t <= hi + step * 1e-6 && out.len() < 20 {
        out.push(if t.abs() < step * 1e-6 { 0.0 } else { t });
        t += step;
    }
    out
}

fn line(out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64, class: &str) {
    let _ = write!(
        out,
        r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" class="{class}"/>"#
    );
}

/// A diamond centred on (x, y): the off-target and due marks, told apart from
/// the round marks by shape as well as colour.
fn diamond(out: &mut String, x: f64, y: f64, r: f64, class: &str, tip: &str) {
    let _ = write!(
        out,
        r#"<polygon points="{:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1}" class="{class}"><title>{}</title></polygon>"#,
        x - r,
        y - r,
        x + r,
        y + r,
        esc(tip)
    );
}

fn dot(out: &mut String, x: f64, y: f64, r: f64, class: &str, tip: &str) {
    let _ = write!(
        out,
        r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" class="{class}"><title>{}</title></circle>"#,
        esc(tip)
    );
}

/// Text placed so that it stays between `lo` and `hi`.
fn text_within(out: &mut String, x: f64, y: f64, lo: f64, hi: f64, class: &str, s: &str) {
    let half = width_of(s, 10.0) / 2.0;
    let x = x.clamp(lo + half, (hi - half).max(lo + half));
    text(out, x, y, "middle", class, s);
}

/// A mark's label, on a white ground so that the lines it crosses (today,
/// the grid, a measure's line) do not run through its words.
fn mark_label(out: &mut String, x: f64, y: f64, lo: f64, hi: f64, class: &str, s: &str) {
    let w = width_of(s, 10.0);
    let cx = x.clamp(lo + w / 2.0, (hi - w / 2.0).max(lo + w / 2.0));
    rect(out, cx - w / 2.0 - 2.0, y - 9.0, w + 4.0, 12.0, "op-back");
    text(out, cx, y, "middle", class, s);
}

/// What a legend entry shows before its words.
enum Key {
    Dot,
    Diamond,
    Dash,
    Tick,
    Box,
}

type Keys<'a> = [(Key, &'a str, &'a str)];

/// Where each legend entry goes: its x, and its line (0, 1, ...), each as
/// wide as its words, onto a new line where the next would pass `right`.
fn legend_at(x0: f64, right: f64, keys: &Keys) -> Vec<(f64, f64)> {
    let (mut x, mut line) = (x0, 0.0);
    let mut out = Vec::new();
    for (_, _, label) in keys {
        let w = 18.0 + width_of(label, 11.0);
        if x > x0 && x + w > right {
            (x, line) = (x0, line + 1.0);
        }
        out.push((x, line));
        x += w + 20.0;
    }
    out
}

/// How many lines a legend takes.
fn legend_lines(x0: f64, right: f64, keys: &Keys) -> f64 {
    legend_at(x0, right, keys).last().map_or(0.0, |l| l.1 + 1.0)
}

/// Legend entries from (`x0`, `y`), 16 px a line.
fn legend(svg: &mut String, x0: f64, y: f64, right: f64, keys: &Keys) {
    for ((key, class, label), (x, l)) in keys.iter().zip(legend_at(x0, right, keys)) {
        let y = y + 16.0 * l;
        match key {
            Key::Dot => dot(svg, x + 6.0, y, 4.0, class, label),
            Key::Diamond => diamond(svg, x + 6.0, y, 5.5, class, label),
            Key::Dash => line(svg, x - 4.0, y, x + 14.0, y, class),
            Key::Tick => line(svg, x + 6.0, y - 6.0, x + 6.0, y + 6.0, class),
            Key::Box => rect(svg, x, y - 5.0, 12.0, 10.0, class),
        }
        text(svg, x + 18.0, y + 4.0, "start", "lbl", label);
    }
}

fn finish(id: &str, title: &str, alt: String, mut svg: String) -> Chart {
    svg.push_str("</svg>");
    Chart {
        id: id.into(),
        title: title.into(),
        alt,
        svg,
    }
}

// ------------------------------------------------------------------ measures

/// One result of a measure, judged already.
#[derive(Debug, Clone)]
pub struct MeasurePoint {
    /// The period, or else the date: what the x axis shows.
    pub when: String,
    pub value: f64,
    /// Whether it meets the target, as the check judges it (`Target::met_by`).
    pub met: bool,
    /// The action named for it, when it is off target.
    pub action: Option<String>,
}

/// One measure with a typed target and its results.
#[derive(Debug, Clone)]
pub struct MeasurePanel {
    pub id: String,
    pub measure: String,
    /// The owning party's name; empty when the measure names none.
    pub party: String,
    pub target: f64,
    pub unit: String,
    /// Which way results must lie from the target (`Target::aim`).
    pub aim: Direction,
    /// The latest results, oldest first (at most `MAX_POINTS`).
    pub points: Vec<MeasurePoint>,
    /// Earlier results left out of `points`.
    pub earlier: usize,
    /// Whether the latest result misses (`Kpi::latest_by`, as the exit
    /// triggers judge it): such measures are drawn first past the cap.
    pub latest_misses: bool,
}

/// Results drawn in one panel, the latest: more do not fit its width.
pub const MAX_POINTS: usize = 40;

const PANEL_W: f64 = 330.0;
const PANEL_H: f64 = 190.0;
const GROUP_H: f64 = 24.0;
const MEASURE_KEYS: [(Key, &str, &str); 5] = [
    (Key::Dot, "op-met", "on target"),
    (Key::Diamond, "op-off", "off target, action named"),
    (
        Key::Diamond,
        "op-off op-unanswered",
        "off target, no action named",
    ),
    (Key::Dash, "op-target", "target"),
    (Key::Box, "op-miss", "misses the target"),
];

/// Small multiples: a panel per measure, its results as a line against its
/// target (dashed), points off target as diamonds, grouped by owning party
/// in the order given. `None` with no results to draw.
pub fn measures(panels: &[MeasurePanel]) -> Option<Chart> {
    let with_points: Vec<&MeasurePanel> = panels.iter().filter(|p| !p.points.is_empty()).collect();
    let drawn = drawn(&with_points);
    let mut groups: Vec<(&str, Vec<&MeasurePanel>)> = Vec::new();
    for p in drawn {
        match groups.last_mut() {
            Some((party, list)) if *party == p.party => list.push(p),
            _ => groups.push((&p.party, vec![p])),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let cols = groups
        .iter()
        .map(|g| g.1.len())
        .max()
        .unwrap_or(1)
        .clamp(1, 3);
    let rows_of = |n: usize| n.div_ceil(cols) as f64;
    let w = PANEL_W * cols as f64 + 10.0;
    let left_out = with_points.len() - groups.iter().map(|g| g.1.len()).sum::<usize>();
    let note_h = if left_out > 0 { 16.0 } else { 0.0 };
    let legend_h = 10.0 + 16.0 * legend_lines(10.0, w - 10.0, &MEASURE_KEYS) + note_h;
    let h = legend_h
        + groups
            .iter()
            .map(|g| GROUP_H + rows_of(g.1.len()) * PANEL_H)
            .sum::<f64>()
        + 6.0;
    let title = "Measures against target, by owning party";
    let mut alt = measures_alt(&groups);
    let note = (left_out > 0).then(|| {
        format!(
            "{} of {} measures drawn: those whose latest result misses come first; the stage 5 page lists every result.",
            with_points.len() - left_out,
            with_points.len()
        )
    });
    if let Some(note) = &note {
        alt = format!("{note} {alt}");
    }
    let mut svg = String::new();
    open(&mut svg, "chart-measures", w as u32, h as u32, title, &alt);
    svg.push_str(STYLE);
    legend(&mut svg, 10.0, 12.0, w - 10.0, &MEASURE_KEYS);
    if let Some(note) = &note {
        text(&mut svg, 10.0, legend_h - 8.0, "start", "op-warn", note);
    }
    let mut y = legend_h;
    for (party, list) in &groups {
        let name = if party.is_empty() {
            "No owning party named"
        } else {
            party
        };
        text(&mut svg, 10.0, y + 16.0, "start", "op-h", name);
        line(&mut svg, 10.0, y + 21.0, w - 10.0, y + 21.0, "op-rule");
        y += GROUP_H;
        for (i, p) in list.iter().enumerate() {
            let (col, row) = (i % cols, i / cols);
            measure_panel(
                &mut svg,
                p,
                5.0 + PANEL_W * col as f64,
                y + PANEL_H * row as f64,
            );
        }
        y += rows_of(list.len()) * PANEL_H;
    }
    Some(finish("measures", title, alt, svg))
}

/// At most this many measures are drawn: past it a page of small charts
/// stops being read, and the SVG grows with every result.
const MAX_MEASURES: usize = 24;
/// A measure with more results than this is summed up in the text
/// alternative (its range, its latest result and its misses), not listed.
const LISTED_RESULTS: usize = 8;
/// Misses listed in the summary of one measure.
const LISTED_MISSES: usize = 6;

/// The measures drawn, in the order given: all of them, or, past
/// `MAX_MEASURES`, those whose latest result misses first, then the others.
fn drawn<'a>(panels: &[&'a MeasurePanel]) -> Vec<&'a MeasurePanel> {
    if panels.len() <= MAX_MEASURES {
        return panels.to_vec();
    }
    let missing = |p: &MeasurePanel| p.latest_misses;
    let mut keep: Vec<usize> = (0..panels.len()).filter(|i| missing(panels[*i])).collect();
    keep.extend((0..panels.len()).filter(|i| !missing(panels[*i])));
    keep.truncate(MAX_MEASURES);
    keep.sort_unstable();
    keep.into_iter().map(|i| panels[i]).collect()
}

/// One result in words: `2027-Q4 96.8% (off target; action A-J07)`.
fn result_words(p: &MeasurePanel, r: &MeasurePoint) -> String {
    let v = with_unit(r.value, &p.unit);
    match (r.met, &r.action) {
        (true, _) => format!("{} {v}", r.when),
        (false, Some(a)) => format!("{} {v} (off target; action {a})", r.when),
        (false, None) => format!("{} {v} (off target; no action named)", r.when),
    }
}

/// A measure's results in words: each of them, or for a long series its
/// range, the latest and the misses.
fn results_words(p: &MeasurePanel) -> String {
    if p.points.len() <= LISTED_RESULTS {
        let each: Vec<String> = p.points.iter().map(|r| result_words(p, r)).collect();
        return each.join(", ");
    }
    let (first, last) = (&p.points[0], &p.points[p.points.len() - 1]);
    let misses: Vec<&MeasurePoint> = p.points.iter().filter(|r| !r.met).collect();
    let earlier = if p.earlier > 0 {
        format!(" (the {} before them not drawn)", p.earlier)
    } else {
        String::new()
    };
    let mut out = format!(
        "{} results from {} to {}{earlier}, the latest {}",
        p.points.len(),
        first.when,
        last.when,
        result_words(p, last)
    );
    if misses.is_empty() {
        out.push_str(", none off target");
    } else {
        let listed: Vec<String> = misses
            .iter()
            .take(LISTED_MISSES)
            .map(|r| result_words(p, r))
            .collect();
        let _ = write!(out, "; {} off target: {}", misses.len(), listed.join(", "));
        if misses.len() > LISTED_MISSES {
            let _ = write!(out, " and {} more", misses.len() - LISTED_MISSES);
        }
    }
    out
}

fn measures_alt(groups: &[(&str, Vec<&MeasurePanel>)]) -> String {
    let all: Vec<&MeasurePoint> = groups
        .iter()
        .flat_map(|g| g.1.iter().flat_map(|p| p.points.iter()))
        .collect();
    let off = all.iter().filter(|p| !p.met).count();
    let bare = all.iter().filter(|p| !p.met && p.action.is_none()).count();
    let measures: usize = groups.iter().map(|g| g.1.len()).sum();
    let mut alt = format!(
        "{} result(s) of {measures} measure(s); {off} off target, {bare} of them with no action named. ",
        all.len()
    );
    for (party, list) in groups {
        let owner = if party.is_empty() {
            "No owning party named"
        } else {
            party
        };
        let _ = write!(alt, "{owner}: ");
        let each: Vec<String> = list
            .iter()
            .map(|p| {
                format!(
                    "{} {}, target {} {}: {}",
                    p.id,
                    p.measure,
                    p.aim.words(),
                    with_unit(p.target, &p.unit),
                    results_words(p)
                )
            })
            .collect();
        let _ = write!(alt, "{}. ", each.join("; "));
    }
    alt.trim().to_string()
}

/// One measure's panel: its title, target, and results against the target.
fn measure_panel(svg: &mut String, p: &MeasurePanel, x0: f64, y0: f64) {
    let head = if p.party.is_empty() {
        p.id.clone()
    } else {
        format!("{} · {}", p.id, p.party)
    };
    let chars = ((PANEL_W - 16.0) / (11.0 * 0.58)) as usize;
    let head = wrap(&head, chars, 1).join("");
    text(svg, x0 + 6.0, y0 + 14.0, "start", "op-b", &head);
    for (i, l) in wrap(&p.measure, chars, 2).iter().enumerate() {
        text(
            svg,
            x0 + 6.0,
            y0 + 28.0 + 13.0 * i as f64,
            "start",
            "lbl",
            l,
        );
    }
    let target = format!(
        "target: {} {} (dashed)",
        p.aim.words(),
        with_unit(p.target, &p.unit)
    );
    let small = ((PANEL_W - 16.0) / (10.0 * 0.58)) as usize;
    // The legend says the target is dashed: the words give way first.
    let target = match target.strip_suffix(" (dashed)") {
        Some(bare) if target.chars().count() > small => bare.to_string(),
        _ => target,
    };
    let target = wrap(&target, small, 1).join("");
    text(svg, x0 + 6.0, y0 + 55.0, "start", "op-small", &target);
    let (gx, gy, gw, gh) = (x0 + 50.0, y0 + 64.0, PANEL_W - 66.0, 92.0);
    let values = p.points.iter().map(|r| r.value).chain([p.target]);
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo {
        hi - lo
    } else {
        (hi.abs() * 0.1).max(1.0)
    };
    // Room for the labels of the extreme points, more on the side that
    // misses the target, where they go.
    let (under, over) = match p.aim {
        Direction::AtLeast => (0.45, 0.3),
        Direction::AtMost => (0.3, 0.45),
    };
    let (lo, hi) = (lo - span * under, hi + span * over);
    let y_of = |v: f64| gy + gh - gh * (v - lo) / (hi - lo);
    let ty = y_of(p.target);
    // The side of the target that misses it, shaded.
    if p.aim == Direction::AtMost {
        rect(svg, gx, gy, gw, ty - gy, "op-miss");
    } else {
        rect(svg, gx, ty, gw, gy + gh - ty, "op-miss");
    }
    rect(svg, gx, gy, gw, gh, "frame");
    for t in ticks(lo, hi, 3.0) {
        let y = y_of(t);
        line(svg, gx, y, gx + gw, y, "grid");
        text(svg, gx - 4.0, y + 3.5, "end", "tick", &num(t));
    }
    line(svg, gx, ty, gx + gw, ty, "op-target");
    let n = p.points.len();
    let x_of = |i: usize| match n {
        1 => gx + gw / 2.0,
        _ => gx + 10.0 + (gw - 20.0) * i as f64 / (n - 1) as f64,
    };
    measure_axis(svg, p, &x_of, gx, gw, gy + gh + 13.0);
    if n > 1 {
        let pts: Vec<String> = (0..n)
            .map(|i| format!("{:.1},{:.1}", x_of(i), y_of(p.points[i].value)))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline points="{}" class="op-line"/>"#,
            pts.join(" ")
        );
    }
    for (i, r) in p.points.iter().enumerate() {
        measure_point(
            svg,
            p,
            r,
            x_of(i),
            y_of(r.value),
            (gx, gx + gw, gy, gy + gh),
        );
    }
}

/// The periods under a panel, as many as fit side by side.
fn measure_axis(
    svg: &mut String,
    p: &MeasurePanel,
    x_of: &dyn Fn(usize) -> f64,
    gx: f64,
    gw: f64,
    y: f64,
) {
    let n = p.points.len();
    let widest = p
        .points
        .iter()
        .map(|r| width_of(&r.when, 10.0))
        .fold(0.0, f64::max)
        + 6.0;
    let room = if n > 1 {
        (x_of(1) - x_of(0)).max(1.0)
    } else {
        gw
    };
    let every = (widest / room).ceil().max(1.0) as usize;
    for (i, r) in p.points.iter().enumerate() {
        let last = i == n - 1;
        // The last period always shows; the one before it gives way if close.
        let shown = last || (i % every == 0 && n - 1 - i >= every);
        if shown {
            text_within(svg, x_of(i), y, gx - 20.0, gx + gw + 12.0, "tick", &r.when);
        }
    }
}

fn measure_point(
    svg: &mut String,
    p: &MeasurePanel,
    r: &MeasurePoint,
    x: f64,
    y: f64,
    (lo, hi, top, bottom): (f64, f64, f64, f64),
) {
    let v = with_unit(r.value, &p.unit);
    if r.met {
        dot(
            svg,
            x,
            y,
            3.5,
            "op-met",
            &format!("{}: {v}, on target", r.when),
        );
        return;
    }
    let (class, label, tip) = match &r.action {
        Some(a) => (
            "op-off",
            a.clone(),
            format!("{}: {v}, off target; action {a}", r.when),
        ),
        None => (
            "op-off op-unanswered",
            "no action".to_string(),
            format!("{}: {v}, off target; no action named", r.when),
        ),
    };
    diamond(svg, x, y, 5.0, class, &tip);
    // The label goes on the side away from the target and the line, unless
    // the frame is too close there.
    let (above, below) = (y - 9.0, y + 16.0);
    let ly = match p.aim {
        Direction::AtMost if above - 9.0 >= top => above,
        Direction::AtLeast if below <= bottom - 4.0 => below,
        Direction::AtMost => below,
        Direction::AtLeast => above,
    };
    let lclass = if r.action.is_some() {
        "op-small"
    } else {
        "op-warn"
    };
    mark_label(svg, x, ly, lo, hi, lclass, &label);
}

// ------------------------------------------------------------------ timeline

/// A date something falls due by: the next of a cadence, or a planned audit.
#[derive(Debug, Clone)]
pub struct DueMark {
    pub date: Date,
    /// Shown before the date: `next due`, `overdue since`, `AU-2 planned`.
    pub label: String,
    /// What is due, in words, for the text alternative.
    pub what: String,
    /// Due before today (judged by the caller, as the check judges lateness).
    pub overdue: bool,
}

/// One kind of event: what was held, and what falls due.
#[derive(Debug, Clone)]
pub struct TimelineRow {
    pub label: String,
    /// Each event's date, and what it was (`JMT-3`).
    pub held: Vec<(Date, String)>,
    pub due: Vec<DueMark>,
}

const TL_W: f64 = 900.0;
const TL_LABEL_W: f64 = 205.0;
const TL_TOP: f64 = 24.0;

/// The timeline's dates across the page.
struct Axis {
    start: Date,
    end: Date,
    gx: f64,
    gw: f64,
}

impl Axis {
    /// From the earliest date to today, and on a little past it so that
    /// what falls due soon is in place; dates later than that sit at the edge.
    fn new(first: Date, last: Date, today: Date) -> Axis {
        // Today is always on it, even when all that is drawn lies ahead.
        let first = first.min(today);
        let past = first.days_until(today).max(30);
        let ahead = today.plus_days((past / 4).max(92));
        let last = last.max(today).min(ahead);
        let pad = (first.days_until(last) / 40).max(5);
        Axis {
            start: first.plus_days(-pad),
            end: last.plus_days(pad),
            gx: TL_LABEL_W + 14.0,
            gw: TL_W - TL_LABEL_W - 34.0,
        }
    }

    fn x(&self, d: Date) -> f64 {
        let total = self.start.days_until(self.end).max(1) as f64;
        let at = self.start.days_until(d.clamp(self.start, self.end)) as f64;
        self.gx + self.gw * at / total
    }

    fn beyond(&self, d: Date) -> bool {
        d > self.end
    }

    /// A due mark's words: its label and date, pointing on when it lies
    /// beyond the axis.
    fn label(&self, m: &DueMark) -> String {
        let on = if self.beyond(m.date) { " →" } else { "" };
        format!("{} {}{on}", m.label, m.date)
    }
}

/// One row per kind of event on a shared date axis, from the earliest event
/// to today (and the quarter or so after it), with today marked and what is
/// overdue in red. `None` when no row has anything to show.
pub fn timeline(rows: &[TimelineRow], today: Date) -> Option<Chart> {
    let rows: Vec<&TimelineRow> = rows
        .iter()
        .filter(|r| !r.held.is_empty() || !r.due.is_empty())
        .collect();
    let dates = rows.iter().flat_map(|r| {
        r.held
            .iter()
            .map(|h| h.0)
            .chain(r.due.iter().map(|d| d.date))
    });
    let first = dates.clone().min()?;
    let axis = Axis::new(first, dates.max()?, today);
    let heights: Vec<f64> = rows
        .iter()
        .map(|r| 30.0 + 11.0 * lanes(r, &axis).1 as f64)
        .collect();
    let h = TL_TOP + heights.iter().sum::<f64>() + 56.0;
    let title = "The operating phase: held and due";
    let alt = timeline_alt(&rows, first, today);
    let mut svg = String::new();
    open(
        &mut svg,
        "chart-timeline",
        TL_W as u32,
        h as u32,
        title,
        &alt,
    );
    svg.push_str(STYLE);
    // The grid and today's line first, so that marks and words lie on them.
    let y = TL_TOP + heights.iter().sum::<f64>();
    date_axis(&mut svg, &axis, TL_TOP, y);
    let tx = axis.x(today);
    line(&mut svg, tx, TL_TOP - 6.0, tx, y, "op-today");
    let mut top = TL_TOP;
    for (r, rh) in rows.iter().zip(&heights) {
        timeline_row(&mut svg, r, top, &axis);
        top += rh;
    }
    let label = format!("today {today}");
    text_within(
        &mut svg,
        tx,
        TL_TOP - 10.0,
        axis.gx,
        TL_W - 4.0,
        "op-today",
        &label,
    );
    timeline_legend(&mut svg, y + 36.0);
    Some(finish("timeline", title, alt, svg))
}

/// Each due mark's label line (0, 1, ...) so labels in a row never overlap,
/// and how many lines the row needs.
fn lanes(r: &TimelineRow, axis: &Axis) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..r.due.len()).collect();
    order.sort_by_key(|&i| r.due[i].date);
    let mut ends: Vec<f64> = Vec::new();
    let mut lane = vec![0; r.due.len()];
    for i in order {
        let w = width_of(&axis.label(&r.due[i]), 10.0);
        let x0 = axis.x(r.due[i].date) - w / 2.0;
        let l = ends
            .iter()
            .position(|e| *e + 8.0 < x0)
            .unwrap_or(ends.len());
        if l == ends.len() {
            ends.push(0.0);
        }
        ends[l] = x0 + w;
        lane[i] = l;
    }
    (lane, ends.len().max(1))
}

fn timeline_row(svg: &mut String, r: &TimelineRow, y: f64, axis: &Axis) {
    let chars = ((TL_LABEL_W - 6.0) / (11.0 * 0.55)) as usize;
    let label = wrap(&r.label, chars, 2);
    let ly = if label.len() > 1 { y + 8.0 } else { y + 14.0 };
    for (i, l) in label.iter().enumerate() {
        text(svg, TL_LABEL_W, ly + 12.0 * i as f64, "end", "lbl", l);
    }
    let my = y + 10.0;
    line(svg, axis.gx, my, axis.gx + axis.gw, my, "op-track");
    for (d, what) in &r.held {
        dot(svg, axis.x(*d), my, 4.5, "op-held", &format!("{what}: {d}"));
    }
    let (lane, _) = lanes(r, axis);
    for (m, l) in r.due.iter().zip(lane) {
        let x = axis.x(m.date);
        let (class, lclass) = if m.overdue {
            ("op-overdue", "op-warn")
        } else {
            ("op-next", "op-small")
        };
        let tip = format!("{}: {} {}", m.what, m.label, m.date);
        if axis.beyond(m.date) {
            // Later than the axis runs: an arrowhead at its end.
            let _ = write!(
                svg,
                r#"<polygon points="{:.1},{:.1} {:.1},{my:.1} {:.1},{:.1}" class="{class}"><title>{}</title></polygon>"#,
                x - 5.0,
                my - 6.0,
                x + 5.0,
                x - 5.0,
                my + 6.0,
                esc(&tip)
            );
        } else {
            diamond(svg, x, my, 6.0, class, &tip);
        }
        let ty = my + 19.0 + 11.0 * l as f64;
        mark_label(
            svg,
            x,
            ty,
            axis.gx - 10.0,
            TL_W - 4.0,
            lclass,
            &axis.label(m),
        );
    }
}

/// Month, quarter or year ticks under the rows, as the span allows: at most
/// about a dozen, whatever the span (a typo of a year can stretch it across
/// centuries), and none past the last date the calendar holds.
fn date_axis(svg: &mut String, axis: &Axis, top: f64, bottom: f64) {
    let months = (axis.start.days_until(axis.end) / 30).max(1);
    let step = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200]
        .into_iter()
        .find(|s| months / s <= 12)
        .unwrap_or((months / 144 + 1) * 12);
    // Months counted from year 0, the first tick on a multiple of the step.
    let first = i64::from(axis.start.0.year()) * 12 + i64::from(axis.start.0.month()) - 1;
    let mut index = first.div_euclid(step) * step;
    for _ in 0..40 {
        let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
        let Some(d) = i16::try_from(y)
            .ok()
            .and_then(|y| jiff::civil::Date::new(y, m as i8, 1).ok())
            .map(Date)
        else {
            break;
        };
        if d > axis.end {
            break;
        }
        if d >= axis.start {
            let x = axis.x(d);
            line(svg, x, top, x, bottom, "grid");
            let label = if step >= 12 {
                y.to_string()
            } else {
                format!("{y}-{m:02}")
            };
            text(svg, x, bottom + 14.0, "middle", "tick", &label);
        }
        index += step;
    }
}

fn timeline_legend(svg: &mut String, y: f64) {
    legend(
        svg,
        TL_LABEL_W + 8.0,
        y,
        TL_W,
        &[
            (Key::Dot, "op-held", "held or recorded"),
            (Key::Diamond, "op-next", "next due, or planned"),
            (Key::Diamond, "op-overdue", "overdue"),
            (Key::Tick, "op-today", "today"),
        ],
    );
}

fn timeline_alt(rows: &[&TimelineRow], first: Date, today: Date) -> String {
    let mut alt = format!("Events of the operating phase from {first} to {today} (today). ");
    for r in rows {
        let mut dates: Vec<Date> = r.held.iter().map(|h| h.0).collect();
        dates.sort();
        let held = match (dates.first(), dates.last()) {
            (Some(a), _) if dates.len() == 1 => format!("1 held, on {a}"),
            (Some(a), Some(b)) => format!("{} held, {a} to {b}", dates.len()),
            _ => "none held".to_string(),
        };
        let due: Vec<String> = r
            .due
            .iter()
            .map(|d| format!("{} {}", d.label, d.date))
            .collect();
        let due = if due.is_empty() {
            String::new()
        } else {
            format!("; {}", due.join(", "))
        };
        let _ = write!(alt, "{}: {held}{due}. ", r.label);
    }
    let overdue: Vec<String> = rows
        .iter()
        .flat_map(|r| r.due.iter().filter(|d| d.overdue))
        .map(|d| format!("{} (due {})", d.what, d.date))
        .collect();
    if overdue.is_empty() {
        let _ = write!(alt, "Nothing on it is overdue.");
    } else {
        let _ = write!(alt, "Overdue as of {today}: {}.", overdue.join("; "));
    }
    alt
}

// ------------------------------------------------------------------ value

/// One value initiative's benefit, expected and delivered.
#[derive(Debug, Clone)]
pub struct ValueItem {
    pub id: String,
    pub title: String,
    pub forecast: Option<Quantity>,
    pub realised: Option<Quantity>,
}

const VAL_W: f64 = 760.0;
const VAL_LABEL_W: f64 = 260.0;
const VAL_BAR_W: f64 = 370.0;
const VAL_ROW_H: f64 = 34.0;

fn unit_of(q: &Quantity) -> &str {
    q.unit.as_deref().map_or("", str::trim)
}

/// The units in the order first met, and the initiatives measured in each:
/// every unit gets its own scale, so pounds are never drawn against hours.
fn by_unit(items: &[ValueItem]) -> Vec<(String, Vec<&ValueItem>)> {
    let mut groups: Vec<(String, Vec<&ValueItem>)> = Vec::new();
    for it in items {
        for q in [&it.forecast, &it.realised].into_iter().flatten() {
            let unit = unit_of(q);
            match groups.iter_mut().find(|g| g.0 == unit) {
                Some(g) if g.1.iter().any(|x| std::ptr::eq(*x, it)) => {}
                Some(g) => g.1.push(it),
                None => groups.push((unit.to_string(), vec![it])),
            }
        }
    }
    groups
}

/// The amount in `unit`, if the quantity is given in it.
fn in_unit(q: &Option<Quantity>, unit: &str) -> Option<f64> {
    q.as_ref().filter(|q| unit_of(q) == unit).map(|q| q.value)
}

/// The amount in `unit`, or why a bar is missing: none given, or given in
/// another unit (it is drawn on that unit's scale).
fn amount(q: &Option<Quantity>, unit: &str, what: &str, none: &str) -> Result<f64, String> {
    match q {
        Some(q) if unit_of(q) == unit => Ok(q.value),
        Some(q) if unit_of(q).is_empty() => Err(format!("{what} given with no unit")),
        Some(q) => Err(format!("{what} given in {}", unit_of(q))),
        None => Err(none.to_string()),
    }
}

/// Paired bars per initiative, forecast over realised, one scale per unit.
/// `None` when no initiative gives either.
pub fn value(items: &[ValueItem]) -> Option<Chart> {
    let groups = by_unit(items);
    if groups.is_empty() {
        return None;
    }
    let h = 30.0
        + groups
            .iter()
            .map(|g| 24.0 + VAL_ROW_H * g.1.len() as f64 + 26.0)
            .sum::<f64>();
    let title = "Value: forecast against realised";
    let alt = value_alt(&groups);
    let mut svg = String::new();
    open(&mut svg, "chart-value", VAL_W as u32, h as u32, title, &alt);
    svg.push_str(STYLE);
    legend(
        &mut svg,
        VAL_LABEL_W + 10.0,
        12.0,
        VAL_W,
        &[
            (Key::Box, "op-forecast", "forecast"),
            (Key::Box, "op-realised", "realised"),
        ],
    );
    let mut y = 30.0;
    for (unit, list) in &groups {
        y = value_group(&mut svg, unit, list, y);
    }
    Some(finish("value", title, alt, svg))
}

/// One unit's initiatives on their own scale; gives the y below them.
fn value_group(svg: &mut String, unit: &str, list: &[&ValueItem], y: f64) -> f64 {
    let name = if unit.is_empty() {
        "no unit given"
    } else {
        unit
    };
    text(svg, 10.0, y + 14.0, "start", "op-h", &format!("In {name}"));
    line(svg, 10.0, y + 19.0, VAL_W - 10.0, y + 19.0, "op-rule");
    let top = y + 24.0;
    let max = list
        .iter()
        .flat_map(|it| [in_unit(&it.forecast, unit), in_unit(&it.realised, unit)])
        .flatten()
        .fold(0.0, f64::max);
    let step = nice_step(max.max(1e-9), 4.0);
    let scale_max = ((max / step).ceil() * step).max(step);
    let bx = VAL_LABEL_W + 10.0;
    let bottom = top + VAL_ROW_H * list.len() as f64;
    for t in ticks(0.0, scale_max, 4.0) {
        let x = bx + VAL_BAR_W * t / scale_max;
        line(svg, x, top, x, bottom, "grid");
        text(svg, x, bottom + 13.0, "middle", "tick", &num(t));
    }
    let chars = ((VAL_LABEL_W - 20.0) / (11.0 * 0.58)) as usize;
    for (i, it) in list.iter().enumerate() {
        let ry = top + VAL_ROW_H * i as f64;
        let label = if it.title.is_empty() {
            it.id.clone()
        } else {
            format!("{} · {}", it.id, it.title)
        };
        let lines = wrap(&label, chars, 2);
        let ly = if lines.len() > 1 {
            ry + 14.0
        } else {
            ry + 20.0
        };
        for (k, l) in lines.iter().enumerate() {
            let y = ly + 12.0 * k as f64;
            match l.strip_prefix(it.id.as_str()).filter(|_| k == 0) {
                // The id in bold, as the measures' panels have theirs.
                Some(rest) => {
                    let _ = write!(
                        svg,
                        r#"<text x="{VAL_LABEL_W:.1}" y="{y:.1}" text-anchor="end" class="lbl"><tspan font-weight="700">{}</tspan>{}</text>"#,
                        esc(&it.id),
                        esc(rest)
                    );
                }
                None => text(svg, VAL_LABEL_W, y, "end", "lbl", l),
            }
        }
        let scale = |v: f64| VAL_BAR_W * v.max(0.0) / scale_max;
        let forecast = amount(&it.forecast, unit, "forecast", "no forecast");
        let realised = amount(&it.realised, unit, "realised", "not yet measured");
        let share = match (&forecast, &realised) {
            (Ok(f), Ok(r)) if *f > 0.0 => format!(" ({:.0}% of forecast)", 100.0 * r / f),
            _ => String::new(),
        };
        for (a, by, class, extra) in [
            (forecast, ry + 4.0, "op-forecast", String::new()),
            (realised, ry + 17.0, "op-realised", share),
        ] {
            match a {
                Ok(v) => {
                    let w = scale(v);
                    rect(svg, bx, by, w.max(1.0), 11.0, class);
                    let s = format!("{}{extra}", num(v));
                    // Inside the bar's end when the words would pass the edge.
                    if bx + w + 5.0 + width_of(&s, 10.0) > VAL_W - 4.0 {
                        let inside = if class == "op-realised" {
                            "op-in"
                        } else {
                            "op-in-dark"
                        };
                        text(svg, bx + w - 4.0, by + 9.5, "end", inside, &s);
                    } else {
                        text(svg, bx + w + 5.0, by + 9.5, "start", "op-small", &s);
                    }
                }
                Err(why) => text(svg, bx, by + 9.5, "start", "op-small", &why),
            }
        }
    }
    bottom + 26.0
}

fn value_alt(groups: &[(String, Vec<&ValueItem>)]) -> String {
    let mut alt =
        String::from("Each initiative's forecast and realised benefit, on a scale for each unit. ");
    for (unit, list) in groups {
        let name = if unit.is_empty() {
            "no unit given"
        } else {
            unit
        };
        let each: Vec<String> = list
            .iter()
            .map(|it| {
                let f = amount(&it.forecast, unit, "forecast", "no forecast")
                    .map_or_else(|why| why, |v| format!("forecast {}", num(v)));
                let r = amount(&it.realised, unit, "realised", "not yet measured")
                    .map_or_else(|why| why, |v| format!("realised {}", num(v)));
                let title = if it.title.is_empty() {
                    String::new()
                } else {
                    format!(" {}", it.title)
                };
                format!("{}{title}: {f}, {r}", it.id)
            })
            .collect();
        let _ = write!(alt, "In {name}: {}. ", each.join("; "));
    }
    alt.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(when: &str, value: f64, met: bool, action: Option<&str>) -> MeasurePoint {
        MeasurePoint {
            when: when.into(),
            value,
            met,
            action: action.map(Into::into),
        }
    }

    fn panel(party: &str, points: Vec<MeasurePoint>) -> MeasurePanel {
        MeasurePanel {
            id: "KPI-1".into(),
            measure: "Deliveries on time".into(),
            party: party.into(),
            target: 95.0,
            unit: "%".into(),
            aim: Direction::AtLeast,
            latest_misses: points.last().is_some_and(|r| !r.met),
            points,
            earlier: 0,
        }
    }

    #[test]
    fn off_target_points_are_drawn_apart_and_say_whether_answered() {
        let c = measures(&[panel(
            "Northwind",
            vec![
                point("Q1", 96.0, true, None),
                point("Q2", 91.0, false, Some("A-8")),
                point("Q3", 90.0, false, None),
            ],
        )])
        .unwrap();
        // The legend has one of each, the panel one more.
        assert_eq!(c.svg.matches(r#"class="op-met""#).count(), 2, "{}", c.svg);
        assert_eq!(c.svg.matches(r#"class="op-off""#).count(), 2);
        assert_eq!(c.svg.matches(r#"class="op-off op-unanswered""#).count(), 2);
        assert!(c.svg.contains(">A-8</text>") && c.svg.contains(">no action</text>"));
        assert!(
            c.alt.contains("Q2 91% (off target; action A-8)"),
            "{}",
            c.alt
        );
        assert!(c.alt.contains("Q3 90% (off target; no action named)"));
        assert!(c.alt.contains("target at least 95%"));
        assert!(c.svg.contains(r#"class="op-target""#));
    }

    #[test]
    fn measures_need_results_and_group_by_party() {
        assert!(measures(&[panel("A", vec![])]).is_none());
        let mut b = panel("Bravo Ltd", vec![point("Q1", 1.0, false, None)]);
        b.id = "KPI-9".into();
        let c = measures(&[panel("Alpha plc", vec![point("Q1", 99.0, true, None)]), b]).unwrap();
        let (a, b) = (
            c.alt.find("Alpha plc:").unwrap(),
            c.alt.find("Bravo Ltd:").unwrap(),
        );
        assert!(a < b, "{}", c.alt);
        assert!(c.svg.contains("KPI-9 · Bravo Ltd"));
    }

    #[test]
    fn many_measures_are_capped_and_long_series_summed_up() {
        let series = |miss_last: bool| {
            (0..25)
                .map(|q| {
                    let miss = q == 3 || (miss_last && q == 24);
                    point(
                        &format!("P{q}"),
                        if miss { 90.0 } else { 97.0 },
                        !miss,
                        Some("A-1"),
                    )
                })
                .collect::<Vec<_>>()
        };
        let panels: Vec<MeasurePanel> = (0..40)
            .map(|i| {
                let mut p = panel("Northwind", series(i == 37));
                p.id = format!("KPI-{i}");
                p.earlier = if i == 1 { 5 } else { 0 };
                p
            })
            .collect();
        let c = measures(&panels).unwrap();
        assert!(
            c.alt.starts_with(
                "24 of 40 measures drawn: those whose latest result misses come first"
            ),
            "{}",
            c.alt
        );
        // The one missing now is drawn although it is far down the list,
        // and the order stays the file's.
        let (k0, k37) = (
            c.svg.find(">KPI-0 ·").unwrap(),
            c.svg.find(">KPI-37 ·").unwrap(),
        );
        assert!(k0 < k37);
        assert!(!c.svg.contains(">KPI-30 ·"), "past the cap");
        assert!(
            c.alt.contains("KPI-37 Deliveries on time, target at least 95%: 25 results from P0 to P24, the latest P24 90% (off target; action A-1); 2 off target: P3 90% (off target; action A-1), P24 90%"),
            "{}",
            c.alt
        );
        assert!(c.alt.contains("KPI-0 Deliveries on time, target at least 95%: 25 results from P0 to P24, the latest P24 97%; 1 off target: P3 90%"));
        assert!(
            c.alt
                .contains("KPI-1 Deliveries on time, target at least 95%: 25 results from P0 to P24 (the 5 before them not drawn), the latest"),
            "{}",
            c.alt
        );
        assert_eq!(
            measures(&panels[..3]).unwrap().alt.find("measures drawn"),
            None,
            "no note under the cap"
        );
    }

    fn row(label: &str, due: Vec<DueMark>) -> TimelineRow {
        TimelineRow {
            label: label.into(),
            held: vec![(Date::ymd(2026, 1, 10), "X-1".into())],
            due,
        }
    }

    #[test]
    fn the_overdue_row_is_marked_and_listed() {
        let today = Date::ymd(2026, 11, 23);
        let late = DueMark {
            date: Date::ymd(2026, 9, 15),
            label: "AU-2 planned, not held:".into(),
            what: "Audit AU-2".into(),
            overdue: true,
        };
        let ahead = DueMark {
            date: Date::ymd(2027, 1, 20),
            label: "next due".into(),
            what: "Next joint management meeting".into(),
            overdue: false,
        };
        let c = timeline(
            &[row("Audits", vec![late]), row("Meetings", vec![ahead])],
            today,
        )
        .unwrap();
        // One in the row, one in the legend.
        assert_eq!(
            c.svg.matches(r#"class="op-overdue""#).count(),
            2,
            "{}",
            c.svg
        );
        assert!(c.svg.contains(">AU-2 planned, not held: 2026-09-15</text>"));
        assert!(c.svg.contains(r#"class="op-warn""#));
        assert!(c.svg.contains("today 2026-11-23"));
        assert!(
            c.alt
                .ends_with("Overdue as of 2026-11-23: Audit AU-2 (due 2026-09-15)."),
            "{}",
            c.alt
        );
        let far = DueMark {
            date: Date::ymd(2028, 1, 1),
            label: "next due".into(),
            what: "Review the exit strategy".into(),
            overdue: false,
        };
        let c = timeline(&[row("Exit strategy reviews", vec![far])], today).unwrap();
        assert!(
            c.svg.contains(">next due 2028-01-01 →</text>"),
            "a date past the axis points on: {}",
            c.svg
        );
        let only_ahead = TimelineRow {
            label: "Audits".into(),
            held: vec![],
            due: vec![DueMark {
                date: Date::ymd(2028, 6, 1),
                label: "AU-9 planned".into(),
                what: "Audit AU-9".into(),
                overdue: false,
            }],
        };
        let c = timeline(&[only_ahead], today).unwrap();
        assert!(c.svg.contains(">AU-9 planned 2028-06-01 →</text>"));
        let none = timeline(&[row("Meetings", vec![])], today).unwrap();
        assert!(none.alt.ends_with("Nothing on it is overdue."));
        assert!(timeline(&[], today).is_none());
    }

    #[test]
    fn the_date_axis_keeps_to_the_calendar_and_a_dozen_ticks() {
        // The last day the calendar holds: no tick may be asked for after it.
        let end = Date::ymd(9999, 12, 31);
        let c = timeline(&[row("Meetings", vec![])], end).unwrap();
        assert!(c.svg.contains("today 9999-12-31"));
        // A year mistyped (0202 for 2026) stretches the axis over centuries.
        let mut r = row("Meetings", vec![]);
        r.held.push((Date::ymd(202, 5, 1), "JMT-0".into()));
        let c = timeline(&[r], Date::ymd(2026, 11, 23)).unwrap();
        let ticks = c.svg.matches(r#"class="tick""#).count();
        assert!((3..=14).contains(&ticks), "{ticks} ticks: {}", c.svg);
    }

    #[test]
    fn due_labels_close_together_take_two_lines() {
        let mark = |d| DueMark {
            date: d,
            label: "AU planned".into(),
            what: "audit".into(),
            overdue: false,
        };
        let r = row(
            "Audits",
            vec![mark(Date::ymd(2026, 5, 1)), mark(Date::ymd(2026, 5, 3))],
        );
        let axis = Axis::new(
            Date::ymd(2026, 1, 1),
            Date::ymd(2026, 6, 1),
            Date::ymd(2026, 6, 1),
        );
        assert_eq!(lanes(&r, &axis), (vec![0, 1], 2));
    }

    fn q(value: f64, unit: &str) -> Option<Quantity> {
        Some(Quantity {
            value,
            unit: Some(unit.into()),
        })
    }

    #[test]
    fn units_are_never_on_one_scale() {
        let items = [
            ValueItem {
                id: "V-1".into(),
                title: "Shared spares".into(),
                forecast: q(120000.0, "GBP"),
                realised: q(30000.0, "GBP"),
            },
            ValueItem {
                id: "V-2".into(),
                title: "Joint planning".into(),
                forecast: q(400.0, "hours"),
                realised: q(50.0, "GBP"),
            },
        ];
        let groups = by_unit(&items);
        let names: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(u, l)| (u.as_str(), l.iter().map(|i| i.id.as_str()).collect()))
            .collect();
        assert_eq!(names, [("GBP", vec!["V-1", "V-2"]), ("hours", vec!["V-2"])]);
        let c = value(&items).unwrap();
        assert!(c.alt.contains("In GBP: V-1 Shared spares: forecast 120,000, realised 30,000; V-2 Joint planning: forecast given in hours, realised 50."), "{}", c.alt);
        assert!(
            c.alt
                .contains("In hours: V-2 Joint planning: forecast 400, realised given in GBP.")
        );
        assert!(c.svg.contains("forecast given in hours"));
        assert!(c.svg.contains("30,000 (25% of forecast)"));
        assert!(value(&[]).is_none());
    }

    #[test]
    fn long_titles_are_cut_but_the_id_stays() {
        let it = ValueItem {
            id: "V-77".into(),
            title: "A very long title that goes on and on about the shared backhaul of empty trailers between depots".into(),
            forecast: q(1.0, "GBP"),
            realised: None,
        };
        let c = value(&[it]).unwrap();
        assert!(c.svg.contains(">V-77</tspan> · A very long"));
        assert!(c.svg.contains('…'));
        assert!(!c.svg.contains("between depots</text>"));
    }

    #[test]
    fn plan_text_is_escaped() {
        let mut p = panel(
            "<b>Party</b>",
            vec![point("Q1 & Q2", 1.0, false, Some("<A>"))],
        );
        p.measure = "<script>x</script>".into();
        let m = measures(&[p]).unwrap();
        let t = timeline(&[row("<i>row</i>", vec![])], Date::ymd(2026, 2, 1)).unwrap();
        let v = value(&[ValueItem {
            id: "V&1".into(),
            title: "\"quoted\" <title>".into(),
            forecast: q(1.0, "<u>"),
            realised: None,
        }])
        .unwrap();
        for svg in [&m.svg, &t.svg, &v.svg] {
            for bad in ["<script", "<b>", "<i>", "<u>", "<A>", "V&1", "\"quoted\""] {
                assert!(!svg.contains(bad), "{bad} in {svg}");
            }
        }
        assert!(m.svg.contains("&lt;script&gt;") && m.svg.contains("Q1 &amp; Q2"));
        assert!(
            v.svg
                .contains("V&amp;1</tspan> · &quot;quoted&quot; &lt;title&gt;")
        );
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(num(120000.0), "120,000");
        assert_eq!(num(96.2), "96.2");
        assert_eq!(num(-1234.567), "-1,234.57");
        assert_eq!(num(999.0), "999");
        assert_eq!(with_unit(95.0, "%"), "95%");
        assert_eq!(with_unit(3.0, "hours"), "3 hours");
        assert_eq!(ticks(0.0, 100.0, 4.0), [0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(wrap("one two three four", 9, 1), ["one two…"]);
    }
}
