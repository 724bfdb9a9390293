//! The report as a sequence of blocks (headings, paragraphs, tables, lists, charts), written
//! once and rendered by each format, so HTML, Markdown and PDF say exactly the same.

use crate::model::{Report, ServiceRow};
use egovwatch_domain::monitoring::Movement;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The title page: the title, the round's name, the lines that say who, when and on what
    /// framework, and the key figures.
    Title {
        title: String,
        subtitle: String,
        lines: Vec<String>,
        figures: Vec<Figure>,
    },
    Heading(u8, String),
    Para(String),
    List(Vec<String>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A chart by its index in `Report::charts`.
    Chart(usize),
}

/// One of the title page's key figures: a number and what it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: String,
    pub label: String,
}

/// The numbers a reader of the title page needs first: the national index and its change, the
/// services assessed, how many are fully online, how many go no further than information, and
/// how many moved since the compared round.
pub fn key_figures(r: &Report) -> Vec<Figure> {
    let t = &r.tr;
    let fig = |value: String, label: String| Figure { value, label };
    let count = |n: usize| t.integer(n);
    let against = r.against.as_deref().unwrap_or_default();
    let mut out = vec![fig(r.number(r.index_now), t.t("report-index"))];
    if r.against.is_some() {
        out.push(fig(
            r.delta(r.index_now, r.index_before),
            t.with("report-figure-change", &[("against", against)]),
        ));
    }
    let assessed: Vec<&ServiceRow> = r
        .services
        .iter()
        .filter(|s| {
            s.movement != Some(Movement::Withdrawn)
                && (s.stage_now.is_some() || s.score_now.is_some())
        })
        .collect();
    out.push(fig(count(assessed.len()), t.t("report-figure-assessed")));
    if let Some(top) = r.stage_names.len().checked_sub(1) {
        let top = u8::try_from(top).unwrap_or(u8::MAX);
        let online = egovwatch_domain::monitoring::fully_online(top);
        out.push(fig(
            count(
                assessed
                    .iter()
                    .filter(|s| s.stage_now >= Some(online))
                    .count(),
            ),
            t.with("report-figure-online", &[("stage", &online.to_string())]),
        ));
        for st in [0, 1].into_iter().filter(|st| *st < top) {
            out.push(fig(
                count(r.at_stage(st).len()),
                t.with(
                    "report-figure-stage",
                    &[
                        ("name", &r.stage_name(Some(st))),
                        ("stage", &st.to_string()),
                    ],
                ),
            ));
        }
    }
    if r.against.is_some() {
        for (m, key) in [
            (Movement::Improved, "report-figure-improved"),
            (Movement::Regressed, "report-figure-regressed"),
        ] {
            out.push(fig(
                count(r.with_movement(m).len()),
                t.with(key, &[("against", against)]),
            ));
        }
    }
    out
}

/// Which columns of a table hold numbers only (a dash for none allowed): those are set right
/// aligned in every format.
pub fn numeric_columns(head: &[String], rows: &[Vec<String>]) -> Vec<bool> {
    (0..head.len())
        .map(|c| {
            let mut cells = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty() && *v != "—")
                .peekable();
            cells.peek().is_some() && cells.all(is_number)
        })
        .collect()
}

/// A number as the report writes it in any of its languages: digits with a decimal comma or
/// point, grouped by spaces, commas or points, a sign or a per cent sign.
fn is_number(s: &str) -> bool {
    let s = s.trim_start_matches(['+', '-', '−']).trim_end_matches('%');
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}'))
}

/// The most rows a table of the report shows. A national round of tens of thousands of
/// services would otherwise make a document of thousands of pages, seconds and gigabytes to
/// write; the rows past it are counted under the table, and every row is in the CSV files
/// published with the report and in the API.
pub const MAX_ROWS: usize = 250;

/// A table of at most [`MAX_ROWS`] rows, followed by how many there are when they are more.
fn table(
    r: &Report,
    head: Vec<String>,
    rows: impl ExactSizeIterator<Item = Vec<String>>,
) -> Vec<Block> {
    let total = rows.len();
    let mut out = vec![Block::Table {
        head,
        rows: rows.take(MAX_ROWS).collect(),
    }];
    if total > MAX_ROWS {
        out.push(Block::Para(r.tr.with(
            "report-rows-shown",
            &[
                ("shown", &r.tr.integer(MAX_ROWS)),
                ("total", &r.tr.integer(total)),
            ],
        )));
    }
    out
}

fn service_table(r: &Report, rows: &[&ServiceRow], with_change: bool) -> Vec<Block> {
    let t = &r.tr;
    let mut head = vec![t.t("report-col-service"), t.t("report-col-stage-now")];
    if with_change {
        head.push(t.t("report-col-stage-before"));
        head.push(t.t("report-col-change"));
    }
    let rows = rows.iter().map(|s| {
        let mut row = vec![s.name.clone(), stage(r, s.stage_now)];
        if with_change {
            row.push(stage(r, s.stage_before));
            row.push(movement(r, s.movement));
        }
        row
    });
    table(r, head, rows)
}

