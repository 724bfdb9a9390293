// Queries of the monitoring tables, compiled once per backend like `queries.rs`.

pub mod rounds_q {
    use super::{Conn, round_row_for_update, write_tx};
    use crate::StoreError;
    use egovwatch_domain::Conflict;
    use crate::round_rows::{
        AssessmentRow, GroupResultRow, ResultRow, ResultRows, RoundRow, TotalResultRow,
        UnitResultRow,
    };
    use crate::schema::{
        assessments, round_group_results, round_results, round_revisions, round_total_results,
        round_scope, round_unit_results, rounds,
    };
    use egovwatch_domain::monitoring::RoundResults;
    use diesel::prelude::*;
    use egovwatch_domain::monitoring::{Assessment, Round, RoundState};
    use egovwatch_domain::Text;

    /// Creates a round with its first answers (a prefill), all or nothing. Two writers creating
    /// the same code race on the primary key; the loser is retried and then sees the round.
    pub fn create(c: &mut Conn, round: &Round, items: &[Assessment]) -> Result<(), StoreError> {
        egovwatch_domain::code::check_round_code(&round.code).map_err(StoreError::Refused)?;
        write_tx(c, |c| {
            let exists: i64 = rounds::table.filter(rounds::code.eq(&round.code)).count().get_result(c)?;
            if exists > 0 {
                return Err(StoreError::Conflict(Conflict::RoundExists {
                    round: round.code.clone(),
                }));
            }
            diesel::insert_into(rounds::table).values(RoundRow::from_domain(round, 1)?).execute(c)?;
            insert_answers(c, &round.code, items, round.revision, None)?;
            Ok(())
        })
    }

    /// Imports registry records and whole rounds (round and answers) in one write transaction:
    /// a new round is stored with its answers; a stored round whose scope and answers are the
    /// same is left as it is; one that differs is refused (its answers are evidence and change
    /// only by a correction), and nothing of the import is written. Returns the registry's
    /// changes and, per round, whether it was new.
    pub fn import_rounds(
        c: &mut Conn,
        registry: &egovwatch_domain::Registry,
        meta: &crate::ChangeMeta,
        incoming: &[(Round, Vec<Assessment>)],
        now: &str,
    ) -> Result<(crate::ImportReport, Vec<bool>), StoreError> {
        write_tx(c, |c| {
            let report = super::import_in(
                c,
                registry,
                egovwatch_domain::change::Channels::Given,
                meta,
                None,
                now,
            )?;
            let mut created = Vec::with_capacity(incoming.len());
            for (round, items) in incoming {
                egovwatch_domain::code::check_round_code(&round.code).map_err(StoreError::Refused)?;
                match get(c, &round.code)? {
                    None => {
                        diesel::insert_into(rounds::table).values(RoundRow::from_domain(round, 1)?).execute(c)?;
                        insert_answers(c, &round.code, items, round.revision, None)?;
                        created.push(true);
                    }
                    Some(stored) => {
                        let have = answers(c, &round.code, None)?;
                        let differ = differing(&egovwatch_domain::monitoring::effective(&have), items);
                        if stored.scope != round.scope || differ > 0 {
                            return Err(StoreError::Refused(format!(
                                "round {} is already stored with {} answer(s) that differ from this import{}; \
                                 its answers are evidence: correct them one by one (`round add --correction`) \
                                 or import into another database",
                                round.code,
                                differ,
                                if stored.scope != round.scope { " and another scope" } else { "" },
                            )));
                        }
                        created.push(false);
                    }
                }
            }
            Ok((report, created))
        })
    }

