//! A reorganisation of agencies (Decree 118 §15, the 2025 mergers): the form read and checked,
//! and the transfer of a predecessor's open dossiers, on its date or by the daily job.

use super::*;

/// A predecessor as a reorganisation reads it: id, valid from, valid to, e-ID code, parent,
/// administrative unit.
pub(super) type Predecessor = (
    Uuid,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
    Option<Uuid>,
    Option<Uuid>,
);

/// What a reorganisation changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new agency, with no predecessor.
    Create,
    /// One agency under a new name (a new row, so old dossiers keep the old name).
    Rename,
    /// Several agencies become one (a new one, or an existing one that absorbs the others).
    Merge,
    /// One agency's work divided; recorded once per part.
    Split,
}

impl Change {
    pub const ALL: [Change; 4] = [Change::Create, Change::Rename, Change::Merge, Change::Split];

    pub fn parse(s: &str) -> Option<Change> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Rename => "rename",
            Change::Merge => "merge",
            Change::Split => "split",
        }
    }

    /// Whether the predecessor's work may be handed over automatically: only when there is one
    /// place for it to go.
    pub fn may_transfer(self) -> bool {
        matches!(self, Change::Rename | Change::Merge)
    }
}

/// What the reorganisation form sends (checkboxes repeat `predecessor`).
#[derive(Debug, Clone, Default)]
pub struct ReorgForm {
    pub change: String,
    pub predecessors: Vec<String>,
    pub successor: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: String,
    pub slug: String,
    pub e_id_code: String,
    pub effective_on: String,
    pub decision: String,
    pub transfer: bool,
    /// the new agency's administrative unit: "" (the predecessor's), "new", or a unit's id
    pub unit: String,
    pub unit_kind: String,
    pub unit_code: String,
    pub unit_name: String,
}

impl ReorgForm {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = ReorgForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "change" => f.change = v,
                "predecessor" => f.predecessors.push(v),
                "successor" => f.successor = v,
                "name_vi" => f.name_vi = v,
                "name_en" => f.name_en = v,
                "kind" => f.kind = v,
                "slug" => f.slug = v,
                "e_id_code" => f.e_id_code = v,
                "effective_on" => f.effective_on = v,
                "decision" => f.decision = v,
                "transfer" => f.transfer = true,
                "unit" => f.unit = v,
                "unit_kind" => f.unit_kind = v,
                "unit_code" => f.unit_code = v,
                "unit_name" => f.unit_name = v,
                _ => {}
            }
        }
        f
    }
}

/// A slug from a Vietnamese name: "UBND xã Tịnh Ấn" → "ubnd-xa-tinh-an".
pub fn slug_of(name: &str) -> String {
    crate::kernel::text::search_terms(name).join("-")
}

/// A validated reorganisation.
#[derive(Debug)]
pub struct Reorg {
    pub change: Change,
    pub predecessors: Vec<Uuid>,
    /// None: a new agency from the form's fields
    pub successor: Option<Uuid>,
    pub effective_on: NaiveDate,
    pub decision: String,
    pub transfer: bool,
}