/// Services a row of a table names: up to `named` by name, the rest counted, so that a link or
/// an investment that holds up hundreds of services stays one readable row (the CSV files and
/// the web pages list them all).
fn some_services(r: &Report, services: &[String], named: usize) -> String {
    let mut out: Vec<String> = services.iter().take(named).cloned().collect();
    if services.len() > named {
        out.push(r.tr.counted("report-more-services", services.len() - named, &[]));
    }
    out.join("; ")
}

fn stage(r: &Report, s: Option<u8>) -> String {
    match s {
        Some(v) => format!("{v} · {}", r.stage_name(Some(v))),
        None => "—".into(),
    }
}

fn movement(r: &Report, m: Option<Movement>) -> String {
    let Some(m) = m else {
        return "—".into();
    };
    r.tr.t(match m {
        Movement::Improved => "report-improved",
        Movement::Regressed => "report-regressed",
        Movement::Unchanged => "report-unchanged",
        Movement::New => "report-new",
        Movement::Withdrawn => "report-withdrawn",
    })
}

/// The sentence of message `key` giving a value now, and before with the change when the report
/// compares with a round; without one, `{key}-alone` with the value now.
fn score_sentence(r: &Report, key: &str, now: Option<f64>, before: Option<f64>) -> String {
    match r.against {
        Some(_) => r.tr.with(
            key,
            &[
                ("now", &r.number(now)),
                ("before", &r.number(before)),
                ("delta", &r.delta(now, before)),
            ],
        ),
        None => {
            r.tr.with(&format!("{key}-alone"), &[("now", &r.number(now))])
        }
    }
}