    /// How many answers are in one list and not the other (what was answered, with its
    /// evidence; not who stored it when).
    fn differing(have: &[&Assessment], want: &[Assessment]) -> usize {
        use std::collections::BTreeMap;
        let key = |a: &Assessment| {
            (
                a.service.clone(),
                a.channel.clone(),
                a.perspective,
                a.question.clone(),
                a.answer.clone(),
                a.evidence_url.clone(),
                a.evidence_note.clone(),
            )
        };
        let mut count: BTreeMap<_, i64> = BTreeMap::new();
        for a in have {
            *count.entry(key(a)).or_default() += 1;
        }
        for a in want {
            *count.entry(key(a)).or_default() -= 1;
        }
        count.values().map(|n| n.unsigned_abs() as usize).sum()
    }

    pub fn list(c: &mut Conn) -> Result<Vec<Round>, StoreError> {
        rounds::table
            .order((rounds::period_start, rounds::code))
            .select(RoundRow::as_select())
            .load(c)?
            .iter()
            .map(RoundRow::to_domain)
            .collect()
    }

    /// The published rounds, oldest period first, without their scopes: `scope` is left
    /// empty, not read (a scope is a list of services; the UN survey's scale stores 16 MB of
    /// them).
    pub fn published_without_scope(c: &mut Conn) -> Result<Vec<Round>, StoreError> {
        use diesel::sql_types::Text;
        rounds::table
            .filter(rounds::state.eq(RoundState::Published.as_str()))
            .order((rounds::period_start, rounds::code))
            .select((
                rounds::code,
                rounds::name,
                rounds::period_start,
                rounds::period_end,
                rounds::framework,
                rounds::framework_version,
                "[]".into_sql::<Text>(),
                rounds::state,
                rounds::assessors,
                rounds::revision,
                rounds::created_at,
                rounds::closed_at,
                rounds::published_at,
                rounds::version,
            ))
            .load::<RoundRow>(c)?
            .iter()
            .map(RoundRow::to_domain)
            .collect()
    }

    /// The rounds on `framework` whose scope names any of `services`, and those on it that
    /// cover every service (an empty scope), oldest period first: found through the
    /// `round_scope` index, without reading the other rounds' scopes.
    pub fn naming(c: &mut Conn, framework: &str, services: &[&str]) -> Result<Vec<Round>, StoreError> {
        let mut codes: std::collections::BTreeSet<String> = rounds::table
            .filter(rounds::framework.eq(framework))
            .filter(rounds::scope.eq("[]"))
            .select(rounds::code)
            .load(c)?
            .into_iter()
            .collect();
        // Chunks keep each statement under the backends' bind-parameter limits.
        for chunk in services.chunks(1000) {
            codes.extend(
                round_scope::table
                    .inner_join(rounds::table.on(rounds::code.eq(round_scope::round_code)))
                    .filter(rounds::framework.eq(framework))
                    .filter(round_scope::service_code.eq_any(chunk))
                    .select(round_scope::round_code)
                    .distinct()
                    .load::<String>(c)?,
            );
        }
        let mut out = Vec::with_capacity(codes.len());
        let codes: Vec<String> = codes.into_iter().collect();
        for chunk in codes.chunks(1000) {
            for row in rounds::table
                .filter(rounds::code.eq_any(chunk))
                .select(RoundRow::as_select())
                .load(c)?
            {
                out.push(row.to_domain()?);
            }
        }
        out.sort_by(|a: &Round, b: &Round| (&a.period_start, &a.code).cmp(&(&b.period_start, &b.code)));
        Ok(out)
    }

    /// How many services round `code`'s scope names (0 for a round about every service).
    pub fn scope_size(c: &mut Conn, code: &str) -> Result<usize, StoreError> {
        let n: i64 = round_scope::table
            .filter(round_scope::round_code.eq(code))
            .count()
            .get_result(c)?;
        Ok(usize::try_from(n).unwrap_or_default())
    }

