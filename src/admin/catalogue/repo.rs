//! The catalogue editor's queries: a draft from a published version, the preview's detail,
//! and the new version written at publication.

use super::*;

pub(super) async fn known(conn: &mut PgConnection) -> Result<Known, sqlx::Error> {
    let fields: Vec<String> = sqlx::query_scalar("select code from fields")
        .fetch_all(&mut *conn)
        .await?;
    let kinds: Vec<String> = sqlx::query_scalar("select code from agency_kinds")
        .fetch_all(&mut *conn)
        .await?;
    let agencies: Vec<Uuid> = sqlx::query_scalar(
        "select id from agencies where valid_to is null or valid_to > current_date",
    )
    .fetch_all(&mut *conn)
    .await?;
    let templates: Vec<String> = sqlx::query_scalar("select slug from form_templates")
        .fetch_all(&mut *conn)
        .await?;
    Ok(Known {
        fields: fields.into_iter().collect(),
        kinds: kinds.into_iter().collect(),
        agencies: agencies.into_iter().collect(),
        templates: templates.into_iter().collect(),
    })
}

/// A required document as read: names, requirement, copies, mandatory, conditions, template.
pub(super) type DocLine = (
    String,
    String,
    String,
    i32,
    bool,
    String,
    String,
    Option<String>,
);
/// An e-form field as read: key, labels, hints, kind, required, choices.
pub(super) type FieldLine = (
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    Json<serde_json::Value>,
);
/// A listed draft: id, status, body, updated at, by whom.
pub(super) type DraftListLine = (
    Uuid,
    String,
    Json<Draft>,
    chrono::DateTime<chrono::Utc>,
    String,
);

#[derive(sqlx::FromRow)]
pub(super) struct VersionRow {
    code: String,
    field: String,
    name_vi: String,
    name_en: String,
    competent_kind: String,
    competent_agency_id: Option<Uuid>,
    applicant_vi: String,
    applicant_en: String,
    result_vi: String,
    result_en: String,
    time_limit_value: Option<i32>,
    time_limit_unit: String,
    time_note_vi: String,
    time_note_en: String,
    clock_starts_next_day_after_cutoff: bool,
    submit_online: bool,
    submit_counter: bool,
    submit_post: bool,
    result_counter: bool,
    result_post: bool,
    result_electronic: bool,
    fee_note_vi: String,
    fee_note_en: String,
    legal_basis: Vec<String>,
    decision_no: Option<String>,
    decision_date: Option<NaiveDate>,
    online_level: String,
}

