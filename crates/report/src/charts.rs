//! The charts of the site and the report as hand-written SVG: deterministic bytes, a `<title>`
//! and `<desc>` for screen readers, patterns as well as colours (never colour alone), the same
//! numbers as a data table behind each chart. Every chart is laid out for one narrow width
//! (`WIDTH`) with its labels above the bars and its legend wrapping into rows, so that no two
//! texts overlap and a phone, which can only shrink it a little, still shows 12 px text.

use crate::model::{Chart, ChartKind, Report};
use egovwatch_domain::monitoring::Movement;
use egovwatch_i18n::Tr;

/// The three charts the report and the web share: stages per life event, the national index
/// over rounds, and services improved against regressed.
pub fn charts(r: &Report, index_series: &[(String, f64)]) -> Vec<Chart> {
    let rows = r
        .life_events
        .iter()
        .map(|le| {
            let counts = (0..r.stage_names.len())
                .map(|st| {
                    le.services
                        .iter()
                        .filter(|s| s.stage_now == Some(st as u8))
                        .count() as f64
                })
                .collect();
            (le.name.clone(), counts)
        })
        .collect();
    let count = |m: Movement| r.with_movement(m).len();
    let mut charts = vec![
        stages_chart(&r.tr, r.stage_names.clone(), rows),
        index_chart(&r.tr, index_series),
    ];
    // How services moved needs a round to compare with.
    if r.against.is_some() {
        charts.push(movement_chart(
            &r.tr,
            [
                count(Movement::Improved),
                count(Movement::Regressed),
                count(Movement::Unchanged),
                count(Movement::New),
            ],
        ));
    }
    charts
}

/// Services per stage in each life event: a row per life event, a count per stage.
pub fn stages_chart(tr: &Tr, stage_names: Vec<String>, rows: Vec<(String, Vec<f64>)>) -> Chart {
    Chart {
        id: "stages-per-life-event",
        title: tr.t("report-chart-stages"),
        description: tr.t("report-chart-stages-desc"),
        series: stage_names,
        rows,
        kind: ChartKind::Stacked,
        top: None,
        tr: *tr,
    }
}

/// The national index of each round, oldest first.
pub fn index_chart(tr: &Tr, index_series: &[(String, f64)]) -> Chart {
    Chart {
        id: "index-over-rounds",
        title: tr.t("report-chart-index"),
        description: tr.t("report-chart-index-desc"),
        series: vec![tr.t("report-index")],
        rows: index_series
            .iter()
            .map(|(c, v)| (c.clone(), vec![*v]))
            .collect(),
        kind: ChartKind::Line,
        top: Some(100.0),
        tr: *tr,
    }
}