    /// Who the published rounds are about ([`crate::RoundLeads`]): the leading organisations
    /// of the services their scopes name, as the `round_leads` table keeps them, and every
    /// organisation's parent; the scopes themselves are not read.
    pub fn leads(c: &mut Conn) -> Result<crate::RoundLeads, StoreError> {
        use crate::schema::{organisations, round_leads};
        let published = RoundState::Published.as_str();
        let covers_every = diesel::select(diesel::dsl::exists(
            rounds::table
                .filter(rounds::state.eq(published))
                .filter(rounds::scope.eq("[]")),
        ))
        .get_result::<bool>(c)?;
        let leads = round_leads::table
            .inner_join(rounds::table.on(rounds::code.eq(round_leads::round_code)))
            .filter(rounds::state.eq(published))
            .select((round_leads::round_code, round_leads::organisation_code))
            .load::<(String, String)>(c)?;
        let parents = organisations::table
            .select((organisations::code, organisations::parent_code))
            .load::<(String, Option<String>)>(c)?;
        Ok(crate::RoundLeads {
            covers_every,
            leads,
            parents,
        })
    }

    pub fn get(c: &mut Conn, code: &str) -> Result<Option<Round>, StoreError> {
        rounds::table
            .filter(rounds::code.eq(code))
            .select(RoundRow::as_select())
            .first(c)
            .optional()?
            .map(|r| r.to_domain())
            .transpose()
    }

    /// The round as it is now, locked until the transaction ends (`SELECT ... FOR UPDATE` on
    /// PostgreSQL; on SQLite the write transaction holds the database's write lock), so a change
    /// of state and an import of answers into the same round take turns.
    fn locked(c: &mut Conn, code: &str) -> Result<(Round, i32), StoreError> {
        let row = round_row_for_update(c, code)?
            .ok_or_else(|| StoreError::NotFound(format!("round {code}")))?;
        Ok((row.to_domain()?, row.version))
    }

    /// Saves a round read at `version`; fails with a conflict if it changed meanwhile.
    fn save(c: &mut Conn, round: &Round, version: i32) -> Result<(), StoreError> {
        let n = diesel::update(rounds::table.filter(rounds::code.eq(&round.code)).filter(rounds::version.eq(version)))
            .set(RoundRow::from_domain(round, version + 1)?)
            .execute(c)?;
        if n == 0 {
            return Err(StoreError::Conflict(Conflict::RoundChanged {
                round: round.code.clone(),
            }));
        }
        Ok(())
    }

    pub fn set_state(c: &mut Conn, code: &str, to: RoundState, now: &str, results: Option<crate::Compute<'_>>) -> Result<Round, StoreError> {
        write_tx(c, |c| {
            let (mut round, version) = locked(c, code)?;
            // Read under the round's lock: no answer can slip in between.
            let given = if round.state == RoundState::Open && to == RoundState::Closed && round.assessors > 1 {
                answers(c, code, None)?
            } else {
                Vec::new()
            };
            round.move_to(to, now, &given).map_err(StoreError::Refused)?;
            if let (RoundState::Published, Some(compute)) = (to, results) {
                // Computed from the answers as they are under the round's lock, and stored in
                // the transaction that publishes it: a published round always has its results.
                let all = answers(c, code, None)?;
                write_results(c, &compute(&round, &all).map_err(StoreError::Refused)?)?;
            }
            save(c, &round, version)?;
            Ok(round)
        })
    }

