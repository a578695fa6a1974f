//! An official's action on a dossier: the form checked, its effects recorded, the status moved
//! through `dossiers::service`, the hand-over and the printable form.

use super::*;

/// The inputs of an action, checked: what the event and the dossier row will record.
#[derive(Default)]
pub(super) struct Checked {
    assignee: Option<Uuid>,
    agency: Option<Uuid>,
    sub_due: Option<DateTime<Utc>>,
    new_due: Option<DateTime<Utc>>,
    items: Vec<String>,
    /// Completion before acceptance: the slots asked again, with their reasons.
    slots: Vec<(Option<i32>, String)>,
    result_file: Option<Uuid>,
}

/// Where the action sends the dossier to (Form 06), and the deadline it is judged against.
pub(super) fn hand_over(
    d: &StaffDossier,
    action: Action,
    checked: &Checked,
    cal: &Calendar,
    rules: &ClockRules,
) -> (Option<Uuid>, Option<Uuid>, Option<DateTime<Utc>>) {
    let acknowledge = |at: DateTime<Utc>| {
        to_utc(cal.add_working_hours(
            to_local(at),
            u32::try_from(rules.online_acknowledge_hours).unwrap_or(8),
        ))
    };
    match action {
        Action::Accept => (
            d.receiving_agency_id,
            None,
            (d.intake_channel == 2)
                .then(|| d.submitted_at.map(acknowledge))
                .flatten(),
        ),
        Action::ReturnForCompletion | Action::RefuseAtReception => (
            None,
            None,
            (d.intake_channel == 2)
                .then(|| d.submitted_at.map(acknowledge))
                .flatten(),
        ),
        Action::Forward => (
            d.competent_agency_id.or(d.receiving_agency_id),
            None,
            d.received_at.map(|r| to_utc(cal.forward_by(to_local(r)))),
        ),
        Action::Assign => (d.competent_agency_id, checked.assignee, d.due_at),
        Action::SendToCooperation => (checked.agency, None, d.due_at),
        Action::CooperationReturned => (d.competent_agency_id, d.assignee_id, d.cooperation_due_at),
        Action::RequestSupplement => (
            d.receiving_agency_id,
            None,
            d.supplement_request_by.or_else(|| {
                d.received_at.map(|r| {
                    to_utc(cal.add_working_days(
                        to_local(r),
                        u32::try_from(rules.supplement_request_days).unwrap_or(3),
                    ))
                })
            }),
        ),
        // the decision and the hand-over to the citizen are judged, as the reports judge the
        // dossier, against the appointment before any reschedule (Form 04 does not make a
        // late dossier on time)
        Action::IssueResult | Action::RefuseOnMerits => {
            (d.receiving_agency_id, None, d.original_due_at.or(d.due_at))
        }
        Action::ReturnAtCounter => (None, None, d.original_due_at.or(d.due_at)),
        Action::SendBack => (d.competent_agency_id, d.assignee_id, d.due_at),
        Action::SubmitForSignature => (d.competent_agency_id, None, d.due_at),
        _ => (None, None, None),
    }
}

pub(super) fn require_reason(form: &ActForm, slug: &str, lang: Lang, errors: &mut FormErrors) {
    if form.reason.trim().chars().count() < 10 {
        errors.add(format!("{slug}-reason"), lang.t("reception.error_reason"));
    }
}

/// When an action is checked: the deciding agency's calendar, the clock rules in force, now.
#[derive(Clone, Copy)]
pub(super) struct Moment<'a> {
    pub cal: &'a Calendar,
    pub rules: &'a ClockRules,
    pub now: DateTime<Utc>,
}