/// Services improved, regressed, unchanged and new since the previous round.
pub fn movement_chart(tr: &Tr, [improved, regressed, unchanged, new]: [usize; 4]) -> Chart {
    Chart {
        id: "movement",
        title: tr.t("report-chart-movement"),
        description: tr.t("report-chart-movement-desc"),
        series: vec![tr.t("report-services")],
        rows: vec![
            (tr.t("report-improved"), vec![improved as f64]),
            (tr.t("report-regressed"), vec![regressed as f64]),
            (tr.t("report-unchanged"), vec![unchanged as f64]),
            (tr.t("report-new"), vec![new as f64]),
        ],
        kind: ChartKind::Bars,
        top: None,
        tr: *tr,
    }
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Colours with enough contrast on white, told apart also by the hatching of odd series.
const COLOURS: [&str; 6] = [
    "#b42318", "#dc6803", "#ca8504", "#1570ef", "#067647", "#5925dc",
];

/// The width every chart is laid out for, in SVG user units. A page shows a chart at this size
/// in CSS pixels and only ever shrinks it (`max-width: 100%`), so at 360 px wide (a 328 px
/// column) its text still renders at `FONT * 328 / WIDTH`, above 12 px.
pub const WIDTH: f64 = 400.0;
/// The size of every text on a chart, in user units.
pub const FONT: f64 = 16.0;
/// The distance between two lines of text.
const LINE: f64 = 22.0;
/// A bar's thickness.
const BAR: f64 = 20.0;
/// The side of a legend's swatch.
const SWATCH: f64 = 14.0;

/// The width a text takes at `FONT`, estimated on the generous side for the usual sans-serif
/// faces (DejaVu Sans, Noto Sans, Liberation Sans), Latin, Azerbaijani and Cyrillic letters:
/// laying out by this estimate leaves room, never overlap.
pub fn text_width(s: &str) -> f64 {
    let em: f64 = s
        .chars()
        .map(|ch| match ch {
            ' ' => 0.34,
            'i' | 'j' | 'l' | 'ı' | 'I' | 'İ' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.34,
            'f' | 't' | 'r' | '(' | ')' | '-' | '/' => 0.45,
            '0'..='9' => 0.64,
            'm' | 'w' | 'M' | 'W' | 'ш' | 'щ' | 'ж' | 'ю' | 'ы' | 'м' | 'Ш' | 'Щ' | 'Ж' | 'Ю'
            | 'Ы' | 'М' | 'Д' | 'Ф' | 'ф' | '—' | '%' => 0.92,
            ch if ch.is_uppercase() => 0.75,
            _ => 0.62,
        })
        .sum();
    em * FONT
}

/// Words laid out in lines no wider than `max` (a word longer than that has a line of its own).
fn wrap(s: &str, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}")) <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Where a text sits: its left edge, its middle or its right edge at `x`.
#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

/// A box on the chart, in user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Area {
    pub fn overlaps(&self, o: &Area) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// The SVG being written, and the estimated box of every text on it.
struct Canvas<'a> {
    c: &'a Chart,
    out: String,
    texts: Vec<Area>,
}

impl Canvas<'_> {
    /// Lines of text, the first with its top at `top`, one `LINE` apart.
    fn text(&mut self, x: f64, top: f64, anchor: Anchor, lines: &[String]) {
        let w = lines.iter().map(|l| text_width(l)).fold(0.0, f64::max);
        let (left, attr) = match anchor {
            Anchor::Start => (x, ""),
            Anchor::Middle => (x - w / 2.0, " text-anchor=\"middle\""),
            Anchor::End => (x - w, " text-anchor=\"end\""),
        };
        self.texts.push(Area {
            x: left,
            y: top,
            w,
            h: lines.len() as f64 * LINE,
        });
        let baseline = top + FONT;
        if let [line] = lines {
            self.out.push_str(&format!(
                "<text x=\"{x:.1}\" y=\"{baseline:.1}\"{attr}>{}</text>",
                escape(line)
            ));
            return;
        }
        self.out
            .push_str(&format!("<text x=\"{x:.1}\" y=\"{baseline:.1}\"{attr}>"));
        for (i, l) in lines.iter().enumerate() {
            let dy = if i == 0 { 0.0 } else { LINE };
            self.out.push_str(&format!(
                "<tspan x=\"{x:.1}\" dy=\"{dy}\">{}</tspan>",
                escape(l)
            ));
        }
        self.out.push_str("</text>");
    }

    /// A filled box in the colour of series `k` (`None`: the one colour of a single series),
    /// hatched for odd series, with a tooltip.
    fn swatch(&mut self, k: Option<usize>, a: Area, tip: Option<String>) {
        let colour = k.map_or(COLOURS[3], |k| COLOURS[k % COLOURS.len()]);
        let geometry = format!(
            "x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"",
            a.x, a.y, a.w, a.h
        );
        match tip {
            Some(t) => self.out.push_str(&format!(
                "<rect {geometry} fill=\"{colour}\"><title>{}</title></rect>",
                escape(&t)
            )),
            None => self
                .out
                .push_str(&format!("<rect {geometry} fill=\"{colour}\"/>")),
        }
        if k.is_some_and(|k| k % 2 == 1) {
            self.out.push_str(&format!(
                "<rect {geometry} fill=\"url(#{}-hatch)\"/>",
                self.c.id
            ));
        }
    }
}