/// Checks what does not need the database; `add` receives (field, message key).
pub fn check(form: &ReorgForm, mut add: impl FnMut(&'static str, &'static str)) -> Option<Reorg> {
    let change = Change::parse(&form.change);
    if change.is_none() {
        add("change", "agencies.error_change");
    }
    let predecessors: Vec<Uuid> = form
        .predecessors
        .iter()
        .filter_map(|p| p.parse().ok())
        .collect();
    let successor: Option<Uuid> = form.successor.parse().ok();
    let new_agency = successor.is_none();
    match change {
        Some(Change::Create) if !predecessors.is_empty() => {
            add("predecessor", "agencies.error_create_has_predecessor")
        }
        Some(Change::Create | Change::Rename) if !new_agency => {
            add("successor", "agencies.error_needs_new")
        }
        Some(Change::Rename | Change::Split) if predecessors.len() != 1 => {
            add("predecessor", "agencies.error_one_predecessor")
        }
        Some(Change::Merge) if predecessors.len() + usize::from(!new_agency) < 2 => {
            add("predecessor", "agencies.error_merge_two")
        }
        _ => {}
    }
    if successor.is_some_and(|s| predecessors.contains(&s)) {
        add("successor", "agencies.error_successor_is_predecessor");
    }
    if new_agency {
        if form.name_vi.trim().chars().count() < 5 {
            add("name_vi", "agencies.error_name");
        }
        if form.kind.trim().is_empty() {
            add("kind", "agencies.error_kind");
        }
        let slug = if form.slug.trim().is_empty() {
            slug_of(&form.name_vi)
        } else {
            form.slug.trim().to_owned()
        };
        let slug_ok = !slug.is_empty()
            && slug.split('-').all(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        if !slug_ok {
            add("slug", "agencies.error_slug");
        }
        let e_id = form.e_id_code.trim();
        let e_id_ok = e_id.is_empty()
            || (e_id.len() <= 35
                && e_id.split('.').all(|w| {
                    !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                }));
        if !e_id_ok {
            add("e_id_code", "agencies.error_e_id");
        }
    }
    if new_agency && form.unit == "new" {
        if !matches!(form.unit_kind.as_str(), "xa" | "phuong" | "dac_khu") {
            add("unit_kind", "agencies.error_unit_kind");
        }
        let code = form.unit_code.trim();
        if code.is_empty()
            || code.len() > 20
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            add("unit_code", "agencies.error_unit_code");
        }
        if form.unit_name.trim().chars().count() < 3 {
            add("unit_name", "agencies.error_unit_name");
        }
    } else if !form.unit.is_empty() && form.unit.parse::<Uuid>().is_err() {
        add("unit", "agencies.error_unit");
    }
    let effective_on = NaiveDate::parse_from_str(form.effective_on.trim(), "%Y-%m-%d").ok();
    if effective_on.is_none() {
        add("effective_on", "agencies.error_date");
    }
    if form.decision.trim().chars().count() < 5 {
        add("decision", "agencies.error_decision");
    }
    Some(Reorg {
        change: change?,
        predecessors,
        successor,
        effective_on: effective_on?,
        decision: form.decision.trim().to_owned(),
        transfer: form.transfer && change.is_some_and(Change::may_transfer),
    })
}