/// The draft of a version: every column the editor shows, from the version `id`.
pub(super) async fn draft_of_version(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Draft, sqlx::Error> {
    let v: VersionRow = sqlx::query_as(
        "select v.code, f.code as field, v.name_vi, v.name_en, v.competent_kind, \
           agency_in_force(v.competent_agency_id, current_date) as competent_agency_id, \
           v.applicant_vi, v.applicant_en, v.result_vi, v.result_en, v.time_limit_value, \
           v.time_limit_unit::text as time_limit_unit, v.time_note_vi, v.time_note_en, \
           v.clock_starts_next_day_after_cutoff, v.submit_online, v.submit_counter, v.submit_post, v.result_counter, v.result_post, v.result_electronic, \
           v.fee_note_vi, v.fee_note_en, v.legal_basis, v.decision_no, v.decision_date, v.online_level::text as online_level \
         from procedure_versions v join fields f on f.id = v.field_id where v.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let documents: Vec<DocLine> = sqlx::query_as(
        "select d.name_vi, d.name_en, d.requirement, d.copies, d.mandatory, d.condition_vi, \
               d.condition_en, t.slug from procedure_documents d \
             left join form_templates t on t.id = d.form_template_id \
             where d.version_id = $1 order by d.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let fees: Vec<Json<FeeRowDb>> = sqlx::query_scalar(
        "select json_build_object('kind', kind, 'label_vi', label_vi, 'label_en', label_en, \
           'amount_vnd', amount_vnd, 'channel', channel, 'unit_vi', unit_vi, 'unit_en', unit_en, \
           'exemption_vi', exemption_vi, 'exemption_en', exemption_en, 'due', due, \
           'choice_group', choice_group, 'quantity_field', quantity_field, 'cap_vnd', cap_vnd) \
         from procedure_fees where version_id = $1 order by position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let fields: Vec<FieldLine> = sqlx::query_as(
        "select key, label_vi, label_en, hint_vi, hint_en, kind, required, choices \
             from procedure_fields where version_id = $1 order by position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Draft {
        code: v.code,
        field: v.field,
        name_vi: v.name_vi,
        name_en: v.name_en,
        competent_kind: v.competent_kind,
        competent_agency: v
            .competent_agency_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        applicant_vi: v.applicant_vi,
        applicant_en: v.applicant_en,
        result_vi: v.result_vi,
        result_en: v.result_en,
        time_limit_value: v
            .time_limit_value
            .map(|n| n.to_string())
            .unwrap_or_default(),
        time_limit_unit: v.time_limit_unit,
        time_note_vi: v.time_note_vi,
        time_note_en: v.time_note_en,
        clock_next_day_after_cutoff: v.clock_starts_next_day_after_cutoff,
        submit_online: v.submit_online,
        submit_counter: v.submit_counter,
        submit_post: v.submit_post,
        result_counter: v.result_counter,
        result_post: v.result_post,
        result_electronic: v.result_electronic,
        fee_note_vi: v.fee_note_vi,
        fee_note_en: v.fee_note_en,
        legal_basis: v.legal_basis.join("\n"),
        decision_no: v.decision_no.unwrap_or_default(),
        decision_date: v.decision_date.map(|d| d.to_string()).unwrap_or_default(),
        online_level: v.online_level,
        documents: documents
            .into_iter()
            .map(
                |(name_vi, name_en, requirement, copies, mandatory, cvi, cen, t)| DocRow {
                    name_vi,
                    name_en,
                    requirement,
                    copies: copies.to_string(),
                    mandatory,
                    condition_vi: cvi,
                    condition_en: cen,
                    template: t.unwrap_or_default(),
                },
            )
            .collect(),
        fees: fees
            .into_iter()
            .map(|Json(f)| FeeRow {
                kind: f.kind,
                label_vi: f.label_vi,
                label_en: f.label_en,
                amount: f.amount_vnd.map(|a| a.to_string()).unwrap_or_default(),
                channel: f.channel,
                unit_vi: f.unit_vi,
                unit_en: f.unit_en,
                exemption_vi: f.exemption_vi,
                exemption_en: f.exemption_en,
                due: f.due,
                choice_group: f.choice_group.unwrap_or_default(),
                quantity_field: f.quantity_field.unwrap_or_default(),
                cap: f.cap_vnd.map(|c| c.to_string()).unwrap_or_default(),
            })
            .collect(),
        fields: fields
            .into_iter()
            .map(
                |(key, label_vi, label_en, hint_vi, hint_en, kind, required, Json(c))| FieldRow {
                    key,
                    label_vi,
                    label_en,
                    hint_vi,
                    hint_en,
                    kind,
                    required,
                    choices: choices_text(&c),
                },
            )
            .collect(),
    })
}

#[derive(Deserialize)]
pub(super) struct FeeRowDb {
    due: String,
    choice_group: Option<String>,
    quantity_field: Option<String>,
    cap_vnd: Option<i64>,
    kind: String,
    label_vi: String,
    label_en: String,
    amount_vnd: Option<i64>,
    channel: String,
    unit_vi: String,
    unit_en: String,
    exemption_vi: String,
    exemption_en: String,
}