    /// Appends answers in one transaction. An open round takes them as they are; a closed one
    /// refuses; a published one takes them only as a correction with a reason, which opens a
    /// new revision of the round.
    pub fn add_assessments(
        c: &mut Conn,
        code: &str,
        items: &[Assessment],
        correction: Option<(&str, &Text)>,
        now: &str,
        results: Option<crate::Compute<'_>>,
    ) -> Result<i32, StoreError> {
        write_tx(c, |c| {
            let (mut round, version) = locked(c, code)?;
            let revision = match (round.state, correction) {
                (RoundState::Open, None) => round.revision,
                (RoundState::Open, Some(_)) => {
                    return Err(StoreError::Refused(format!("round {code} is open: add answers without --correction")));
                }
                (RoundState::Closed, _) => {
                    return Err(StoreError::Refused(format!("round {code} is closed: reopen it to change answers")));
                }
                (RoundState::Published, None) => {
                    return Err(StoreError::Refused(format!(
                        "round {code} is published and cannot be edited; a correction needs --correction REASON"
                    )));
                }
                (RoundState::Published, Some((author, reason))) => {
                    round.revision += 1;
                    diesel::insert_into(round_revisions::table)
                        .values((
                            round_revisions::round_code.eq(code),
                            round_revisions::revision.eq(round.revision),
                            round_revisions::author.eq(author),
                            round_revisions::reason.eq(crate::rows::text_json(reason)),
                            round_revisions::created_at.eq(now),
                        ))
                        .execute(c)?;
                    save(c, &round, version)?;
                    round.revision
                }
            };
            let n = insert_answers(c, code, items, revision, correction)?;
            if let (RoundState::Published, Some(compute)) = (round.state, results) {
                // A correction is a new revision of the round: its results are computed again
                // in the same transaction.
                round.revision = revision;
                let all = answers(c, code, None)?;
                write_results(c, &compute(&round, &all).map_err(StoreError::Refused)?)?;
            }
            Ok(n)
        })
    }

    /// Replaces the stored results of a round, in one transaction.
    pub fn save_results(c: &mut Conn, r: &RoundResults) -> Result<(), StoreError> {
        write_tx(c, |c| write_results(c, r))
    }

    fn write_results(c: &mut Conn, r: &RoundResults) -> Result<(), StoreError> {
        let rows = ResultRows::from_domain(r)?;
        let code = &r.round;
        diesel::delete(round_unit_results::table.filter(round_unit_results::round_code.eq(code))).execute(c)?;
        diesel::delete(round_group_results::table.filter(round_group_results::round_code.eq(code))).execute(c)?;
        diesel::delete(round_total_results::table.filter(round_total_results::round_code.eq(code))).execute(c)?;
        diesel::delete(round_results::table.filter(round_results::round_code.eq(code))).execute(c)?;
        diesel::insert_into(round_results::table).values(&rows.summary).execute(c)?;
        // Chunks keep each statement under the backends' bind-parameter limits.
        for chunk in rows.units.chunks(1000) {
            diesel::insert_into(round_unit_results::table).values(chunk).execute(c)?;
        }
        for chunk in rows.groups.chunks(2000) {
            diesel::insert_into(round_group_results::table).values(chunk).execute(c)?;
        }
        for chunk in rows.totals.chunks(2000) {
            diesel::insert_into(round_total_results::table).values(chunk).execute(c)?;
        }
        Ok(())
    }

    /// A unit's results without its node values.
    type UnitBrief = (String, String, i32, Option<i32>, Option<f64>, Option<String>, Option<i32>, Option<f64>);