/// The chart as SVG, laid out for `WIDTH`: titled and described for screen readers
/// (`role="img"`, `aria-labelledby`), every text at `FONT`.
pub fn svg(c: &Chart) -> String {
    layout(c).0
}

/// The SVG and the estimated box of each of its texts.
fn layout(c: &Chart) -> (String, Vec<Area>) {
    let mut canvas = Canvas {
        c,
        out: String::new(),
        texts: Vec::new(),
    };
    let height = match c.kind {
        ChartKind::Stacked => stacked(&mut canvas),
        ChartKind::Line => line(&mut canvas),
        ChartKind::Bars => bars(&mut canvas),
    };
    let id = c.id;
    let out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"{FONT}\" fill=\"#1b1f24\">\
<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>\
<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"white\" stroke-width=\"2\"/></pattern></defs>{}</svg>",
        escape(&c.title),
        escape(&c.description),
        canvas.out,
    );
    (out, canvas.texts)
}

/// A legend: a swatch and a name per series, left to right, wrapping into rows as words do.
/// Returns the height it takes.
fn legend(cv: &mut Canvas, top: f64) -> f64 {
    let (gap, pad) = (6.0, 18.0);
    let text_max = WIDTH - SWATCH - gap;
    let (mut x, mut y, mut row) = (0.0, top, 0.0_f64);
    for (k, name) in cv.c.series.clone().iter().enumerate() {
        let lines = wrap(name, text_max);
        let w = SWATCH + gap + lines.iter().map(|l| text_width(l)).fold(0.0, f64::max);
        let h = lines.len() as f64 * LINE;
        if x > 0.0 && x + w > WIDTH {
            (x, y, row) = (0.0, y + row + 4.0, 0.0);
        }
        let a = Area {
            x,
            y: y + (LINE - SWATCH) / 2.0,
            w: SWATCH,
            h: SWATCH,
        };
        cv.swatch(Some(k), a, None);
        cv.text(x + SWATCH + gap, y, Anchor::Start, &lines);
        x += w + pad;
        row = row.max(h);
    }
    y + row - top
}

/// A row of the bar charts: its label above, then its bar; returns the top of the next row.
/// `segments` are (series, value) in order (no series: a single one, one colour throughout);
/// the total is written after the bar.
fn bar_row(
    cv: &mut Canvas,
    top: f64,
    label: &str,
    segments: &[(Option<usize>, f64)],
    max: f64,
    room: f64,
) -> f64 {
    let lines = wrap(label, WIDTH);
    cv.text(0.0, top, Anchor::Start, &lines);
    let bar_top = top + lines.len() as f64 * LINE + 4.0;
    let mut x = 0.0;
    for &(k, v) in segments {
        if v <= 0.0 {
            continue;
        }
        let w = v / max * room;
        let series = k.and_then(|k| cv.c.series.get(k));
        let tip = format!("{}: {}", series.map_or(label, |s| s), cv.c.value(v));
        cv.swatch(
            k,
            Area {
                x,
                y: bar_top,
                w,
                h: BAR,
            },
            Some(tip),
        );
        x += w;
    }
    // A row of zeros is no bar: its total stays written at the start.
    let total: f64 = segments.iter().map(|(_, v)| v).sum();
    let at = if x > 0.0 { x + 6.0 } else { 0.0 };
    cv.text(
        at,
        bar_top + (BAR - LINE) / 2.0,
        Anchor::Start,
        &[cv.c.value(total)],
    );
    bar_top + BAR + 14.0
}

/// The room left for bars once the widest total is written after the longest one.
fn bar_room(c: &Chart, max: f64) -> f64 {
    WIDTH - 6.0 - text_width(&c.value(max)) - 2.0
}