/// Hands a predecessor's work to its successor, as of the succession's effective date:
/// dossiers still open (each with an event in its history), officials' roles, office hours and
/// postal service areas. Returns the number of dossiers moved.
pub async fn transfer(conn: &mut sqlx::PgConnection, succession: Uuid) -> Result<u64, sqlx::Error> {
    let row: Option<(Uuid, Uuid, NaiveDate, Option<String>, String)> = sqlx::query_as(
        "select s.predecessor_id, s.successor_id, s.effective_on, s.decision, n.name_vi \
         from agency_successions s join agencies n on n.id = s.successor_id \
         where s.id = $1 and s.transfer and s.transferred_at is null for update of s",
    )
    .bind(succession)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((from, to, on, decision, to_name)) = row else {
        return Ok(0);
    };
    let note = format!(
        "Chuyển sang {to_name} do sắp xếp đơn vị ({})",
        decision.unwrap_or_default()
    );
    let open = "status not in ('refused_at_reception', 'stopped', 'withdrawn', 'refused_on_merits', 'returned', 'draft')";
    let moved: Vec<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "select id from dossiers where {open} \
           and (receiving_agency_id = $1 or competent_agency_id = $1 or cooperating_agency_id = $1) \
         for update"
    )))
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "insert into dossier_events (dossier_id, from_status, to_status, actor_kind, action, agency_id, to_agency_id, note) \
         select id, status, status, 'system', 'agency_succeeded', $2, $3, $4 from dossiers where id = any($1)",
    )
    .bind(&moved)
    .bind(from)
    .bind(to)
    .bind(&note)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "update dossiers set \
           receiving_agency_id = case when receiving_agency_id = $2 then $3 else receiving_agency_id end, \
           competent_agency_id = case when competent_agency_id = $2 then $3 else competent_agency_id end, \
           cooperating_agency_id = case when cooperating_agency_id = $2 then $3 else cooperating_agency_id end \
         where id = any($1)",
    )
    .bind(&moved)
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    // roles: those in force on the day end there and continue at the successor
    sqlx::query(
        "with old as ( \
           select id, valid_to as old_to from staff_roles \
           where agency_id = $1 and valid_from < $3 and (valid_to is null or valid_to > $3) for update), \
         ended as ( \
           update staff_roles r set valid_to = $3 from old where r.id = old.id \
           returning r.staff_id, r.role, old.old_to, r.granted_by) \
         insert into staff_roles (staff_id, role, agency_id, valid_from, valid_to, granted_by) \
         select e.staff_id, e.role, $2, $3, e.old_to, e.granted_by from ended e \
         where not exists (select 1 from staff_roles r where r.staff_id = e.staff_id and r.role = e.role \
                           and r.agency_id = $2 and (r.valid_to is null or r.valid_to > $3))",
    )
    .bind(from)
    .bind(to)
    .bind(on)
    .execute(&mut *conn)
    .await?;
    // roles that would only have started after the day move as they are
    sqlx::query("update staff_roles set agency_id = $2 where agency_id = $1 and valid_from >= $3")
        .bind(from)
        .bind(to)
        .bind(on)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "insert into office_hours (agency_id, opens, closes, valid_from, valid_to, is_estimate) \
         select $2, opens, closes, greatest(valid_from, $3), valid_to, is_estimate from office_hours \
         where agency_id = $1 and (valid_to is null or valid_to > $3) \
           and not exists (select 1 from office_hours o where o.agency_id = $2)",
    )
    .bind(from)
    .bind(to)
    .bind(on)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "insert into postal_service_areas (post_office_id, unit_id) \
         select post_office_id, $2 from postal_service_areas where unit_id = $1 on conflict do nothing",
    )
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    // a post office's own service areas, and hand-overs not yet signed off
    sqlx::query(
        "insert into postal_service_areas (post_office_id, unit_id) \
         select $2, unit_id from postal_service_areas where post_office_id = $1 on conflict do nothing",
    )
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "update postal_manifests set \
           unit_id = case when unit_id = $1 then $2 else unit_id end, \
           post_office_id = case when post_office_id = $1 then $2 else post_office_id end \
         where confirmed_at is null and (unit_id = $1 or post_office_id = $1)",
    )
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    sqlx::query("update agency_successions set transferred_at = now() where id = $1")
        .bind(succession)
        .execute(&mut *conn)
        .await?;
    Ok(moved.len() as u64)
}

/// Hands over the work of every succession that took effect (the periodic job; a succession
/// effective today or earlier is handed over when it is recorded).
pub async fn transfer_due(db: &sqlx::PgPool) -> anyhow::Result<u64> {
    let due: Vec<Uuid> = sqlx::query_scalar(
        "select id from agency_successions where transfer and transferred_at is null \
           and effective_on <= (now() at time zone 'Asia/Ho_Chi_Minh')::date order by effective_on limit 100",
    )
    .fetch_all(db)
    .await?;
    let mut moved = 0;
    for id in due {
        let mut tx = db.begin().await?;
        moved += transfer(&mut tx, id).await?;
        tx.commit().await?;
    }
    Ok(moved)
}