pub fn blocks(r: &Report) -> Vec<Block> {
    let t = &r.tr;
    let mut b = Vec::new();
    let period = match &r.against {
        Some(against) => t.with(
            "report-period",
            &[("period", &r.period), ("against", against)],
        ),
        None => t.with("report-period-alone", &[("period", &r.period)]),
    };
    b.push(Block::Title {
        title: t.with("report-title", &[("round", &r.round)]),
        subtitle: r.round_name.clone(),
        lines: vec![
            t.with("report-monitor", &[("monitor", &r.monitor)]),
            period,
            t.with("report-framework", &[("framework", &r.framework)]),
            t.with("report-date", &[("date", &r.date)]),
        ],
        figures: key_figures(r),
    });
    if r.revision > 0 {
        b.push(Block::Para(t.with(
            "report-revision",
            &[("revision", &r.revision.to_string())],
        )));
    }

    // Executive summary.
    b.push(Block::Heading(1, t.t("report-summary")));
    let improved = r.with_movement(Movement::Improved);
    let regressed = r.with_movement(Movement::Regressed);
    let (zero, one) = (r.at_stage(0), r.at_stage(1));
    b.push(Block::Para(score_sentence(
        r,
        "report-summary-index",
        r.index_now,
        r.index_before,
    )));
    b.extend(r.findings.iter().cloned().map(Block::Para));
    if !r.investments.is_empty() {
        let first: Vec<String> = r
            .investments
            .iter()
            .take(5)
            .map(|i| i.title.clone())
            .collect();
        b.push(Block::Para(t.with(
            "report-summary-conclusion",
            &[("investments", &first.join("; "))],
        )));
    }
    let compared = r.against.is_some();
    let mut head = vec![t.t("report-col-stage"), t.t("report-col-now")];
    if compared {
        head.push(t.t("report-col-before"));
    }
    let rows: Vec<Vec<String>> = r
        .stage_counts
        .iter()
        .enumerate()
        .map(|(st, (n, bf))| {
            let mut row = vec![stage(r, Some(st as u8)), t.integer(*n)];
            if compared {
                row.push(t.integer(*bf));
            }
            row
        })
        .collect();
    // A framework without stages has no such table.
    if !rows.is_empty() {
        b.push(Block::Heading(2, t.t("report-services-per-stage")));
        b.push(Block::Table { head, rows });
    }
    if compared {
        b.push(Block::Chart(2));
    }
    b.push(Block::Chart(1));

    // The lists a reader looks for first.
    b.push(Block::Heading(1, t.t("report-lists")));
    b.push(Block::Heading(2, t.t("report-undeveloped")));
    if zero.is_empty() {
        b.push(Block::Para(t.t("report-none")));
    } else {
        b.extend(service_table(r, &zero, compared));
    }
    b.push(Block::Heading(2, t.t("report-information-only")));
    if one.is_empty() {
        b.push(Block::Para(t.t("report-none")));
    } else {
        b.extend(service_table(r, &one, compared));
    }
    b.push(Block::Heading(2, t.t("report-accomplishments")));
    if !compared {
        b.push(Block::Para(t.t("report-no-comparison")));
    } else if improved.is_empty() {
        b.push(Block::Para(t.t("report-none")));
    } else {
        b.extend(service_table(r, &improved, true));
    }
    if !regressed.is_empty() {
        b.push(Block::Heading(2, t.t("report-regressions")));
        b.extend(service_table(r, &regressed, true));
    }

    // Life events from birth to death.
    b.push(Block::Heading(1, t.t("report-life-events")));
    b.push(Block::Chart(0));
    for le in &r.life_events {
        b.push(Block::Heading(2, le.name.clone()));
        b.push(Block::Para(score_sentence(
            r,
            "report-life-event-score",
            le.score_now,
            le.score_before,
        )));
        let rows: Vec<&ServiceRow> = le.services.iter().collect();
        b.extend(service_table(r, &rows, compared));
    }

    // Information systems and data.
    b.push(Block::Heading(1, t.t("report-systems")));
    b.push(Block::Heading(2, t.t("report-registries")));
    if r.registries.is_empty() {
        b.push(Block::Para(t.t("report-none")));
    } else {
        b.extend(table(
            r,
            vec![
                t.t("report-col-system"),
                t.t("report-col-owner"),
                t.t("report-col-digitisation"),
                t.t("report-col-as-of"),
            ],
            r.registries.iter().map(|s| {
                let share = s.share.map(|p| format!(" ({p}%)")).unwrap_or_default();
                vec![
                    s.name.clone(),
                    s.owner.clone(),
                    format!("{}{share}", s.state),
                    s.as_of.clone(),
                ]
            }),
        ));
        // The registry as it stands now: a report on an earlier round says so when a record
        // describes a later state.
        if r.registries.iter().any(|s| s.as_of > r.period_end) {
            b.push(Block::Para(
                t.with("report-registries-later", &[("end", &r.period_end)]),
            ));
        }
    }
    b.push(Block::Heading(2, t.t("report-missing-links")));
    if r.missing_links.is_empty() {
        b.push(Block::Para(t.t("report-none")));
    } else {
        b.extend(table(
            r,
            vec![
                t.t("report-col-dataset"),
                t.t("report-col-evidence"),
                t.t("report-col-needed-by"),
                t.t("report-col-blocks"),
            ],
            r.missing_links.iter().map(|l| {
                vec![
                    l.dataset.clone(),
                    l.evidence.clone(),
                    l.organisation.clone(),
                    some_services(r, &l.services, 3),
                ]
            }),
        ));
    }
    b.push(Block::Heading(2, t.t("report-investments")));
    b.push(Block::Table {
        head: vec![
            t.t("report-col-rank"),
            t.t("report-col-investment"),
            t.t("report-col-unlocks"),
            t.t("report-col-moves"),
        ],
        rows: r
            .investments
            .iter()
            .map(|i| {
                vec![
                    i.rank.to_string(),
                    i.title.clone(),
                    some_services(r, &i.unlocks, 5),
                    t.integer(i.moves),
                ]
            })
            .collect(),
    });

    // Annexes.
    b.push(Block::Heading(1, t.t("report-annex-methodology")));
    b.push(Block::Table {
        head: vec![t.t("report-col-element"), t.t("report-col-definition")],
        rows: r
            .methodology
            .iter()
            .map(|(k, v)| vec![k.clone(), v.clone()])
            .collect(),
    });
    b.push(Block::Heading(1, t.t("report-annex-data")));
    b.push(Block::Para(t.t("report-annex-data-csv")));
    b.extend(table(
        r,
        vec![
            t.t("report-col-service"),
            t.t("report-col-organisation"),
            t.t("report-col-life-events"),
            t.t("report-col-stage-before"),
            t.t("report-col-stage-now"),
            t.t("report-col-score-before"),
            t.t("report-col-score-now"),
        ],
        r.services.iter().map(|s| {
            vec![
                s.name.clone(),
                s.organisation.clone(),
                s.life_events.clone(),
                s.stage_before
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into()),
                s.stage_now
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into()),
                r.number(s.score_before),
                r.number(s.score_now),
            ]
        }),
    ));
    b.push(Block::Heading(1, t.t("report-annex-evidence")));
    b.push(Block::Para(t.t("report-annex-evidence-csv")));
    b.extend(table(
        r,
        vec![
            t.t("report-col-service"),
            t.t("report-col-answer"),
            t.t("report-col-evidence"),
            t.t("report-col-date"),
            t.t("report-col-assessor"),
        ],
        r.evidence_refs.iter().map(|e| {
            // A few answers are named; a whole questionnaire is counted (the CSV has each).
            let answers = if e.answers.len() <= 3 {
                e.answers
                    .iter()
                    .map(|(q, a)| format!("{q}: {a}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            } else {
                t.count("report-answers", e.answers.len())
            };
            vec![
                e.service.clone(),
                answers,
                e.url.clone(),
                e.date.clone(),
                e.assessor.clone(),
            ]
        }),
    ));
    b
}