    /// The stored results of round `code`, if it has any: with each unit's node values when
    /// `values` (they are most of the bytes), the units of the services `only` when given
    /// (through the index; none for none), else every unit.
    pub fn results(
        c: &mut Conn,
        code: &str,
        values: bool,
        only: Option<&[&str]>,
    ) -> Result<Option<RoundResults>, StoreError> {
        let Some(summary) = round_results::table
            .filter(round_results::round_code.eq(code))
            .select(ResultRow::as_select())
            .first(c)
            .optional()?
        else {
            return Ok(None);
        };
        let units = if only.is_some_and(|services| services.is_empty()) {
            Vec::new()
        } else if values {
            let mut query = round_unit_results::table
                .filter(round_unit_results::round_code.eq(code))
                .order(round_unit_results::seq)
                .select(UnitResultRow::as_select())
                .into_boxed();
            if let Some(services) = only {
                query = query.filter(round_unit_results::service_code.eq_any(services));
            }
            query.load(c)?
        } else {
            use round_unit_results as u;
            // Neither the round's code nor the node values: a string each per unit, hundreds of
            // thousands of units when a process starts at the UN survey's scale.
            let mut query = u::table
                .filter(u::round_code.eq(code))
                .order(u::seq)
                .select((u::service_code, u::perspective, u::seq, u::stage, u::headline, u::movement, u::stage_before, u::headline_before))
                .into_boxed();
            if let Some(services) = only {
                query = query.filter(u::service_code.eq_any(services));
            }
            let rows: Vec<UnitBrief> = query.load(c)?;
            rows.into_iter()
                .map(|(service_code, perspective, seq, stage, headline, movement, stage_before, headline_before)| UnitResultRow {
                    round_code: String::new(), service_code, perspective, seq, stage, headline, movement, stage_before, headline_before,
                    node_values: String::new(),
                })
                .collect()
        };
        let groups = round_group_results::table
            .filter(round_group_results::round_code.eq(code))
            .order(round_group_results::seq)
            .select(GroupResultRow::as_select())
            .load(c)?;
        let totals = round_total_results::table
            .filter(round_total_results::round_code.eq(code))
            .order(round_total_results::seq)
            .select(TotalResultRow::as_select())
            .load(c)?;
        ResultRows { summary, units, groups, totals }.into_domain().map(Some)
    }

    /// How many national units the stored results of each of `rounds` hold (the services each
    /// assessed), in the order of `rounds`; 0 for a round with none stored. Through the units'
    /// primary key.
    pub fn national_units(c: &mut Conn, rounds: &[&str]) -> Result<Vec<usize>, StoreError> {
        use round_unit_results as u;
        let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for chunk in rounds.chunks(500) {
            let rows: Vec<(String, i64)> = u::table
                .filter(u::round_code.eq_any(chunk))
                .filter(u::perspective.eq(egovwatch_domain::monitoring::Perspective::National.as_str()))
                .group_by(u::round_code)
                .select((u::round_code, diesel::dsl::count(u::service_code)))
                .load(c)?;
            counts.extend(rows.into_iter().map(|(r, n)| (r, usize::try_from(n).unwrap_or_default())));
        }
        Ok(rounds.iter().map(|r| counts.get(*r).copied().unwrap_or_default()).collect())
    }

    /// (round, node, value) of group `group` of grouping `grouping` in each of `rounds`.
    pub fn group_results(
        c: &mut Conn,
        grouping: &str,
        groups: &[&str],
        rounds: &[&str],
    ) -> Result<Vec<crate::GroupResult>, StoreError> {
        let mut out = Vec::new();
        // Chunks keep each statement under the backends' bind-parameter limits.
        for groups in groups.chunks(500) {
            for rounds in rounds.chunks(500) {
                out.extend(
                    round_group_results::table
                        .filter(round_group_results::round_code.eq_any(rounds))
                        .filter(round_group_results::grouping.eq(grouping))
                        .filter(round_group_results::group_code.eq_any(groups))
                        .select((
                            round_group_results::round_code,
                            round_group_results::group_code,
                            round_group_results::node,
                            round_group_results::value,
                        ))
                        .load::<crate::GroupResult>(c)?,
                );
            }
        }
        Ok(out)
    }

    /// (round, revision, round compared with) of every round with stored results.
    pub fn result_revisions(c: &mut Conn) -> Result<Vec<(String, i32, Option<String>)>, StoreError> {
        Ok(round_results::table
            .select((round_results::round_code, round_results::revision, round_results::against))
            .order(round_results::round_code)
            .load(c)?)
    }

