//! The report's charts as hand-written SVG: deterministic bytes, a `<title>` and `<desc>` for
//! screen readers, patterns as well as colours (never colour alone), and the same numbers as a
//! data table beside each chart.

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
    vec![
        stages_chart(&r.tr, r.stage_names.clone(), rows),
        index_chart(&r.tr, index_series),
        movement_chart(
            &r.tr,
            [
                count(Movement::Improved),
                count(Movement::Regressed),
                count(Movement::Unchanged),
                count(Movement::New),
            ],
        ),
    ]
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
    }
}

/// Services improved, regressed, unchanged and new since the previous round.
pub fn movement_chart(tr: &Tr, [improved, regressed, unchanged, new]: [usize; 4]) -> Chart {
    Chart {
        id: "improved-regressed",
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

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

pub fn svg(c: &Chart) -> String {
    let id = c.id;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 640 {h}\" width=\"640\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\
<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>\
<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"white\" fill-opacity=\"0\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"white\" stroke-width=\"2\"/></pattern></defs>",
        escape(&c.title),
        escape(&c.description),
        h = height(c)
    );
    match c.kind {
        ChartKind::Stacked => stacked(c, &mut out),
        ChartKind::Line => line(c, &mut out),
        ChartKind::Bars => bars(c, &mut out),
    }
    out.push_str("</svg>");
    out
}

fn height(c: &Chart) -> usize {
    match c.kind {
        ChartKind::Stacked => 40 + c.rows.len() * 24 + 30,
        ChartKind::Line => 240,
        ChartKind::Bars => 40 + c.rows.len() * 28,
    }
}

fn stacked(c: &Chart, out: &mut String) {
    let max = c
        .rows
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>())
        .fold(1.0, f64::max);
    let (x0, w) = (200.0, 420.0);
    for (i, (label, values)) in c.rows.iter().enumerate() {
        let y = 30.0 + i as f64 * 24.0;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            x0 - 6.0,
            y + 13.0,
            escape(label)
        ));
        let mut x = x0;
        for (k, v) in values.iter().enumerate() {
            if *v <= 0.0 {
                continue;
            }
            let bw = v / max * w;
            let colour = COLOURS[k % COLOURS.len()];
            out.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{bw:.1}\" height=\"18\" fill=\"{colour}\"><title>{}: {}</title></rect>",
                escape(&c.series[k]),
                num(*v)
            ));
            if k % 2 == 1 {
                out.push_str(&format!("<rect x=\"{x:.1}\" y=\"{y}\" width=\"{bw:.1}\" height=\"18\" fill=\"url(#{}-hatch)\"/>", c.id));
            }
            x += bw;
        }
    }
    // Legend below the bars.
    let ly = 30.0 + c.rows.len() as f64 * 24.0 + 10.0;
    for (k, s) in c.series.iter().enumerate() {
        let lx = 10.0 + (k % 3) as f64 * 210.0;
        let y = ly + (k / 3) as f64 * 0.0;
        let colour = COLOURS[k % COLOURS.len()];
        out.push_str(&format!(
            "<rect x=\"{lx}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>"
        ));
        if k % 2 == 1 {
            out.push_str(&format!(
                "<rect x=\"{lx}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"url(#{}-hatch)\"/>",
                c.id
            ));
        }
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{} {}</text>",
            lx + 16.0,
            y + 10.0,
            k,
            escape(s)
        ));
    }
}

fn line(c: &Chart, out: &mut String) {
    let max = c
        .rows
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(1.0, f64::max)
        .max(c.top.unwrap_or(100.0));
    let (x0, y0, w, h) = (50.0, 20.0, 560.0, 180.0);
    out.push_str(&format!(
        "<line x1=\"{x0}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\"/>",
        y0 + h,
        x0 + w,
        y0 + h
    ));
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        x0 - 6.0,
        y0 + 4.0,
        num(max)
    ));
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        x0 - 6.0,
        y0 + h
    ));
    let n = c.rows.len().max(1);
    let step = if n > 1 { w / (n - 1) as f64 } else { 0.0 };
    let points: Vec<(f64, f64)> = c
        .rows
        .iter()
        .enumerate()
        .map(|(i, (_, v))| (x0 + i as f64 * step, y0 + h - v[0] / max * h))
        .collect();
    let path: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    // One round is one point: no line to draw, the point and its value say it all.
    if points.len() > 1 {
        out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            path.join(" "),
            COLOURS[3]
        ));
    }
    for ((x, y), (label, v)) in points.iter().zip(&c.rows) {
        out.push_str(&format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\"><title>{}: {}</title></circle>", COLOURS[3], escape(label), num(v[0])));
        out.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            y - 8.0,
            num(v[0])
        ));
        out.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            y0 + h + 16.0,
            escape(label)
        ));
    }
}

fn bars(c: &Chart, out: &mut String) {
    let max = c.rows.iter().map(|(_, v)| v[0]).fold(1.0, f64::max);
    let (x0, w) = (160.0, 420.0);
    for (i, (label, v)) in c.rows.iter().enumerate() {
        let y = 20.0 + i as f64 * 28.0;
        let bw = v[0] / max * w;
        let colour = COLOURS[(i * 2 + 3) % COLOURS.len()];
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            x0 - 6.0,
            y + 14.0,
            escape(label)
        ));
        // A zero-width bar is no bar: its value stays written beside the axis.
        if bw > 0.0 {
            out.push_str(&format!(
                "<rect x=\"{x0}\" y=\"{y}\" width=\"{bw:.1}\" height=\"20\" fill=\"{colour}\"/>"
            ));
        }
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\">{}</text>",
            x0 + bw + 6.0,
            y + 14.0,
            num(v[0])
        ));
    }
}