/// One bar per row, a segment per series, the legend on top; returns the height.
fn stacked(cv: &mut Canvas) -> f64 {
    let c = cv.c;
    let max = c
        .rows
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>())
        .fold(1.0, f64::max);
    let mut y = legend(cv, 4.0) + 4.0 + 14.0;
    let room = bar_room(c, max);
    for (label, values) in &c.rows {
        let segments: Vec<(Option<usize>, f64)> = (values.iter().enumerate())
            .map(|(k, v)| (Some(k), *v))
            .collect();
        y = bar_row(cv, y, label, &segments, max, room);
    }
    y.ceil()
}

/// One bar per row (the first series), each named by its label; returns the height.
fn bars(cv: &mut Canvas) -> f64 {
    let c = cv.c;
    let first = |v: &[f64]| v.first().copied().unwrap_or(0.0);
    let max = c.rows.iter().map(|(_, v)| first(v)).fold(1.0, f64::max);
    let room = bar_room(c, max);
    let mut y = 4.0;
    for (label, v) in &c.rows {
        y = bar_row(cv, y, label, &[(None, first(v))], max, room);
    }
    y.ceil()
}

/// A line across the rows (the first series), each point with its value above and its label
/// below; labels are thinned out when they would not fit side by side. Returns the height.
fn line(cv: &mut Canvas) -> f64 {
    let c = cv.c;
    let first = |v: &[f64]| v.first().copied().unwrap_or(0.0);
    let max = c
        .rows
        .iter()
        .map(|(_, v)| first(v))
        .fold(1.0, f64::max)
        .max(c.top.unwrap_or(100.0));
    let (top_label, zero) = (c.value(max), c.value(0.0));
    let x0 = text_width(&top_label).max(text_width(&zero)) + 8.0;
    let (y0, h) = (LINE + 8.0, 160.0);
    let bottom = y0 + h;
    // Half the widest label: the first and last points stay that far inside the plot.
    let widest = c
        .rows
        .iter()
        .flat_map(|(l, v)| [text_width(l), text_width(&c.value(first(v)))])
        .fold(0.0, f64::max);
    let pad = widest / 2.0 + 4.0;
    let (left, right) = (x0 + pad, WIDTH - pad);
    let n = c.rows.len();
    let step = if n > 1 {
        (right - left) / (n - 1) as f64
    } else {
        0.0
    };
    // Every `every`-th point is labelled, counted back from the latest.
    let every = if n > 1 {
        ((widest + 10.0) / step).ceil().max(1.0) as usize
    } else {
        1
    };
    cv.out.push_str(&format!(
        "<line x1=\"{x0:.1}\" y1=\"{bottom}\" x2=\"{WIDTH}\" y2=\"{bottom}\" stroke=\"#555\"/>\
<line x1=\"{x0:.1}\" y1=\"{y0}\" x2=\"{WIDTH}\" y2=\"{y0}\" stroke=\"#c4cdd5\" stroke-dasharray=\"4 3\"/>"
    ));
    cv.text(x0 - 6.0, y0 - FONT / 2.0 - 3.0, Anchor::End, &[top_label]);
    cv.text(x0 - 6.0, bottom - FONT / 2.0 - 3.0, Anchor::End, &[zero]);
    let points: Vec<(f64, f64)> = (c.rows.iter().enumerate())
        .map(|(i, (_, v))| {
            let x = if n > 1 {
                left + i as f64 * step
            } else {
                (left + right) / 2.0
            };
            (x, bottom - first(v) / max * h)
        })
        .collect();
    // One round is one point: no line to draw, the point and its value say it all.
    if points.len() > 1 {
        let path: Vec<String> = (points.iter())
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        cv.out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            path.join(" "),
            COLOURS[3]
        ));
    }
    for (i, ((x, y), (label, v))) in points.iter().zip(&c.rows).enumerate() {
        let value = c.value(first(v));
        cv.out.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\"><title>{}: {value}</title></circle>",
            COLOURS[3],
            escape(label),
        ));
        if (n - 1 - i).is_multiple_of(every) {
            cv.text(*x, y - 6.0 - LINE, Anchor::Middle, &[value]);
            cv.text(
                *x,
                bottom + 4.0,
                Anchor::Middle,
                std::slice::from_ref(label),
            );
        }
    }
    bottom + 4.0 + LINE + 4.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use egovwatch_domain::Lang;

    fn tr(lang: Lang) -> Tr {
        Tr::new(lang)
    }

    /// The stage names of frameworks/stages.toml, the longest first.
    const STAGES: [&str; 6] = [
        "Полностью электронная услуга",
        "Birtərəfli qarşılıqlı əlaqə",
        "Двустороннее взаимодействие",
        "Full online transaction",
        "Mövcud deyil",
        "Proactive service",
    ];

    /// Every chart the site and the report draw, in every language, with long names.
    fn examples() -> Vec<Chart> {
        let mut all = Vec::new();
        for lang in [Lang::Az, Lang::En, Lang::Ru] {
            let t = tr(lang);
            let stages = STAGES.iter().map(|s| s.to_string()).collect();
            let rows = (0..11)
                .map(|i| {
                    let name = format!("Həyat hadisəsi {i}: Жизненное событие с длинным названием, которое не помещается в одну строку");
                    (name, (0..6).map(|k| ((i + k) % 4) as f64).collect())
                })
                .collect();
            all.push(stages_chart(&t, stages, rows));
            let rounds: Vec<(String, f64)> = (0..24)
                .map(|i| {
                    (
                        format!("20{:02}-H{}", 10 + i / 2, 1 + i % 2),
                        10.0 + i as f64 * 3.7,
                    )
                })
                .collect();
            for n in [0, 1, 2, 5, 24] {
                all.push(index_chart(&t, &rounds[..n]));
            }
            all.push(movement_chart(&t, [4, 0, 1234, 7]));
        }
        all
    }

    #[test]
    fn no_two_texts_overlap_and_all_stay_inside_the_chart() {
        for c in examples() {
            let (svg, texts) = layout(&c);
            let height: f64 = svg
                .split("height=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .expect("a height");
            for (i, a) in texts.iter().enumerate() {
                assert!(
                    a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= WIDTH + 0.01 && a.y + a.h <= height,
                    "{} ({}): text {i} at {a:?} leaves the {WIDTH}×{height} chart",
                    c.id,
                    c.title
                );
                for (j, b) in texts.iter().enumerate().skip(i + 1) {
                    assert!(
                        !a.overlaps(b),
                        "{}: texts {i} {a:?} and {j} {b:?} overlap",
                        c.id
                    );
                }
            }
        }
    }

    #[test]
    fn every_series_is_in_the_legend_and_every_number_in_the_readers_language() {
        let t = tr(Lang::Ru);
        let c = stages_chart(
            &t,
            vec![
                "a".into(),
                "b".into(),
                "c".into(),
                "d".into(),
                "e".into(),
                "f".into(),
            ],
            vec![("x".into(), vec![1.5, 0.0, 0.0, 0.0, 0.0, 2.0])],
        );
        let svg = svg(&c);
        for s in ["a", "b", "c", "d", "e", "f"] {
            assert!(
                svg.contains(&format!(">{s}</text>")),
                "legend entry {s}: {svg}"
            );
        }
        assert!(svg.contains(">3,5</text>"), "the total in Russian: {svg}");
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby"));
        assert!(
            svg.contains("url(#stages-per-life-event-hatch)"),
            "odd series are hatched"
        );
        let index = index_chart(&t, &[("2015-H1".into(), 33.6)]);
        assert!(
            svg_text(&index).contains(&"33,6".to_string()),
            "{}",
            super::svg(&index)
        );
    }

    fn svg_text(c: &Chart) -> Vec<String> {
        svg(c)
            .split("</text>")
            .filter_map(|p| p.rsplit('>').next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn long_labels_wrap_and_short_ones_do_not() {
        assert_eq!(wrap("Birth of a child", WIDTH), vec!["Birth of a child"]);
        let long =
            "Жизненное событие с очень длинным названием, которое не помещается в одну строку";
        let lines = wrap(long, WIDTH);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l) <= WIDTH), "{lines:?}");
        assert_eq!(lines.join(" "), long);
    }
}