/// A reorganisation checked on its form, carried out in one transaction: the successor found or
/// created, the predecessors ended, the successions recorded, open dossiers handed over when the
/// date has come. `Ok(Err((field, message key)))`: refused, nothing written. `Ok(Ok(n))`: done,
/// `n` dossiers moved.
pub(super) async fn reorganise_in(
    db: &sqlx::PgPool,
    reorg: &Reorg,
    form: &ReorgForm,
    (admin, ip): (Uuid, Option<std::net::IpAddr>),
) -> AppResult<Result<u64, (&'static str, String)>> {
    let mut tx = db.begin().await?;
    // the predecessors: in force before the date; a split's may already end on that very date
    let olds: Vec<Predecessor> = sqlx::query_as(
        "select id, valid_from, valid_to, e_id_code, parent_id, admin_unit_id from agencies \
             where id = any($1) for update",
    )
    .bind(&reorg.predecessors)
    .fetch_all(&mut *tx)
    .await?;
    let on = reorg.effective_on;
    let fits = olds.len() == reorg.predecessors.len()
        && olds.iter().all(|(_, from, to, ..)| {
            *from < on
                && match to {
                    None => true,
                    // only the further parts of a split find their predecessor already ended
                    Some(end) => reorg.change == Change::Split && *end == on,
                }
        });
    if !fits {
        return Ok(Err((
            "effective_on",
            "agencies.error_predecessor_dates".to_owned(),
        )));
    }
    let successor = match reorg.successor {
        Some(id) => {
            let ok: bool = sqlx::query_scalar(
                "select exists (select 1 from agencies where id = $1 and valid_from <= $2 \
                   and (valid_to is null or valid_to > $2))",
            )
            .bind(id)
            .bind(on)
            .fetch_one(&mut *tx)
            .await?;
            if !ok {
                return Ok(Err(("successor", "agencies.error_successor".to_owned())));
            }
            id
        }
        None => {
            let slug = if form.slug.trim().is_empty() {
                slug_of(&form.name_vi)
            } else {
                form.slug.trim().to_owned()
            };
            let first = olds.first();
            let e_id = match form.e_id_code.trim() {
                "" if reorg.change == Change::Rename => first.and_then(|o| o.3.clone()),
                "" => None,
                code => Some(code.to_owned()),
            };
            let name_en = match form.name_en.trim() {
                "" => form.name_vi.trim(),
                n => n,
            };
            let unit = match place_unit(&mut tx, form, &olds, on).await? {
                Ok(unit) => unit,
                Err(field) => {
                    let input = if field == "unit_code_taken" {
                        "unit_code"
                    } else {
                        field
                    };
                    return Ok(Err((input, format!("agencies.error_{field}"))));
                }
            };
            let inserted: Result<Uuid, sqlx::Error> = sqlx::query_scalar(
                "insert into agencies (slug, parent_id, kind, name_vi, name_en, e_id_code, e_id_scheme, \
                   address, phone, valid_from, admin_unit_id) \
                 select $1, $2, k.code, $4, $5, $6, case when $6 is null then null else 'qd20_2020' end, \
                   (select address from agencies where id = $8), (select phone from agencies where id = $8), $7, $9 \
                 from agency_kinds k where k.code = $3 returning id",
            )
            .bind(&slug)
            .bind(first.and_then(|o| o.4))
            .bind(form.kind.trim())
            .bind(form.name_vi.trim())
            .bind(name_en)
            .bind(&e_id)
            .bind(on)
            .bind(first.map(|o| o.0))
            .bind(unit.or_else(|| first.and_then(|o| o.5)))
            .fetch_one(&mut *tx)
            .await;
            match inserted {
                Ok(id) => id,
                Err(sqlx::Error::RowNotFound) => {
                    return Ok(Err(("kind", "agencies.error_kind".to_owned())));
                }
                Err(sqlx::Error::Database(e)) if e.constraint() == Some("agencies_slug_key") => {
                    return Ok(Err(("slug", "agencies.error_slug_taken".to_owned())));
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let mut successions = Vec::new();
    for (id, _, to, ..) in &olds {
        if to.is_none_or(|end| end > on) {
            sqlx::query("update agencies set valid_to = $2 where id = $1")
                .bind(id)
                .bind(on)
                .execute(&mut *tx)
                .await?;
        }
        let s: Uuid = sqlx::query_scalar(
            "insert into agency_successions (predecessor_id, successor_id, kind, effective_on, decision, transfer, recorded_by) \
             values ($1, $2, $3, $4, $5, $6, $7) \
             on conflict (predecessor_id, successor_id) do update set kind = excluded.kind, \
               effective_on = excluded.effective_on, decision = excluded.decision, transfer = excluded.transfer \
             returning id",
        )
        .bind(id)
        .bind(successor)
        .bind(reorg.change.code())
        .bind(on)
        .bind(&reorg.decision)
        .bind(reorg.transfer)
        .bind(admin)
        .fetch_one(&mut *tx)
        .await?;
        successions.push(s);
    }
    let today = crate::deadlines::calendar::today();
    let mut moved = 0;
    if reorg.transfer && on <= today {
        for s in &successions {
            moved += transfer(&mut tx, *s).await?;
        }
    }
    audit::record(
        &mut tx,
        audit::Actor::Staff(admin),
        &format!("agency.{}", reorg.change.code()),
        Some(&successor.to_string()),
        ip,
        json!({
            "predecessors": reorg.predecessors,
            "successor": successor,
            "effective_on": on,
            "decision": reorg.decision,
            "transfer": reorg.transfer,
            "dossiers_moved": moved,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(moved))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(change: &str, preds: &[&str], successor: &str) -> ReorgForm {
        ReorgForm {
            change: change.into(),
            predecessors: preds.iter().map(|p| (*p).to_owned()).collect(),
            successor: successor.into(),
            name_vi: "UBND xã Tịnh Ấn".into(),
            kind: "commune_ubnd".into(),
            effective_on: "2027-01-01".into(),
            decision: "Nghị quyết 1/NQ-UBTVQH".into(),
            transfer: true,
            ..ReorgForm::default()
        }
    }

    fn errors_of(f: &ReorgForm) -> Vec<&'static str> {
        let mut errs = Vec::new();
        check(f, |_, key| errs.push(key));
        errs
    }

    const A: &str = "00000000-0000-0000-0000-00000000000a";
    const B: &str = "00000000-0000-0000-0000-00000000000b";

    #[test]
    fn each_change_needs_its_own_number_of_predecessors() {
        assert!(errors_of(&form("create", &[], "")).is_empty());
        assert_eq!(
            errors_of(&form("create", &[A], "")),
            ["agencies.error_create_has_predecessor"]
        );
        assert!(errors_of(&form("rename", &[A], "")).is_empty());
        assert_eq!(
            errors_of(&form("rename", &[A, B], "")),
            ["agencies.error_one_predecessor"]
        );
        assert_eq!(
            errors_of(&form("rename", &[A], B)),
            ["agencies.error_needs_new"]
        );
        assert_eq!(
            errors_of(&form("merge", &[A], "")),
            ["agencies.error_merge_two"]
        );
        assert!(errors_of(&form("merge", &[A, B], "")).is_empty());
        assert!(
            errors_of(&form("merge", &[A], B)).is_empty(),
            "one absorbed into an existing one"
        );
        assert_eq!(
            errors_of(&form("merge", &[A, B], B)),
            ["agencies.error_successor_is_predecessor"]
        );
        assert!(errors_of(&form("split", &[A], "")).is_empty());
    }

    #[test]
    fn only_renames_and_merges_hand_work_over() {
        let split = check(&form("split", &[A], ""), |_, _| {}).unwrap();
        assert!(
            !split.transfer,
            "a split's dossiers need a person to decide"
        );
        let merge = check(&form("merge", &[A, B], ""), |_, _| {}).unwrap();
        assert!(merge.transfer);
    }

    #[test]
    fn slugs_and_codes_are_checked() {
        assert_eq!(slug_of("UBND xã Tịnh Ấn"), "ubnd-xa-tinh-an");
        let mut f = form("create", &[], "");
        f.e_id_code = "000.00.x".into();
        f.slug = "Bad Slug".into();
        assert_eq!(
            errors_of(&f),
            ["agencies.error_slug", "agencies.error_e_id"]
        );
    }
}
