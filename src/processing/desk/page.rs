//! The back office's dossier page: what the official may do now, the clock, the history, the
//! files; downloads and the result's upload.

use super::*;

/// The dossier page, with `form` re-shown for the action that failed.
pub async fn page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    staff: &CurrentStaff,
    d: &StaffDossier,
    form: &ActForm,
    errors: FormErrors,
) -> AppResult<DossierPage> {
    let now = app.clock.now();
    let mut conn = app.db.acquire().await?;
    let files = dossiers::files(&mut conn, d.id).await?;
    let results = dossiers::result_files(&mut conn, d.id).await?;
    let history = repo::history(&mut conn, d.id).await?;
    let cal = calendar::load(&mut conn).await?;
    let payments = crate::payments::repo::for_dossier(&mut conn, d.id).await?;
    let awaiting = crate::payments::repo::awaiting_refunds(&mut conn, d.id).await?;
    let approver = crate::payments::service::may_approve_refunds(staff, d.receiving_agency_id);
    let reads_papers = may_read_documents(staff, d);
    let actions: Vec<(Action, StaffRole, Uuid)> = Action::ALL
        .into_iter()
        .filter_map(|a| may(staff, d, a, now).map(|(r, ag)| (a, r, ag)))
        .collect();
    let officers = match (
        actions.iter().any(|a| a.0 == Action::Assign),
        d.competent_agency_id,
    ) {
        (true, Some(agency)) => repo::case_officers(&mut conn, agency).await?,
        _ => Vec::new(),
    };
    let slot_options: Vec<OptionView> =
        if actions.iter().any(|a| a.0 == Action::ReturnForCompletion) {
            dossiers::slots(&mut conn, d.version_id)
                .await?
                .into_iter()
                .map(|s| OptionView {
                    value: s.position.to_string(),
                    label: lang.pick(&s.name_vi, &s.name_en).to_owned(),
                })
                .chain(std::iter::once(OptionView {
                    value: "other".to_owned(),
                    label: lang.t("dossier.other_documents").into_owned(),
                }))
                .collect()
        } else {
            Vec::new()
        };
    let agencies = if actions.iter().any(|a| a.0 == Action::SendToCooperation) {
        repo::other_agencies(&mut conn, d.competent_agency_id, lang).await?
    } else {
        Vec::new()
    };
    drop(conn);
    let here = crate::web::paths::staff_dossier(d.id);
    let judged = d.original_due_at.or(d.due_at);
    let finish = d.result_at.or(d.returned_at);
    let status_of_time = match (judged, finish) {
        (Some(due), Some(done)) => {
            Some(lang.t(timeliness_key(timeliness(to_local(done), to_local(due)))))
        }
        (Some(due), None) if d.status.clock_runs() && due < now => Some(lang.t("processing.late")),
        _ => None,
    };
    let statistics_due = statistics_due(&cal, &history, d, now);
    let uploader = can_upload_result(staff, d);
    let view_file = |f: &dossiers::FileRow| FileView {
        name: domain::display_name(&f.original_name),
        size: domain::size_text(f.size_bytes),
        reused: f.reused_from.is_some(),
        delete_url: String::new(),
        download_url: format!("{here}/files/{}", f.id),
    };
    let mut form_links = Vec::new();
    for (n, key) in [
        ("01", "forms.01"),
        ("02", "forms.02"),
        ("03", "forms.03"),
        ("04", "forms.04"),
        ("05", "forms.05"),
        ("06", "forms.06"),
        ("bia", "forms.cover"),
    ] {
        let issued = match n {
            "01" => d.received_at.is_some(),
            "06" => d.received_at.is_some(),
            "bia" => crate::processing::forms::has_cover(d.status),
            _ => history.iter().any(|h| h.form.as_deref() == Some(n)),
        };
        if issued {
            form_links.push(FormLink {
                print_url: format!("{here}/forms/{n}.html"),
                label: lang.t(key).into_owned(),
                url: if n == "01" {
                    format!("{here}/form-01.pdf")
                } else {
                    format!("{here}/forms/{n}.pdf")
                },
            });
        }
    }
    let failed = parse_action(&form.action);
    let name = |vi: &Option<String>, en: &Option<String>| {
        vi.as_deref()
            .map(|vi| lang.pick(vi, en.as_deref().unwrap_or_default()).to_owned())
    };
    let at_desk = at_desk(staff, d);
    Ok(DossierPage {
        layout: staff_layout(lang, "reception.dossier_title", &here, session, staff)
            .await?
            .with_errors(&errors),
        id: d.id.to_string(),
        code: d.code.clone().unwrap_or_default(),
        procedure: lang.pick(&d.procedure_vi, &d.procedure_en).to_owned(),
        status: lang.t(d.status.label_key()).into_owned(),
        step: d.step.map(|s| lang.t(s.label_key()).into_owned()),
        state_key: state_key(d.status, d.step),
        applicant: d.applicant_name.clone(),
        personal_id: d.applicant_personal_id.clone(),
        phone: crate::accounts::domain::PhoneNumber::parse(&d.applicant_phone)
            .map_or_else(|| d.applicant_phone.clone(), |p| p.national()),
        email: d.applicant_email.clone(),
        address: d.applicant_address.clone(),
        channel: lang
            .t(crate::reception::channel_key(
                d.intake_channel,
                &d.source_system,
            ))
            .into_owned(),
        // agencies by their English names in English (the forms keep the official Vietnamese)
        receiving: match (name(&d.receiving_vi, &d.receiving_en), &d.receiving_now_vi) {
            (Some(was), Some(now)) => format!("{was} ({} {now})", lang.t("agencies.now")),
            (was, _) => was.unwrap_or_default(),
        },
        competent: name(&d.competent_vi, &d.competent_en).unwrap_or_default(),
        cooperating: name(&d.cooperating_vi, &d.cooperating_en),
        cooperation_due: d.cooperation_due_at.map(format_local),
        assignee: d.assignee_name.clone(),
        submitted: d.submitted_at.map(format_local).unwrap_or_default(),
        received: d.received_at.map(format_local).unwrap_or_default(),
        due: d.due_at.map(format_local).unwrap_or_default(),
        original_due: d.rescheduled_at.and(d.original_due_at).map(format_local),
        statistics_due: statistics_due.map(|at| format_local(to_utc(at))),
        timeliness: status_of_time.map(|t| t.into_owned()),
        supplement_request_by: (d.status == DossierStatus::Processing)
            .then_some(d.supplement_request_by)
            .flatten()
            .map(|by| {
                let mut text = format_local(by);
                if supplement_late(d, now) {
                    text = format!("{text} — {}", lang.t("processing.supplement_request_late"));
                }
                text
            }),
        supplement_late: supplement_late(d, now),
        supplement_due: matches!(
            d.status,
            DossierStatus::SupplementRequested | DossierStatus::ReturnedForCompletion
        )
        .then(|| d.supplement_due_at.map(format_local))
        .flatten(),
        result_channel: domain::ResultChannel::parse(&d.result_channel)
            .map(|c| lang.t(c.label_key()).into_owned())
            .unwrap_or_default(),
        result_address: d.result_address.clone(),
        files: if reads_papers {
            files.iter().map(view_file).collect()
        } else {
            Vec::new()
        },
        files_hidden: !reads_papers,
        results: if reads_papers {
            results.iter().map(view_file).collect()
        } else {
            Vec::new()
        },
        result_upload_url: uploader.then(|| format!("{here}/result")),
        history: history
            .iter()
            .map(|h| HistoryView {
                at: format_local(h.at),
                what: parse_action(&h.action).map_or_else(
                    || lang.t(h.to_status.label_key()).into_owned(),
                    |a| lang.t(&a.label_key()).into_owned(),
                ),
                who: h.actor_name.clone().unwrap_or_else(|| {
                    lang.t(&format!("dossier.actor_{}", h.actor_kind))
                        .into_owned()
                }),
                who_is_person: h.actor_name.is_some(),
                who_unit: h
                    .actor_name
                    .as_ref()
                    .and_then(|_| name(&h.agency_vi, &h.agency_en))
                    .unwrap_or_default(),
                to_is_person: h.to_staff_name.is_some(),
                to: h
                    .to_staff_name
                    .clone()
                    .or_else(|| name(&h.to_agency_vi, &h.to_agency_en))
                    .unwrap_or_default(),
                note: h.note.clone(),
            })
            .collect(),
        forms: form_links,
        actions: actions
            .iter()
            .map(|(a, _, _)| {
                let slug = a.as_str().to_owned();
                let mine = failed == Some(*a);
                ActionView {
                    label: lang.t(&a.button_key()).into_owned(),
                    kind: kind(*a),
                    reason_label: lang.t(a.reason_key()).into_owned(),
                    reason: if mine {
                        form.reason.clone()
                    } else {
                        String::new()
                    },
                    items: if mine {
                        form.items.clone()
                    } else {
                        String::new()
                    },
                    days: if mine {
                        form.days.clone()
                    } else {
                        "5".to_owned()
                    },
                    new_date: if mine {
                        form.new_date.clone()
                    } else {
                        String::new()
                    },
                    new_time: if mine {
                        form.new_time.clone()
                    } else {
                        d.due_at
                            .map(|t| to_local(t).format("%H:%M").to_string())
                            .unwrap_or_default()
                    },
                    selected: if mine {
                        form.assignee.clone() + &form.agency
                    } else {
                        String::new()
                    },
                    slug,
                }
            })
            .collect(),
        officers: officers
            .into_iter()
            .map(|(id, name)| OptionView {
                value: id.to_string(),
                label: name,
            })
            .collect(),
        agencies: agencies
            .into_iter()
            .map(|(id, name)| OptionView {
                value: id.to_string(),
                label: name,
            })
            .collect(),
        can_collect: at_desk && !d.status.is_terminal(),
        can_assess: at_desk && d.status == DossierStatus::Submitted,
        invite_rating_url: crate::evaluations::invite_url(d.status, d.id, lang),
        postal_hand_over_url: postal_hand_over(staff, d),
        walk_in_pin: session
            .get::<String>(&crate::reception::pin_key(d.id))
            .await
            .ok()
            .flatten(),
        awaiting_refunds: awaiting
            .into_iter()
            .map(|(refund, amount, reason, by, by_id)| AwaitingRefundView {
                amount: crate::kernel::money::format_vnd(amount),
                reason,
                requested_by: by,
                approve_url: (approver && by_id != staff.id)
                    .then(|| format!("{here}/refunds/{refund}/approve")),
            })
            .collect(),
        refundable: if at_desk
            && matches!(
                d.status,
                DossierStatus::RefusedAtReception
                    | DossierStatus::RefusedOnMerits
                    | DossierStatus::Stopped
                    | DossierStatus::Withdrawn
            ) {
            payments
                .iter()
                .filter(|p| {
                    p.status == crate::payments::repo::PaymentStatus::Paid
                        && p.refunded_vnd < p.amount_vnd
                })
                .map(|p| OptionView {
                    value: p.id.to_string(),
                    label: format!(
                        "{} ({})",
                        crate::kernel::money::format_vnd(p.amount_vnd - p.refunded_vnd),
                        lang.t(&format!("payment.method_{}", p.method))
                    ),
                })
                .collect()
        } else {
            Vec::new()
        },
        payments: crate::payments::views::payment_views(
            &payments,
            lang,
            &format!("{here}/receipts"),
        ),
        slots: slot_options,
        errors,
    })
}

