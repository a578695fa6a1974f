//! Catalogue queries. Every function takes a connection or pool and never commits.

use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{FromRow, PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::domain::{Cursor, OnlineLevel, Order, PAGE_SIZE, Search, TimeUnit, rank_score};

/// The version in force today.
const CURRENT: &str = "v.effective_from <= current_date and (v.effective_to is null or v.effective_to > current_date)";

/// One line of a result list, as stored. Field and agency names come from the in-memory
/// reference data (`Reference::summarize`), which keeps this query to two tables.
#[derive(Debug, Clone, FromRow)]
pub struct ProcedureRow {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub online_level: OnlineLevel,
    pub field_id: Uuid,
    pub competent_kind: String,
    pub competent_agency_id: Option<Uuid>,
    pub time_limit_value: Option<i32>,
    pub time_limit_unit: TimeUnit,
    pub name_folded: String,
    pub popularity: i32,
    /// How many rows the query matched, where it says (see `matching_page`).
    #[sqlx(default)]
    pub matched: i64,
}

/// One line of a result list, with names, as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcedureSummary {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub online_level: OnlineLevel,
    pub field_code: String,
    pub field_vi: String,
    pub field_en: String,
    /// The named competent agency, or the kind's group label ("UBND cấp xã").
    pub competent_vi: String,
    pub competent_en: String,
    pub time_limit_value: Option<i32>,
    pub time_limit_unit: TimeUnit,
}

/// An agency filter resolved to what the query needs.
#[derive(Debug, Clone, Copy)]
pub struct AgencyScope<'a> {
    pub id: Uuid,
    pub kind: &'a str,
}

/// One page of a search, plus the cursor of the next page when there is one.
#[derive(Debug)]
pub struct SearchPage {
    pub items: Vec<ProcedureRow>,
    pub next: Option<Cursor>,
}

const ROW_COLUMNS: &str = "v.code, v.name_vi, v.name_en, v.online_level, v.field_id, \
     v.competent_kind, v.competent_agency_id, v.time_limit_value, v.time_limit_unit, \
     v.name_folded, v.popularity";

/// Searches the catalogue in the version of each procedure in force today. Dynamic SQL
/// (QueryBuilder) because the filters are optional; every value is bound, never spliced.
///
/// Every order walks an index and seeks to the cursor, so a page costs the same however deep
/// it is and however many procedures match. The search plans every statement with
/// its actual values (`plan_cache_mode = force_custom_plan` in its transaction): a generic plan,
/// blind to the words, walked the whole popularity index for rare words.
/// - ranked: first the procedures whose whole name is the words typed, then every other name
///   holding all the words (GIN index on `search_doc`), most used first (index on popularity);
/// - by code, for a typed code or its start; by name when browsing.
pub async fn search(
    db: &PgPool,
    search: &Search,
    agency: Option<AgencyScope<'_>>,
    field_id: Option<Uuid>,
) -> Result<SearchPage, sqlx::Error> {
    let want = PAGE_SIZE + 1;
    // plan with the actual words: a generic plan, blind to them, walked the whole popularity
    // index for rare words (this transaction only; other statements keep cached plans)
    let mut tx = db.begin().await?;
    sqlx::query("set local plan_cache_mode = force_custom_plan")
        .execute(&mut *tx)
        .await?;
    let mut items = match search.order() {
        Order::Name => browse_page(&mut tx, search, agency, field_id, want).await?,
        Order::Code => code_page(&mut tx, search, agency, field_id, want).await?,
        Order::Ranked => ranked_page(&mut tx, search, agency, field_id, want).await?,
    };
    tx.commit().await?;
    let next = if items.len() as i64 > PAGE_SIZE {
        items.truncate(PAGE_SIZE as usize);
        items.last().map(|last| match search.order() {
            Order::Ranked => Cursor::Score {
                score: rank_score(last.name_folded == search.folded_phrase(), last.popularity),
                code: last.code.clone(),
            },
            Order::Name => Cursor::Name {
                name: last.name_folded.clone(),
                code: last.code.clone(),
            },
            Order::Code => Cursor::Code {
                code: last.code.clone(),
            },
        })
    } else {
        None
    };
    Ok(SearchPage { items, next })
}

/// `select … from procedure_versions v where <in force> and <filters>`
fn select_current(
    search: &Search,
    agency: Option<AgencyScope<'_>>,
    field_id: Option<Uuid>,
) -> QueryBuilder<Postgres> {
    select_current_after("", search, agency, field_id)
}

