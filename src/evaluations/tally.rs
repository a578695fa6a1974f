//! The evaluations counted: per dossier's end, per Art. 33 item, per agency, and figure 5.4.
//! The results page and the reports read these.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::deadlines::calendar::to_utc;
use crate::kernel::Lang;

/// A procedure's or an agency's line (or the total's).
pub struct Line {
    pub name: String,
    pub ended: i64,
    pub evaluated: i64,
    pub satisfied: i64,
    pub not_satisfied: i64,
    pub late: i64,
    /// dossiers with feedback or a complaint about them
    pub complaints: i64,
    /// Figure 5.4, in per cent with one decimal; "—" when nothing ended.
    pub figure: String,
}

/// Figure 5.4 of `ended` dossiers of which `late` were late and `against` rated "not
/// satisfied" or had a complaint (each dossier counted once).
pub fn figure_5_4(ended: i64, late: i64, against: i64) -> Option<f64> {
    (ended > 0).then(|| {
        let rate = 100.0 - (late + against) as f64 * 100.0 / ended as f64;
        (rate.max(0.0) * 10.0).round() / 10.0
    })
}

/// The counts of a line: ended, evaluated, satisfied, not satisfied, late, with a complaint,
/// and not satisfied or with a complaint.
pub type Counts = [i64; 7];

pub(crate) fn line(name: String, counts: Counts, lang: Lang) -> Line {
    let [
        ended,
        evaluated,
        satisfied,
        not_satisfied,
        late,
        complaints,
        against,
    ] = counts;
    Line {
        name,
        ended,
        evaluated,
        satisfied,
        not_satisfied,
        late,
        complaints,
        figure: crate::kernel::text::percent(figure_5_4(ended, late, against), lang),
    }
}

/// An Art. 33 item's answers over the period.
pub struct ItemLine {
    pub label: String,
    pub satisfied: i64,
    pub not_satisfied: i64,
}

/// The month's evaluations per receiving agency, for the public statistics (no personal
/// data).
pub async fn by_agency(
    db: &sqlx::PgPool,
    from: NaiveDate,
    until: NaiveDate,
    lang: Lang,
) -> Result<Vec<Line>, sqlx::Error> {
    let all = Filter {
        scope: None,
        official: None,
    };
    Ok(ended_counts(db, Group::Agency, from, until, &all)
        .await?
        .into_iter()
        .map(|(vi, en, counts)| line(lang.pick(&vi, &en).to_owned(), counts, lang))
        .collect())
}

/// The dossiers that ended from day `from` until day `until` (excluded), per group: its name
/// (vi, en) and its [`Counts`].
pub(crate) async fn ended_counts(
    db: &sqlx::PgPool,
    group: Group,
    from: NaiveDate,
    until: NaiveDate,
    filter: &Filter,
) -> Result<Vec<(String, String, Counts)>, sqlx::Error> {
    let (names, join, only, key) = match group {
        Group::Procedure => (
            "v.code || ' ' || min(v.name_vi), v.code || ' ' || min(v.name_en)",
            "join procedure_versions v on v.id = d.procedure_version_id",
            "",
            "v.code",
        ),
        Group::Official => (
            "coalesce(min(u.full_name), '—'), coalesce(min(u.full_name), '—')",
            "left join staff_users u on u.id = d.assignee_id",
            "",
            "d.assignee_id",
        ),
        Group::Agency => (
            "coalesce(a.name_vi, ''), coalesce(a.name_en, '')",
            "left join agencies a on a.id = d.receiving_agency_id",
            "and d.source_system <> 'generated'",
            "a.name_vi, a.name_en",
        ),
    };
    // `ended` (mod.rs) and the index dossiers_ended_idx name the same statuses
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, String, i64, i64, i64, i64, i64, i64, i64)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "select {names}, count(*), count(e.dossier_id), \
               count(*) filter (where e.satisfied), count(*) filter (where not e.satisfied), \
               count(*) filter (where d.due_at is not null and coalesce(d.result_at, d.updated_at) > d.due_at), \
               count(*) filter (where c.dossier_id is not null), \
               count(*) filter (where not coalesce(e.satisfied, true) or c.dossier_id is not null) \
             from dossiers d {join} \
             left join dossier_evaluations e on e.dossier_id = d.id \
             left join lateral (select f.dossier_id from feedback f where f.dossier_id = d.id limit 1) c on true \
             where d.status in ('returned', 'refused_on_merits', 'refused_at_reception', 'stopped') \
               and coalesce(d.result_at, d.updated_at) >= $1 and coalesce(d.result_at, d.updated_at) < $2 \
               and ($3::uuid[] is null or d.receiving_agency_id = any($3)) \
               and ($4::uuid is null or d.assignee_id = $4) {only} \
             group by {key} order by 1 limit 1000"
        )))
        .bind(to_utc(from.and_hms_opt(0, 0, 0).unwrap_or_default()))
        .bind(to_utc(until.and_hms_opt(0, 0, 0).unwrap_or_default()))
        .bind(filter.scope.as_deref())
        .bind(filter.official)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(vi, en, a, b, c, d, e, f, g)| (vi, en, [a, b, c, d, e, f, g]))
        .collect())
}

/// The answers to each Art. 33 item over the same dossiers: (label vi, en, satisfied, not).
pub(crate) async fn item_counts(
    db: &sqlx::PgPool,
    from: NaiveDate,
    until: NaiveDate,
    filter: &Filter,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select coalesce(min(i.label_vi), a.key), coalesce(min(i.label_en), a.key), \
           count(*) filter (where a.value = 'satisfied'), \
           count(*) filter (where a.value = 'not_satisfied') \
         from dossiers d join dossier_evaluations e on e.dossier_id = d.id \
         cross join lateral jsonb_each_text(e.answers) a \
         left join evaluation_items i on i.code = a.key \
         where d.status in ('returned', 'refused_on_merits', 'refused_at_reception', 'stopped') \
           and coalesce(d.result_at, d.updated_at) >= $1 and coalesce(d.result_at, d.updated_at) < $2 \
           and ($3::uuid[] is null or d.receiving_agency_id = any($3)) \
           and ($4::uuid is null or d.assignee_id = $4) \
         group by a.key order by min(i.position), a.key",
    )
    .bind(to_utc(from.and_hms_opt(0, 0, 0).unwrap_or_default()))
    .bind(to_utc(until.and_hms_opt(0, 0, 0).unwrap_or_default()))
    .bind(filter.scope.as_deref())
    .bind(filter.official)
    .fetch_all(db)
    .await
}

/// How the ended dossiers are counted: per procedure or per official who handled them (the
/// officials' page), or per receiving agency (the public statistics, where generated
/// load-test dossiers never show).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    Procedure,
    Official,
    Agency,
}

/// Which ended dossiers count: within the receiving agencies `scope` (None: all), and handled
/// by `official` when named.
pub(crate) struct Filter {
    pub(crate) scope: Option<Vec<Uuid>>,
    pub(crate) official: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_5_4_takes_late_and_unsatisfied_dossiers_off_a_hundred() {
        assert_eq!(figure_5_4(0, 0, 0), None);
        assert_eq!(figure_5_4(10, 1, 1), Some(80.0));
        assert_eq!(figure_5_4(3, 0, 1), Some(66.7));
        assert_eq!(figure_5_4(2, 2, 2), Some(0.0), "never below zero");
        assert_eq!(
            line("x".into(), [3, 1, 0, 1, 0, 1, 1], Lang::Vi).figure,
            "66,7 %"
        );
    }
}