/// The appointment the national statistics judge against, from the history: the first
/// appointment moved by the time spent waiting for supplements.
pub(super) fn statistics_due(
    cal: &Calendar,
    history: &[repo::HistoryRow],
    d: &StaffDossier,
    now: DateTime<Utc>,
) -> Option<chrono::NaiveDateTime> {
    let events = history.iter().map(|h| {
        let due = h
            .details
            .0
            .get("due_at")
            .and_then(|v| v.as_str())
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc));
        (h.action.as_str(), h.at, due)
    });
    statistics_due_of(cal, events, d.original_due_at, now)
}

/// QĐ 766's appointment from a dossier's events in order (action, time, the appointment the
/// event set): the acceptance's appointment (else `fallback`) moved by the working time of
/// every wait for a supplement or for the citizen's financial obligation, a wait still open
/// counted up to `now`.
pub(crate) fn statistics_due_of<'a>(
    cal: &Calendar,
    events: impl IntoIterator<Item = (&'a str, DateTime<Utc>, Option<DateTime<Utc>>)>,
    fallback: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<chrono::NaiveDateTime> {
    let mut first = None;
    let mut pauses = Vec::new();
    let mut open = None;
    for (action, at, due) in events {
        match Action::parse(action) {
            Some(Action::Accept) if first.is_none() => first = due,
            Some(Action::RequestSupplement | Action::WaitFinancial) => open = Some(to_local(at)),
            Some(Action::SupplementReceived | Action::FinancialDone) => {
                if let Some(a) = open.take() {
                    pauses.push((a, to_local(at)));
                }
            }
            _ => {}
        }
    }
    if let Some(a) = open {
        pauses.push((a, to_local(now)));
    }
    let first = to_local(first.or(fallback)?);
    Some(cal.statistics_due(first, &pauses))
}

/// Who may upload a result document now: the assigned case officer while appraising or at
/// signature; the signing authority at signature and after issue (to correct it).
pub(crate) fn can_upload_result(staff: &CurrentStaff, d: &StaffDossier) -> bool {
    let at_competent = |role| {
        staff
            .roles
            .iter()
            .any(|r| r.role == role && Some(r.agency_id) == d.competent_agency_id)
    };
    match d.status {
        DossierStatus::Processing => {
            (d.assignee_id == Some(staff.id)
                && matches!(d.step, Some(Step::Appraisal | Step::Signature))
                && at_competent(StaffRole::CaseOfficer))
                || (d.step == Some(Step::Signature) && at_competent(StaffRole::SigningAuthority))
        }
        DossierStatus::ResultReady | DossierStatus::OutForDelivery | DossierStatus::Returned => {
            at_competent(StaffRole::SigningAuthority)
        }
        _ => false,
    }
}

/// Whether the official's part in the dossier needs the citizen's papers: reception at the
/// receiving agency, the assigned officer, the head and the signer of the deciding agency, and
/// a co-operating agency's case officer while its step is open. Nobody else — an
/// administrator, postal staff, an officer of the agency not assigned to it — reads them.
pub fn may_read_documents(staff: &CurrentStaff, d: &StaffDossier) -> bool {
    if d.assignee_id == Some(staff.id) {
        return true;
    }
    staff.roles.iter().any(|r| {
        let at = Some(r.agency_id);
        match r.role {
            StaffRole::Reception => at == d.receiving_agency_id,
            StaffRole::DivisionHead | StaffRole::SigningAuthority => at == d.competent_agency_id,
            StaffRole::CaseOfficer => {
                d.status == DossierStatus::WaitingCooperation && at == d.cooperating_agency_id
            }
            _ => false,
        }
    })
}