/// The same, after a fixed SQL prefix (a `with` clause).
fn select_current_after(
    prefix: &'static str,
    search: &Search,
    agency: Option<AgencyScope<'_>>,
    field_id: Option<Uuid>,
) -> QueryBuilder<Postgres> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(prefix);
    q.push("select ")
        .push(ROW_COLUMNS)
        .push(" from procedure_versions v where ")
        .push(CURRENT);
    if let Some(level) = search.level {
        q.push(" and v.online_level = ").push_bind(level);
    }
    if let Some(field_id) = field_id {
        q.push(" and v.field_id = ").push_bind(field_id);
    }
    if let Some(scope) = agency {
        q.push(" and (v.competent_agency_id = ")
            .push_bind(scope.id)
            .push(" or (v.competent_agency_id is null and v.competent_kind = ")
            .push_bind(scope.kind.to_owned())
            .push("))");
    }
    q
}

async fn browse_page(
    db: &mut sqlx::PgConnection,
    search: &Search,
    agency: Option<AgencyScope<'_>>,
    field_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ProcedureRow>, sqlx::Error> {
    let mut q = select_current(search, agency, field_id);
    if let Some(Cursor::Name { name, code }) = &search.cursor {
        // the first condition lets the index seek; the second is the exact keyset
        q.push(" and v.name_folded >= ")
            .push_bind(name.clone())
            .push(" and (v.name_folded, v.code) > (")
            .push_bind(name.clone())
            .push(", ")
            .push_bind(code.clone())
            .push(")");
    }
    q.push(" order by v.name_folded, v.code limit ")
        .push_bind(limit);
    q.build_query_as().fetch_all(&mut *db).await
}

async fn code_page(
    db: &mut sqlx::PgConnection,
    search: &Search,
    agency: Option<AgencyScope<'_>>,
    field_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ProcedureRow>, sqlx::Error> {
    let mut q = select_current(search, agency, field_id);
    if let Some(prefix) = &search.code_prefix {
        // a prefix of digits and one dot: nothing to escape for LIKE
        q.push(" and v.code like ").push_bind(format!("{prefix}%"));
    }
    if let Some(Cursor::Code { code }) = &search.cursor {
        q.push(" and v.code > ").push_bind(code.clone());
    }
    q.push(" order by v.code limit ").push_bind(limit);
    q.build_query_as().fetch_all(&mut *db).await
}

async fn ranked_page(
    db: &mut sqlx::PgConnection,
    search: &Search,
    agency: Option<AgencyScope<'_>>,
    field_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ProcedureRow>, sqlx::Error> {
    let phrase = search.folded_phrase();
    let (exact_tier, after) = match &search.cursor {
        Some(Cursor::Score { score, code }) => {
            (score >> 32 == 1, Some((score & 0xffff_ffff, code)))
        }
        _ => (true, None),
    };
    let mut rows = Vec::new();
    if exact_tier {
        let mut q = select_current(search, agency, field_id);
        q.push(" and v.name_folded = ").push_bind(phrase.clone());
        push_popularity_cursor(&mut q, after);
        q.push(" order by v.popularity desc, v.code limit ")
            .push_bind(limit);
        rows = q.build_query_as().fetch_all(&mut *db).await?;
    }
    let missing = limit - rows.len() as i64;
    if missing > 0 {
        let cursor = if exact_tier { None } else { after };
        rows.extend(matching_page(db, search, agency, field_id, cursor, missing).await?);
    }
    Ok(rows)
}

/// Matches beyond this many are paged by walking the popularity index instead of sorting.
const SORT_AT_MOST: i64 = 1_000;

/// Names holding all the words (but not exactly them), most used first. PostgreSQL estimates
/// how many rows several words match as if the words were independent, and is often wrong by
/// orders of magnitude: a plan chosen on that estimate walked the whole popularity index for
/// three common words that never occur together (98 ms). So the plan is chosen on the real
/// count: collect at most SORT_AT_MOST + 1 matches through the GIN index and sort them; only
/// when there are more (so at least 1 % of the catalogue matches) walk the popularity index,
/// which then finds a page within a few hundred rows.
async fn matching_page(
    db: &mut sqlx::PgConnection,
    search: &Search,
    agency: Option<AgencyScope<'_>>,
    field_id: Option<Uuid>,
    after: Option<(i64, &String)>,
    limit: i64,
) -> Result<Vec<ProcedureRow>, sqlx::Error> {
    let tsquery = search.tsquery().unwrap_or_default();
    let phrase = search.folded_phrase();
    let push_match = |q: &mut QueryBuilder<Postgres>| {
        q.push(" and v.search_doc @@ to_tsquery('simple', ")
            .push_bind(tsquery.clone())
            .push(") and v.name_folded <> ")
            .push_bind(phrase.clone());
        push_popularity_cursor(q, after);
    };
    let mut q = select_current_after("with m as materialized (", search, agency, field_id);
    push_match(&mut q);
    q.push(" limit ")
        .push_bind(SORT_AT_MOST + 1)
        .push(") select m.*, count(*) over () as matched from m order by m.popularity desc, m.code limit ")
        .push_bind(limit);
    let rows: Vec<ProcedureRow> = q.build_query_as().fetch_all(&mut *db).await?;
    if rows.first().is_none_or(|r| r.matched <= SORT_AT_MOST) {
        return Ok(rows);
    }
    let mut q = select_current(search, agency, field_id);
    push_match(&mut q);
    q.push(" order by v.popularity desc, v.code limit ")
        .push_bind(limit);
    q.build_query_as().fetch_all(&mut *db).await
}

/// After (popularity, code) in (popularity desc, code) order; the first condition lets the
/// index seek.
fn push_popularity_cursor(q: &mut QueryBuilder<Postgres>, after: Option<(i64, &String)>) {
    if let Some((popularity, code)) = after {
        let popularity = i32::try_from(popularity).unwrap_or(i32::MAX);
        q.push(" and v.popularity <= ")
            .push_bind(popularity)
            .push(" and (v.popularity < ")
            .push_bind(popularity)
            .push(" or (v.popularity = ")
            .push_bind(popularity)
            .push(" and v.code > ")
            .push_bind(code.clone())
            .push("))");
    }
}

/// Everything the procedure page shows.
#[derive(Debug, Clone, FromRow, Serialize, utoipa::ToSchema)]
pub struct ProcedureDetail {
    pub code: String,
    pub version_no: i32,
    pub name_vi: String,
    pub name_en: String,
    pub decision_no: Option<String>,
    pub decision_date: Option<chrono::NaiveDate>,
    pub effective_from: chrono::NaiveDate,
    pub field_code: String,
    pub field_vi: String,
    pub field_en: String,
    pub kind_vi: String,
    pub kind_en: String,
    pub agency_slug: Option<String>,
    pub agency_vi: Option<String>,
    pub agency_en: Option<String>,
    pub applicant_vi: String,
    pub applicant_en: String,
    pub result_vi: String,
    pub result_en: String,
    pub time_limit_value: Option<i32>,
    pub time_limit_unit: TimeUnit,
    pub time_note_vi: String,
    pub time_note_en: String,
    pub online_level: OnlineLevel,
    pub submit_online: bool,
    pub submit_counter: bool,
    pub submit_post: bool,
    pub result_counter: bool,
    pub result_post: bool,
    pub result_electronic: bool,
    pub fee_note_vi: String,
    pub fee_note_en: String,
    pub legal_basis: Vec<String>,
    pub is_estimate: bool,
    #[schema(value_type = Vec<RequiredDocument>)]
    pub documents: Json<Vec<RequiredDocument>>,
    #[schema(value_type = Vec<Fee>)]
    pub fees: Json<Vec<Fee>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RequiredDocument {
    pub name_vi: String,
    pub name_en: String,
    pub requirement: String,
    pub copies: i32,
    pub mandatory: bool,
    pub condition_vi: String,
    pub condition_en: String,
    pub template_slug: Option<String>,
    pub template_file: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fee {
    pub kind: String,
    pub label_vi: String,
    pub label_en: String,
    pub amount_vnd: Option<i64>,
    pub channel: String,
    pub unit_vi: String,
    pub unit_en: String,
    pub exemption_vi: String,
    pub exemption_en: String,
}

/// The procedure with this national code, in the version in force today.
pub async fn find_procedure(
    db: &mut PgConnection,
    code: &str,
) -> Result<Option<ProcedureDetail>, sqlx::Error> {
    let sql = format!(
        "select p.code, v.version_no, v.name_vi, v.name_en, v.decision_no, v.decision_date, \
           v.effective_from, f.code as field_code, f.name_vi as field_vi, f.name_en as field_en, \
           k.name_vi as kind_vi, k.name_en as kind_en, \
           a.slug as agency_slug, a.name_vi as agency_vi, a.name_en as agency_en, \
           v.applicant_vi, v.applicant_en, v.result_vi, v.result_en, \
           v.time_limit_value, v.time_limit_unit, v.time_note_vi, v.time_note_en, v.online_level, \
           v.submit_online, v.submit_counter, v.submit_post, \
           v.result_counter, v.result_post, v.result_electronic, \
           v.fee_note_vi, v.fee_note_en, v.legal_basis, v.is_estimate, \
           coalesce((select json_agg(json_build_object( \
               'name_vi', d.name_vi, 'name_en', d.name_en, 'requirement', d.requirement, \
               'copies', d.copies, 'mandatory', d.mandatory, \
               'condition_vi', d.condition_vi, 'condition_en', d.condition_en, \
               'template_slug', t.slug, 'template_file', t.file_name) order by d.position) \
             from procedure_documents d left join form_templates t on t.id = d.form_template_id \
             where d.version_id = v.id), '[]') as documents, \
           coalesce((select json_agg(json_build_object( \
               'kind', e.kind, 'label_vi', e.label_vi, 'label_en', e.label_en, \
               'amount_vnd', e.amount_vnd, 'channel', e.channel, 'unit_vi', e.unit_vi, \
               'unit_en', e.unit_en, 'exemption_vi', e.exemption_vi, \
               'exemption_en', e.exemption_en) order by e.position) \
             from procedure_fees e where e.version_id = v.id), '[]') as fees \
         from procedure_versions v \
         join procedures p on p.id = v.procedure_id \
         join fields f on f.id = p.field_id \
         join agency_kinds k on k.code = v.competent_kind \
         left join agencies a on a.id = v.competent_agency_id \
         where p.code = $1 and {CURRENT}"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(db)
        .await
}

/// A downloadable form template.
#[derive(Debug, FromRow)]
pub struct FormTemplateFile {
    pub file_name: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

pub async fn find_form_template(
    db: &mut PgConnection,
    slug: &str,
) -> Result<Option<FormTemplateFile>, sqlx::Error> {
    sqlx::query_as("select file_name, content_type, body from form_templates where slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// A kind of agency and its labels.
#[derive(Debug, Clone, FromRow)]
pub struct AgencyKind {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub group_vi: String,
    pub group_en: String,
}

pub async fn agency_kinds(db: &PgPool) -> Result<Vec<AgencyKind>, sqlx::Error> {
    sqlx::query_as("select code, name_vi, name_en, group_vi, group_en from agency_kinds")
        .fetch_all(db)
        .await
}

/// A field with how many procedures it has today.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct FieldCount {
    #[serde(skip)]
    pub id: Uuid,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub procedures: i64,
}

pub async fn field_counts(db: &PgPool) -> Result<Vec<FieldCount>, sqlx::Error> {
    let sql = format!(
        "select f.id, f.code, f.name_vi, f.name_en, coalesce(c.n, 0) as procedures \
         from fields f left join ( \
             select p.field_id, count(*) as n from procedure_versions v \
             join procedures p on p.id = v.procedure_id where {CURRENT} group by p.field_id \
         ) c on c.field_id = f.id \
         order by f.sort_order, f.name_vi"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await
}

/// An agency in force today, with the procedures it decides (named, or by its kind).
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct AgencyEntry {
    #[serde(skip)]
    pub id: Uuid,
    pub slug: String,
    pub kind: String,
    pub kind_sort: i32,
    pub name_vi: String,
    pub name_en: String,
    pub group_vi: String,
    pub group_en: String,
    /// Procedures this agency is named as the competent agency for.
    pub named_procedures: i64,
    /// Procedures any agency of its kind decides.
    pub kind_procedures: i64,
}

impl AgencyEntry {
    pub fn procedures(&self) -> i64 {
        self.named_procedures + self.kind_procedures
    }
}

pub async fn agencies_in_force(db: &PgPool) -> Result<Vec<AgencyEntry>, sqlx::Error> {
    let sql = format!(
        "with named as ( \
             select v.competent_agency_id as id, count(*) as n from procedure_versions v \
             where {CURRENT} and v.competent_agency_id is not null group by 1), \
         by_kind as ( \
             select v.competent_kind as kind, count(*) as n from procedure_versions v \
             where {CURRENT} and v.competent_agency_id is null group by 1) \
         select a.id, a.slug, a.kind, k.sort_order as kind_sort, a.name_vi, a.name_en, \
                k.group_vi, k.group_en, \
                coalesce(named.n, 0) as named_procedures, coalesce(by_kind.n, 0) as kind_procedures \
         from agencies a join agency_kinds k on k.code = a.kind \
         left join named on named.id = a.id left join by_kind on by_kind.kind = a.kind \
         where a.valid_from <= current_date and (a.valid_to is null or a.valid_to > current_date) \
         order by k.sort_order, a.name_vi"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await
}

/// The most used procedures.
pub async fn most_used(db: &PgPool, limit: i64) -> Result<Vec<ProcedureRow>, sqlx::Error> {
    let sql = format!(
        "select {ROW_COLUMNS} from procedure_versions v where {CURRENT} \
         order by v.popularity desc, v.code limit $1"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .fetch_all(db)
        .await
}
