//! The report as a sequence of blocks (headings, paragraphs, tables, lists, charts), written
//! once and rendered by each format, so HTML, Markdown and PDF say exactly the same.

use crate::model::{Report, ServiceRow};
use egovwatch_domain::monitoring::Movement;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title {
        title: String,
        lines: Vec<String>,
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

fn service_table(r: &Report, rows: &[&ServiceRow], with_change: bool) -> Block {
    let t = &r.tr;
    let mut head = vec![t.t("report-col-service"), t.t("report-col-stage-now")];
    if with_change {
        head.push(t.t("report-col-stage-before"));
        head.push(t.t("report-col-change"));
    }
    let rows = rows
        .iter()
        .map(|s| {
            let mut row = vec![s.name.clone(), stage(r, s.stage_now)];
            if with_change {
                row.push(stage(r, s.stage_before));
                row.push(movement(r, s.movement));
            }
            row
        })
        .collect();
    Block::Table { head, rows }
}

fn stage(r: &Report, s: Option<u8>) -> String {
    match s {
        Some(v) => format!("{v} · {}", r.stage_name(Some(v))),
        None => "—".into(),
    }
}

fn movement(r: &Report, m: Movement) -> String {
    r.tr.t(match m {
        Movement::Improved => "report-improved",
        Movement::Regressed => "report-regressed",
        Movement::Unchanged => "report-unchanged",
        Movement::New => "report-new",
        Movement::Withdrawn => "report-withdrawn",
    })
}

pub fn blocks(r: &Report) -> Vec<Block> {
    let t = &r.tr;
    let mut b = Vec::new();
    let against = r.against.clone().unwrap_or_else(|| "—".into());
    b.push(Block::Title {
        title: t.with("report-title", &[("round", &r.round)]),
        lines: vec![
            t.with("report-monitor", &[("monitor", &r.monitor)]),
            t.with(
                "report-period",
                &[("period", &r.period), ("against", &against)],
            ),
            t.with("report-framework", &[("framework", &r.framework)]),
            t.with("report-date", &[("date", &r.date)]),
        ],
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
    let new = r.with_movement(Movement::New);
    let (zero, one) = (r.at_stage(0), r.at_stage(1));
    b.push(Block::Para(t.with(
        "report-summary-index",
        &[
            ("now", &r.number(r.index_now)),
            ("before", &r.number(r.index_before)),
            ("delta", &r.delta(r.index_now, r.index_before)),
        ],
    )));
    b.push(Block::Para(t.with(
        "report-summary-movement",
        &[
            ("improved", &improved.len().to_string()),
            ("regressed", &regressed.len().to_string()),
            ("new", &new.len().to_string()),
        ],
    )));
    b.push(Block::Para(t.with(
        "report-summary-stuck",
        &[
            ("zero", &zero.len().to_string()),
            ("one", &one.len().to_string()),
        ],
    )));
    if !improved.is_empty() {
        let names: Vec<String> = improved.iter().map(|s| s.name.clone()).collect();
        b.push(Block::Para(t.with(
            "report-summary-accomplished",
            &[("services", &names.join("; "))],
        )));
    }
    if !r.registries.is_empty() {
        let names: Vec<String> = r.registries.iter().map(|s| s.name.clone()).collect();
        b.push(Block::Para(t.with(
            "report-summary-registries",
            &[("registries", &names.join("; "))],
        )));
    }
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
    let head = vec![
        t.t("report-col-stage"),
        t.t("report-col-now"),
        t.t("report-col-before"),
    ];
    let rows = r
        .stage_counts
        .iter()
        .enumerate()
        .map(|(st, (n, bf))| vec![stage(r, Some(st as u8)), n.to_string(), bf.to_string()])
        .collect();
    b.push(Block::Heading(2, t.t("report-services-per-stage")));
    b.push(Block::Table { head, rows });
    b.push(Block::Chart(2));
    b.push(Block::Chart(1));

    // The lists a reader looks for first.
    b.push(Block::Heading(1, t.t("report-lists")));
    b.push(Block::Heading(2, t.t("report-undeveloped")));
    b.push(if zero.is_empty() {
        Block::Para(t.t("report-none"))
    } else {
        service_table(r, &zero, true)
    });
    b.push(Block::Heading(2, t.t("report-information-only")));
    b.push(if one.is_empty() {
        Block::Para(t.t("report-none"))
    } else {
        service_table(r, &one, true)
    });
    b.push(Block::Heading(2, t.t("report-accomplishments")));
    b.push(if improved.is_empty() {
        Block::Para(t.t("report-none"))
    } else {
        service_table(r, &improved, true)
    });
    if !regressed.is_empty() {
        b.push(Block::Heading(2, t.t("report-regressions")));
        b.push(service_table(r, &regressed, true));
    }

    // Life events from birth to death.
    b.push(Block::Heading(1, t.t("report-life-events")));
    b.push(Block::Chart(0));
    for le in &r.life_events {
        b.push(Block::Heading(2, le.name.clone()));
        b.push(Block::Para(t.with(
            "report-life-event-score",
            &[
                ("now", &r.number(le.score_now)),
                ("before", &r.number(le.score_before)),
                ("delta", &r.delta(le.score_now, le.score_before)),
            ],
        )));
        let rows: Vec<&ServiceRow> = le.services.iter().collect();
        b.push(service_table(r, &rows, true));
    }

    // Information systems and data.
    b.push(Block::Heading(1, t.t("report-systems")));
    b.push(Block::Heading(2, t.t("report-registries")));
    if r.registries.is_empty() {
        b.push(Block::Para(t.t("report-none")));
    } else {
        b.push(Block::Table {
            head: vec![
                t.t("report-col-system"),
                t.t("report-col-owner"),
                t.t("report-col-digitisation"),
                t.t("report-col-as-of"),
            ],
            rows: r
                .registries
                .iter()
                .map(|s| {
                    let share = s.share.map(|p| format!(" ({p}%)")).unwrap_or_default();
                    vec![
                        s.name.clone(),
                        s.owner.clone(),
                        format!("{}{share}", s.state),
                        s.as_of.clone(),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::Heading(2, t.t("report-missing-links")));
    b.push(if r.missing_links.is_empty() {
        Block::Para(t.t("report-none"))
    } else {
        Block::Table {
            head: vec![
                t.t("report-col-dataset"),
                t.t("report-col-evidence"),
                t.t("report-col-needed-by"),
                t.t("report-col-blocks"),
            ],
            rows: r
                .missing_links
                .iter()
                .map(|l| {
                    // Up to three services by name; the rest are counted.
                    let mut blocks = l.services.iter().take(3).cloned().collect::<Vec<_>>();
                    if l.services.len() > 3 {
                        blocks.push(t.count("report-more-services", l.services.len() - 3));
                    }
                    vec![
                        l.dataset.clone(),
                        l.evidence.clone(),
                        l.organisation.clone(),
                        blocks.join("; "),
                    ]
                })
                .collect(),
        }
    });
    b.push(Block::Heading(2, t.t("report-investments")));
    b.push(Block::Table {
        head: vec![
            t.t("report-col-rank"),
            t.t("report-col-investment"),
            t.t("report-col-unlocks"),
        ],
        rows: r
            .investments
            .iter()
            .map(|i| vec![i.rank.to_string(), i.title.clone(), i.unlocks.join("; ")])
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
    b.push(Block::Table {
        head: vec![
            t.t("report-col-service"),
            t.t("report-col-organisation"),
            t.t("report-col-life-events"),
            t.t("report-col-stage-before"),
            t.t("report-col-stage-now"),
            t.t("report-col-score-before"),
            t.t("report-col-score-now"),
        ],
        rows: r
            .services
            .iter()
            .map(|s| {
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
            })
            .collect(),
    });
    b.push(Block::Heading(1, t.t("report-annex-evidence")));
    b.push(Block::Para(t.t("report-annex-evidence-csv")));
    b.push(Block::Table {
        head: vec![
            t.t("report-col-service"),
            t.t("report-col-answer"),
            t.t("report-col-evidence"),
            t.t("report-col-date"),
            t.t("report-col-assessor"),
        ],
        rows: r
            .evidence_refs
            .iter()
            .map(|e| {
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
            })
            .collect(),
    });
    b
}