/// Checks the inputs of `action`; errors carry the form field ids.
pub(super) async fn check(
    conn: &mut sqlx::PgConnection,
    d: &StaffDossier,
    action: Action,
    form: &ActForm,
    lang: Lang,
    at: Moment<'_>,
) -> Result<(Checked, FormErrors), sqlx::Error> {
    let Moment { cal, rules, now } = at;
    let slug = action.as_str();
    let mut errors = FormErrors::new();
    let mut checked = Checked::default();
    if action.needs_reason() {
        require_reason(form, slug, lang, &mut errors);
    }
    match action {
        Action::Accept => {
            // the legal due time must fall within the years whose holidays are entered
            let due = legal_due(d, cal, received_at(d, action, now));
            if !cal.knows(due.date()) {
                errors.add(
                    slug,
                    lang.t("processing.error_calendar_horizon")
                        .replace("{year}", &due.year().to_string()),
                );
            }
        }
        Action::Assign => {
            let officers = match d.competent_agency_id {
                Some(a) => repo::case_officers(conn, a).await?,
                None => Vec::new(),
            };
            checked.assignee = officers
                .iter()
                .find(|o| o.0.to_string() == form.assignee)
                .map(|o| o.0);
            if checked.assignee.is_none() {
                errors.add(
                    format!("{slug}-assignee"),
                    lang.t("processing.error_assignee"),
                );
            }
        }
        Action::SendToCooperation => {
            let agencies = repo::other_agencies(conn, d.competent_agency_id, lang).await?;
            checked.agency = agencies
                .iter()
                .find(|o| o.0.to_string() == form.agency)
                .map(|o| o.0);
            if checked.agency.is_none() {
                errors.add(format!("{slug}-agency"), lang.t("processing.error_agency"));
            }
            match form.days.trim().parse::<u32>() {
                Ok(n @ 1..=60) => {
                    checked.sub_due = Some(to_utc(cal.add_working_days(to_local(now), n)));
                }
                _ => errors.add(format!("{slug}-days"), lang.t("processing.error_days")),
            }
        }
        Action::ReturnForCompletion => {
            let slots = dossiers::slots(conn, d.version_id).await?;
            let mut names: Vec<(Option<i32>, String, String)> = slots
                .iter()
                .map(|s| (Some(s.position), s.position.to_string(), s.name_vi.clone()))
                .collect();
            names.push((
                None,
                "other".to_owned(),
                lang.t("dossier.other_documents").into_owned(),
            ));
            let mut complete = true;
            for (position, key, name) in names {
                if form
                    .extra
                    .get(&format!("item-{key}"))
                    .is_none_or(String::is_empty)
                {
                    continue;
                }
                let why = form
                    .extra
                    .get(&format!("item-reason-{key}"))
                    .map(|r| r.trim().to_owned())
                    .unwrap_or_default();
                if why.chars().count() < 3 {
                    complete = false;
                }
                checked.items.push(format!("{name}: {why}"));
                checked.slots.push((position, why));
            }
            if checked.slots.is_empty() || !complete {
                errors.add(
                    format!("{slug}-items"),
                    lang.t("processing.error_completion_items"),
                );
            }
            // Decree 118 Art. 17: the applicant is asked to complete the dossier once only
            let returned_before: bool = sqlx::query_scalar(
                "select exists (select 1 from dossier_events \
                   where dossier_id = $1 and action = 'return_for_completion')",
            )
            .bind(d.id)
            .fetch_one(&mut *conn)
            .await?;
            if returned_before {
                errors.add(
                    format!("{slug}-items"),
                    lang.t("processing.error_second_completion"),
                );
            }
        }
        Action::RequestSupplement => {
            checked.items = form
                .items
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            if checked.items.is_empty() {
                errors.add(format!("{slug}-items"), lang.t("processing.error_items"));
            }
        }
        Action::Reschedule => {
            let date = NaiveDate::parse_from_str(form.new_date.trim(), "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(form.new_date.trim(), "%d/%m/%Y"));
            let time = NaiveTime::parse_from_str(form.new_time.trim(), "%H:%M");
            let due = d.due_at.unwrap_or(now);
            let notice = u32::try_from(rules.reschedule_notice_days).unwrap_or(1);
            if to_local(due) < cal.add_working_days(to_local(now), notice) {
                errors.add(
                    format!("{slug}-new_date"),
                    lang.t("processing.error_reschedule_late"),
                );
            } else {
                match (date, time) {
                    (Ok(date), Ok(time)) if to_utc(date.and_time(time)) > due => {
                        checked.new_due = Some(to_utc(date.and_time(time)));
                    }
                    (Ok(_), Ok(_)) => {
                        errors.add(
                            format!("{slug}-new_date"),
                            lang.t("processing.error_new_date_order"),
                        );
                    }
                    _ => errors.add(
                        format!("{slug}-new_date"),
                        lang.t("processing.error_new_date"),
                    ),
                }
            }
        }
        Action::IssueResult => {
            let results = dossiers::result_files(conn, d.id).await?;
            checked.result_file = results.first().map(|f| f.id);
            if checked.result_file.is_none() {
                errors.add("result-file", lang.t("processing.error_no_result"));
            }
        }
        Action::CorrectResult => {
            let results = dossiers::result_files(conn, d.id).await?;
            let last_issue: Option<DateTime<Utc>> = sqlx::query_scalar(
                "select max(at) from dossier_events where dossier_id = $1 \
                 and action in ('issue_result', 'correct_result')",
            )
            .bind(d.id)
            .fetch_one(&mut *conn)
            .await?;
            let newest = results.first();
            checked.result_file = newest
                .filter(|f| last_issue.is_none_or(|at| f.created_at > at))
                .map(|f| f.id);
            if checked.result_file.is_none() {
                errors.add("result-file", lang.t("processing.error_no_correction"));
            }
            let limit = u32::try_from(rules.correction_working_days).unwrap_or(3);
            let since = d.returned_at.or(d.result_at).unwrap_or(now);
            if to_local(now) > cal.add_working_days(to_local(since), limit) {
                errors.add(
                    format!("{slug}-reason"),
                    lang.t("processing.error_correction_late"),
                );
            }
        }
        _ => {}
    }
    Ok((checked, errors))
}

/// What the action changes on the dossier row besides status and step.
pub(super) async fn record_effects(
    conn: &mut sqlx::PgConnection,
    d: &StaffDossier,
    action: Action,
    checked: &Checked,
    cal: &Calendar,
    rules: &ClockRules,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let mut due_note = None;
    match action {
        Action::Accept | Action::SupplementReceived => {
            let now = received_at(d, action, now);
            let mut due = to_utc(legal_due(d, cal, now));
            if action == Action::SupplementReceived
                && let Some(asked) = late_request(conn, d.id).await?
                && let Some(due_then) = d.due_at
            {
                // a late request only paused the clock: the appointment in force moves by the
                // working time spent waiting, so a dossier late before it stays late
                due = moved_by_wait(cal, due_then, asked, now);
            }
            let set_received = action == Action::Accept;
            // the last moment a supplement request is timely: N working days from receipt
            let request_by = to_utc(cal.add_working_days(
                to_local(now),
                u32::try_from(rules.supplement_request_days).unwrap_or(3),
            ));
            sqlx::query(
                "update dossiers set received_at = case when $4 then $2 else received_at end, \
                   due_at = $3, original_due_at = $3, supplement_due_at = null, \
                   supplement_request_by = case when $4 then $5 else supplement_request_by end \
                 where id = $1",
            )
            .bind(d.id)
            .bind(now)
            .bind(due)
            .bind(set_received)
            .bind(request_by)
            .execute(&mut *conn)
            .await?;
            due_note = Some(due);
        }
        Action::Forward => {
            sqlx::query(
                "update dossiers set competent_agency_id = coalesce(competent_agency_id, receiving_agency_id) \
                 where id = $1",
            )
            .bind(d.id)
            .execute(&mut *conn)
            .await?;
        }
        Action::Assign => {
            sqlx::query("update dossiers set assignee_id = $2 where id = $1")
                .bind(d.id)
                .bind(checked.assignee)
                .execute(&mut *conn)
                .await?;
        }
        Action::SendToCooperation => {
            sqlx::query(
                "update dossiers set cooperating_agency_id = $2, cooperation_due_at = $3 where id = $1",
            )
            .bind(d.id)
            .bind(checked.agency)
            .bind(checked.sub_due)
            .execute(&mut *conn)
            .await?;
        }
        Action::FinancialDone => {
            // the citizen's financial obligation (tax, land levy: national status 6) paused the
            // legal clock: the appointment moves by the working time spent waiting
            let asked: Option<DateTime<Utc>> = sqlx::query_scalar(
                "select max(at) from dossier_events where dossier_id = $1 and action = 'wait_financial'",
            )
            .bind(d.id)
            .fetch_one(&mut *conn)
            .await?;
            if let (Some(asked), Some(due)) = (asked, d.due_at) {
                let moved = moved_by_wait(cal, due, asked, now);
                sqlx::query(
                    "update dossiers set due_at = $2, \
                       original_due_at = case when original_due_at = due_at then $2 else original_due_at end \
                     where id = $1",
                )
                .bind(d.id)
                .bind(moved)
                .execute(&mut *conn)
                .await?;
                due_note = Some(moved);
            }
        }
        Action::ReturnForCompletion => {
            // closed by the system when not completed within the rule's days
            let until = now + Duration::days(i64::from(rules.completion_reply_days));
            sqlx::query("update dossiers set supplement_due_at = $2 where id = $1")
                .bind(d.id)
                .bind(until)
                .execute(&mut *conn)
                .await?;
        }
        Action::RequestSupplement => {
            let until = now + Duration::days(i64::from(rules.supplement_reply_days));
            sqlx::query("update dossiers set supplement_due_at = $2 where id = $1")
                .bind(d.id)
                .bind(until)
                .execute(&mut *conn)
                .await?;
        }
        Action::Reschedule => {
            // once: a concurrent second reschedule finds it done and changes nothing
            let rescheduled = sqlx::query(
                "update dossiers set due_at = $2, original_due_at = coalesce(original_due_at, due_at), \
                   rescheduled_at = now() where id = $1 and rescheduled_at is null",
            )
            .bind(d.id)
            .bind(checked.new_due)
            .execute(&mut *conn)
            .await?;
            if rescheduled.rows_affected() != 1 {
                return Err(sqlx::Error::RowNotFound);
            }
            due_note = checked.new_due;
        }
        Action::IssueResult | Action::RefuseOnMerits => {
            sqlx::query(
                "update dossiers set result_at = $2, result_file_id = coalesce($3, result_file_id) where id = $1",
            )
            .bind(d.id)
            .bind(now)
            .bind(checked.result_file)
            .execute(&mut *conn)
            .await?;
        }
        Action::CorrectResult => {
            sqlx::query(
                "update dossiers set result_file_id = $2, returned_at = null where id = $1",
            )
            .bind(d.id)
            .bind(checked.result_file)
            .execute(&mut *conn)
            .await?;
        }
        Action::ReturnAtCounter | Action::ReturnElectronically => {
            sqlx::query("update dossiers set returned_at = $2 where id = $1")
                .bind(d.id)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        }
        _ => {}
    }
    Ok(due_note)
}

/// When the dossier counts as received by `action` at `now`: a dossier that came by post when
/// it arrived (the postmark rule), any other now.
fn received_at(d: &StaffDossier, action: Action, now: DateTime<Utc>) -> DateTime<Utc> {
    if action == Action::Accept && d.intake_channel == 3 {
        d.submitted_at.unwrap_or(now)
    } else {
        now
    }
}

/// The legal appointment of the dossier's procedure when received at `received`.
fn legal_due(d: &StaffDossier, cal: &Calendar, received: DateTime<Utc>) -> chrono::NaiveDateTime {
    let start = cal.clock_start(to_local(received), d.clock_starts_next_day_after_cutoff);
    cal.due(start, d.time_limit_value, d.time_limit_unit)
}

/// `due` moved by the working time of a wait from `from` to `to` (a pause of the clock: the
/// same arithmetic as the statistics' appointment).
fn moved_by_wait(
    cal: &Calendar,
    due: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DateTime<Utc> {
    to_utc(cal.statistics_due(to_local(due), &[(to_local(from), to_local(to))]))
}

/// QĐ 766's appointment as a supplement arrives at `now`: the first appointment moved by the
/// working time spent waiting (`fallback` when the acceptance recorded none). Recorded on the
/// event, it is what the reports judge indicator 2.1 by; the restarted legal due time stays on
/// the dossier.
pub(crate) async fn statistics_due_now(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
    fallback: Option<DateTime<Utc>>,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let events: Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)> = sqlx::query_as(
        "select action, at, (details->>'due_at')::timestamptz from dossier_events \
         where dossier_id = $1 order by at, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let events = events.iter().map(|(a, at, due)| (a.as_str(), *at, *due));
    Ok(super::page::statistics_due_of(cal, events, fallback, now).map(to_utc))
}

/// When the dossier's last supplement request was made, if it was made late (after
/// `supplement_request_by`, or with the dossier already past its appointment).
async fn late_request(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let last: Option<(DateTime<Utc>, bool)> = sqlx::query_as(
        "select at, coalesce((details->>'late')::boolean, false) from dossier_events \
         where dossier_id = $1 and action = 'request_supplement' order by id desc limit 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(last.filter(|l| l.1).map(|l| l.0))
}

/// Who acts, from where.
pub struct Desk<'a> {
    pub app: &'a AppState,
    pub lang: Lang,
    pub staff: &'a CurrentStaff,
    pub session: &'a Session,
    pub ip: Option<std::net::IpAddr>,
}

/// Performs `action` for the official: the shared path of every back-office action.
pub async fn perform(
    desk: Desk<'_>,
    id: Uuid,
    form: &ActForm,
    action: Action,
) -> AppResult<Response> {
    let Desk {
        app,
        lang,
        staff,
        session,
        ip,
    } = desk;
    let d = scoped(app, staff, id).await?;
    if state_key(d.status, d.step) != form.expected {
        return Err(AppError::Conflict);
    }
    let now = app.clock.now();
    if action == Action::RequestSupplement
        && supplement_late(&d, now)
        && d.assignee_id == Some(staff.id)
        && may(staff, &d, action, now).is_none()
    {
        let mut errors = FormErrors::new();
        errors.add(
            format!("{}-items", action.as_str()),
            lang.t("processing.error_supplement_late"),
        );
        let page = page(app, lang, session, staff, &d, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let Some((role, agency)) = may(staff, &d, action, now) else {
        // an action of another role or agency is forbidden; one that no longer applies
        // (the dossier moved on) is a conflict
        let anyone = DESK_ROLES.into_iter().any(|r| {
            action.allowed_for(Actor::Staff(r)) && acting_agency(staff, &d, r, action).is_some()
        });
        return Err(if anyone {
            AppError::Conflict
        } else {
            AppError::Forbidden
        });
    };
    let mut tx = app.db.begin().await?;
    // the deciding agency's office hours (the receiving unit's before forwarding)
    let cal = calendar::load_for(&mut tx, d.competent_agency_id.or(d.receiving_agency_id)).await?;
    let rules = repo::clock_rules(&mut tx, Some(d.field_id), to_local(now).date()).await?;
    let moment = Moment {
        cal: &cal,
        rules: &rules,
        now,
    };
    let (checked, errors) = check(&mut tx, &d, action, form, lang, moment).await?;
    if !errors.is_empty() {
        drop(tx);
        let page = page(app, lang, session, staff, &d, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let (to_agency, to_staff, judged_by) = hand_over(&d, action, &checked, &cal, &rules);
    let mut details = json!({});
    if !checked.items.is_empty() {
        details["items"] = json!(checked.items);
    }
    if !checked.slots.is_empty() {
        details["slots"] = json!(
            checked
                .slots
                .iter()
                .map(|(position, reason)| json!({"position": position, "reason": reason}))
                .collect::<Vec<_>>()
        );
    }
    if let Some(due) = checked.new_due {
        details["new_due_at"] = json!(due);
        details["original_due_at"] = json!(d.original_due_at.or(d.due_at));
    }
    if let Some(due) = checked.sub_due {
        details["cooperation_due_at"] = json!(due);
    }
    if action == Action::RequestSupplement && supplement_late(&d, now) {
        // the head's decision past the limit: its reason is the justification; Form 06 shows
        // the hand-over late (judged by the limit) and the clock only pauses
        details["late"] = json!(true);
        details["request_by"] = json!(d.supplement_request_by);
    }
    let reason = form.reason.trim();
    // the case officer the page showed is still the one (a reassignment meanwhile is stale)
    if matches!(
        action,
        Action::Assign
            | Action::SendToCooperation
            | Action::RequestSupplement
            | Action::WaitFinancial
            | Action::FinancialDone
            | Action::SubmitForSignature
    ) {
        let assignee: Option<Option<Uuid>> =
            sqlx::query_scalar("select assignee_id from dossiers where id = $1 for update")
                .bind(d.id)
                .fetch_optional(&mut *tx)
                .await?;
        if assignee != Some(d.assignee_id) {
            return Err(AppError::Conflict);
        }
    }
    // what the action records on the row goes first: the constraints of the next status
    // (a co-operating agency, a result time) hold when the status changes; a refused
    // transition rolls it all back
    if matches!(action, Action::SupplementReceived | Action::FinancialDone) {
        let statistics_due =
            statistics_due_now(&mut tx, d.id, d.original_due_at, &cal, now).await?;
        details["statistics_due_at"] = json!(statistics_due);
    }
    let due = record_effects(&mut tx, &d, action, &checked, &cal, &rules, now)
        .await
        .map_err(|e| match e {
            sqlx::Error::RowNotFound => AppError::Conflict,
            e => e.into(),
        })?;
    // the appointment set by this event, kept with it: the reports judge each period by the
    // one in force (the history is never rewritten afterwards)
    if let Some(due) = due.filter(|_| {
        matches!(
            action,
            Action::Accept | Action::SupplementReceived | Action::FinancialDone
        )
    }) {
        details["due_at"] = json!(due);
    }
    let act = Act::new(d.id, d.status, action, Actor::Staff(role)).at_step(d.step);
    let act = act
        .at(now)
        .by(staff.id, Some(agency))
        .note(reason)
        .to(to_agency, to_staff)
        .judged_by(judged_by)
        .details(details);
    let applied = match service::apply(&mut tx, act).await {
        Ok(applied) => applied,
        Err(ApplyError::Illegal(illegal))
            if illegal.reason == workflow::Refusal::SecondSupplement =>
        {
            drop(tx);
            let mut errors = FormErrors::new();
            errors.add(
                format!("{}-items", action.as_str()),
                lang.t("processing.error_second_supplement"),
            );
            let page = page(app, lang, session, staff, &d, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(ApplyError::Stale { .. } | ApplyError::Illegal(_)) => return Err(AppError::Conflict),
        Err(ApplyError::NotFound) => return Err(AppError::NotFound),
        Err(ApplyError::Database(e)) => return Err(e.into()),
    };
    if action == Action::CooperationReturned {
        // the partner's part is done: it no longer sees the dossier (Form 06 keeps the steps)
        sqlx::query(
            "update dossiers set cooperating_agency_id = null, cooperation_due_at = null where id = $1",
        )
        .bind(d.id)
        .execute(&mut *tx)
        .await?;
    }
    let mut status = applied.status;
    // an electronic result is returned as it is issued: the citizen downloads it
    if matches!(action, Action::IssueResult | Action::CorrectResult)
        && d.result_channel == "electronic"
    {
        let returned = Act::new(d.id, status, Action::ReturnElectronically, Actor::System)
            .at(now)
            .to(None, None)
            .judged_by(d.original_due_at.or(d.due_at));
        status = service::apply(&mut tx, returned)
            .await
            .map_err(|_| AppError::Conflict)?
            .status;
        record_effects(
            &mut tx,
            &d,
            Action::ReturnElectronically,
            &checked,
            &cal,
            &rules,
            now,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        audit::Actor::Staff(staff.id),
        &format!(
            "dossier.{}",
            action.label_key().trim_start_matches("action.")
        ),
        d.code.as_deref(),
        ip,
        json!({"to": format!("{status:?}"), "reason": reason}),
    )
    .await?;
    tx.commit().await?;
    let mut message = format!(
        "{}: {}",
        lang.t(&action.label_key()),
        lang.t(status.label_key())
    );
    if let Some(due) = due {
        message = format!(
            "{message}. {} {}",
            lang.t("reception.due"),
            format_local(due)
        );
    }
    flash::set(session, message).await;
    // the partner that returned it sees the dossier no more: back to its inbox
    let next = if action == Action::CooperationReturned {
        "/staff/inbox?view=cooperation".to_owned()
    } else {
        crate::web::paths::staff_dossier(id)
    };
    Ok(Redirect::to(&next).into_response())
}

/// Restarts the legal clock of a dossier whose supplement just arrived (Decree 118
/// Art. 19(5)): the time limit counts again from zero.
pub async fn restart_clock(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    // to PostgreSQL's microsecond: the dossier's row and the event's details (text) then keep
    // the same instant (a nanosecond part was truncated in one and rounded in the other)
    let now = chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1))
        .unwrap_or(now);
    let d = repo::find(conn, id).await?.ok_or(AppError::NotFound)?;
    let cal = calendar::load_for(conn, d.competent_agency_id.or(d.receiving_agency_id)).await?;
    let rules = repo::clock_rules(conn, Some(d.field_id), to_local(now).date()).await?;
    let statistics_due = statistics_due_now(conn, d.id, d.original_due_at, &cal, now).await?;
    let due = record_effects(
        conn,
        &d,
        Action::SupplementReceived,
        &Checked::default(),
        &cal,
        &rules,
        now,
    )
    .await?;
    due.map(|due| (due, statistics_due))
        .ok_or(AppError::Internal(anyhow::anyhow!(
            "no due time after a supplement"
        )))
}