/// A stored draft: (procedure, status, body).
pub(super) async fn load(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(Option<Uuid>, String, Draft)>, sqlx::Error> {
    let row: Option<(Option<Uuid>, String, Json<Draft>)> =
        sqlx::query_as("select procedure_id, status, body from procedure_drafts where id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(p, s, Json(d))| (p, s, d)))
}

/// The draft as the public page would show it.
pub(super) async fn detail_of(
    conn: &mut PgConnection,
    d: &Draft,
) -> Result<ProcedureDetail, sqlx::Error> {
    let (field_vi, field_en): (String, String) =
        sqlx::query_as("select name_vi, name_en from fields where code = $1")
            .bind(&d.field)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default();
    let (kind_vi, kind_en): (String, String) =
        sqlx::query_as("select name_vi, name_en from agency_kinds where code = $1")
            .bind(&d.competent_kind)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default();
    let agency: Option<(String, String, String)> = match d.competent_agency.parse::<Uuid>() {
        Ok(a) => {
            sqlx::query_as("select slug, name_vi, name_en from agencies where id = $1")
                .bind(a)
                .fetch_optional(&mut *conn)
                .await?
        }
        Err(_) => None,
    };
    let templates: Vec<(String, String)> =
        sqlx::query_as("select slug, file_name from form_templates")
            .fetch_all(&mut *conn)
            .await?;
    Ok(ProcedureDetail {
        code: d.code.clone(),
        version_no: 0,
        name_vi: d.name_vi.clone(),
        name_en: d.name_en.clone(),
        decision_no: Some(d.decision_no.clone()).filter(|s| !s.is_empty()),
        decision_date: NaiveDate::parse_from_str(&d.decision_date, "%Y-%m-%d").ok(),
        effective_from: crate::deadlines::calendar::today(),
        field_code: d.field.clone(),
        field_vi,
        field_en,
        kind_vi,
        kind_en,
        agency_slug: agency.as_ref().map(|a| a.0.clone()),
        agency_vi: agency.as_ref().map(|a| a.1.clone()),
        agency_en: agency.as_ref().map(|a| a.2.clone()),
        applicant_vi: d.applicant_vi.clone(),
        applicant_en: d.applicant_en.clone(),
        result_vi: d.result_vi.clone(),
        result_en: d.result_en.clone(),
        time_limit_value: d.time_limit_value.trim().parse().ok(),
        time_limit_unit: unit_of(&d.time_limit_unit).unwrap_or(TimeUnit::WorkingDays),
        time_note_vi: d.time_note_vi.clone(),
        time_note_en: d.time_note_en.clone(),
        online_level: level_of(&d.online_level),
        submit_online: d.submit_online,
        submit_counter: d.submit_counter,
        submit_post: d.submit_post,
        result_counter: d.result_counter,
        result_post: d.result_post,
        result_electronic: d.result_electronic,
        fee_note_vi: d.fee_note_vi.clone(),
        fee_note_en: d.fee_note_en.clone(),
        legal_basis: legal_lines(&d.legal_basis),
        is_estimate: false,
        documents: Json(
            d.documents
                .iter()
                .map(|r| RequiredDocument {
                    name_vi: r.name_vi.clone(),
                    name_en: r.name_en.clone(),
                    requirement: r.requirement.clone(),
                    copies: r.copies.trim().parse().unwrap_or(1),
                    mandatory: r.mandatory,
                    condition_vi: r.condition_vi.clone(),
                    condition_en: r.condition_en.clone(),
                    template_slug: Some(r.template.clone()).filter(|t| !t.is_empty()),
                    template_file: templates
                        .iter()
                        .find(|(s, _)| *s == r.template)
                        .map(|(_, f)| f.clone()),
                })
                .collect(),
        ),
        fees: Json(
            d.fees
                .iter()
                .map(|f| Fee {
                    kind: f.kind.clone(),
                    label_vi: f.label_vi.clone(),
                    label_en: f.label_en.clone(),
                    amount_vnd: parse_amount(&f.amount),
                    channel: f.channel.clone(),
                    unit_vi: f.unit_vi.clone(),
                    unit_en: f.unit_en.clone(),
                    exemption_vi: f.exemption_vi.clone(),
                    exemption_en: f.exemption_en.clone(),
                })
                .collect(),
        ),
    })
}

pub(super) fn legal_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Writes the draft into the version `id` (just made, not yet visible to anybody).
pub(super) async fn write_version(
    conn: &mut PgConnection,
    id: Uuid,
    d: &Draft,
) -> Result<(), sqlx::Error> {
    let unit = d.time_limit_unit.as_str();
    let value: Option<i32> = if unit == "same_day" {
        None
    } else {
        d.time_limit_value.trim().parse().ok()
    };
    let agency: Option<Uuid> = d.competent_agency.parse().ok();
    sqlx::query(
        "update procedure_versions set name_vi = $2, name_en = $3, competent_kind = $4, \
           competent_agency_id = $5, applicant_vi = $6, applicant_en = $7, result_vi = $8, \
           result_en = $9, time_limit_value = $10, time_limit_unit = $11::time_unit, \
           time_note_vi = $12, time_note_en = $13, submit_online = $14, submit_counter = $15, \
           submit_post = $16, result_counter = $17, result_post = $18, result_electronic = $19, \
           fee_note_vi = $20, fee_note_en = $21, legal_basis = $22, decision_no = $23, \
           decision_date = $24, clock_starts_next_day_after_cutoff = $25, is_estimate = false \
         where id = $1",
    )
    .bind(id)
    .bind(d.name_vi.trim())
    .bind(d.name_en.trim())
    .bind(&d.competent_kind)
    .bind(agency)
    .bind(d.applicant_vi.trim())
    .bind(d.applicant_en.trim())
    .bind(d.result_vi.trim())
    .bind(d.result_en.trim())
    .bind(value)
    .bind(unit)
    .bind(d.time_note_vi.trim())
    .bind(d.time_note_en.trim())
    .bind(d.submit_online)
    .bind(d.submit_counter)
    .bind(d.submit_post)
    .bind(d.result_counter)
    .bind(d.result_post)
    .bind(d.result_electronic)
    .bind(d.fee_note_vi.trim())
    .bind(d.fee_note_en.trim())
    .bind(legal_lines(&d.legal_basis))
    .bind(d.decision_no.trim())
    .bind(NaiveDate::parse_from_str(d.decision_date.trim(), "%Y-%m-%d").ok())
    .bind(d.clock_next_day_after_cutoff)
    .execute(&mut *conn)
    .await?;
    for table in ["procedure_documents", "procedure_fees", "procedure_fields"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "delete from {table} where version_id = $1"
        )))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    for (i, r) in d.documents.iter().enumerate() {
        sqlx::query(
            "insert into procedure_documents (version_id, position, name_vi, name_en, requirement, \
               copies, mandatory, condition_vi, condition_en, form_template_id) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, (select id from form_templates where slug = $10))",
        )
        .bind(id)
        .bind(i as i32 + 1)
        .bind(r.name_vi.trim())
        .bind(r.name_en.trim())
        .bind(&r.requirement)
        .bind(r.copies.trim().parse::<i32>().unwrap_or(1))
        .bind(r.mandatory)
        .bind(r.condition_vi.trim())
        .bind(r.condition_en.trim())
        .bind(&r.template)
        .execute(&mut *conn)
        .await?;
    }
    for (i, f) in d.fees.iter().enumerate() {
        sqlx::query(
            "insert into procedure_fees (version_id, position, kind, label_vi, label_en, amount_vnd, \
               channel, unit_vi, unit_en, exemption_vi, exemption_en, due, choice_group, \
               quantity_field, cap_vnd) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(id)
        .bind(i as i32 + 1)
        .bind(&f.kind)
        .bind(f.label_vi.trim())
        .bind(f.label_en.trim())
        .bind(parse_amount(&f.amount))
        .bind(&f.channel)
        .bind(f.unit_vi.trim())
        .bind(f.unit_en.trim())
        .bind(f.exemption_vi.trim())
        .bind(f.exemption_en.trim())
        .bind(if f.due.is_empty() { "submission" } else { f.due.as_str() })
        .bind(Some(f.choice_group.trim()).filter(|g| !g.is_empty()))
        .bind(Some(f.quantity_field.trim()).filter(|g| !g.is_empty()))
        .bind(parse_amount(&f.cap))
        .execute(&mut *conn)
        .await?;
    }
    for (i, f) in d.fields.iter().enumerate() {
        sqlx::query(
            "insert into procedure_fields (version_id, position, key, label_vi, label_en, hint_vi, \
               hint_en, kind, required, choices) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(i as i32 + 1)
        .bind(f.key.trim())
        .bind(f.label_vi.trim())
        .bind(f.label_en.trim())
        .bind(f.hint_vi.trim())
        .bind(f.hint_en.trim())
        .bind(&f.kind)
        .bind(f.required)
        .bind(Json(parse_choices(&f.choices).unwrap_or_default()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