    /// Appends answers after the round's last one, inside the caller's write transaction (which
    /// holds the round's lock, so no other writer numbers answers of this round meanwhile).
    fn insert_answers(
        c: &mut Conn,
        code: &str,
        items: &[Assessment],
        revision: i32,
        correction: Option<(&str, &Text)>,
    ) -> Result<i32, StoreError> {
        let last: Option<i32> = assessments::table
            .filter(assessments::round_code.eq(code))
            .select(diesel::dsl::max(assessments::seq))
            .first(c)?;
        let start = last.unwrap_or(0) + 1;
        let rows: Vec<AssessmentRow> = items
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut a = a.clone();
                a.revision = revision;
                a.correction = correction.map(|(_, r)| r.clone());
                AssessmentRow::from_domain(code, start + i as i32, &a)
            })
            .collect();
        // Chunks keep each statement under the backends' bind-parameter limits.
        for chunk in rows.chunks(500) {
            diesel::insert_into(assessments::table).values(chunk).execute(c)?;
        }
        Ok(rows.len() as i32)
    }

    pub fn assessments(c: &mut Conn, code: &str) -> Result<Vec<Assessment>, StoreError> {
        answers(c, code, None)
    }

    /// One service's answers in a round, in the order they were given.
    pub fn assessments_of(c: &mut Conn, code: &str, service: &str) -> Result<Vec<Assessment>, StoreError> {
        answers(c, code, Some(service))
    }

    fn answers(c: &mut Conn, code: &str, service: Option<&str>) -> Result<Vec<Assessment>, StoreError> {
        let mut q = assessments::table.filter(assessments::round_code.eq(code)).into_boxed();
        if let Some(s) = service {
            q = q.filter(assessments::service_code.eq(s));
        }
        q.order(assessments::seq)
            .select(AssessmentRow::as_select())
            .load(c)?
            .into_iter()
            .map(AssessmentRow::into_domain)
            .collect()
    }

    /// Changes with every write the public reads: registry revisions are append-only, and a
    /// round's version rises with each change of state and each correction (answers to a
    /// published round come only as corrections; open rounds are not public).
    pub fn data_version(c: &mut Conn) -> Result<i64, StoreError> {
        use crate::schema::changes;
        let seq: Option<i64> = changes::table.select(diesel::dsl::max(changes::seq)).first(c)?;
        Ok(seq.unwrap_or(0))
    }

    /// The changes committed after `after` (a `data_version`), oldest first, at most `limit`.
    pub fn changes_since(c: &mut Conn, after: i64, limit: i64) -> Result<Vec<crate::DataChange>, StoreError> {
        use crate::schema::changes;
        let rows: Vec<(i64, String, String)> = changes::table
            .filter(changes::seq.gt(after))
            .order(changes::seq)
            .limit(limit)
            .select((changes::seq, changes::kind, changes::code))
            .load(c)?;
        Ok(rows.into_iter().map(|(seq, kind, code)| crate::DataChange { seq, kind, code }).collect())
    }

    /// The latest saved state of a registry record (its last revision), in the registry JSON
    /// format; none when the record has no revision.
    pub fn latest_revision(c: &mut Conn, kind: egovwatch_domain::EntityKind, code: &str) -> Result<Option<String>, StoreError> {
        use crate::schema::revisions;
        Ok(revisions::table
            .filter(revisions::entity_kind.eq(kind.as_str()))
            .filter(revisions::entity_code.eq(code))
            .order(revisions::version.desc())
            .select(revisions::snapshot)
            .first(c)
            .optional()?)
    }

    /// (revision, author, reason, time) of each correction of a round.
    pub fn revisions(c: &mut Conn, code: &str) -> Result<Vec<(i32, String, Text, String)>, StoreError> {
        let rows: Vec<(i32, String, String, String)> = round_revisions::table
            .filter(round_revisions::round_code.eq(code))
            .order(round_revisions::revision)
            .select((round_revisions::revision, round_revisions::author, round_revisions::reason, round_revisions::created_at))
            .load(c)?;
        Ok(rows
            .into_iter()
            .map(|(n, author, reason, at)| (n, author, crate::rows::stored_text(Some(&reason)), at))
            .collect())
    }
}
