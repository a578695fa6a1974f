//! The page of a submitted dossier as its citizen sees it: its status and history, papers,
//! payments, the post, who read it, and what the citizen may do now.

use super::*;
use crate::kernel::time::format_local;

/// The dossier's page (`pin`: shown once, right after submission).
pub(super) async fn dossier_page(
    app: &AppState,
    lang: Lang,
    session: &Session,
    row: &DossierRow,
    pin: Option<String>,
) -> AppResult<DossierPage> {
    let id = row.id;
    let mut conn = app.db.acquire().await?;
    let files = repo::files(&mut conn, id).await?;
    let events = repo::events(&mut conn, id).await?;
    let payments = crate::payments::repo::for_dossier(&mut conn, id).await?;
    let postal = crate::postal::track(&mut conn, id, lang).await?;
    let reads = crate::processing::reads::of_dossier(&mut conn, id, 100).await?;
    drop(conn);
    let code = row.code.clone().unwrap_or_default();
    let here = crate::web::paths::citizen_dossier(id);
    let title_key = if pin.is_some() {
        "dossier.submitted_title"
    } else {
        "dossier.page_title"
    };
    let names = app.settings.show_reader_names;
    let role_of = |role: &str| {
        crate::accounts::domain::StaffRole::parse(role)
            .map_or_else(|| role.to_owned(), |r| lang.t(r.label_key()).into_owned())
    };
    Ok(DossierPage {
        evaluate_url: crate::evaluations::ended(row.status).then(|| step_url(id, "evaluation")),
        reads: reads
            .iter()
            .map(|r| ReadView {
                at: format_local(r.at),
                who: {
                    let unit = lang
                        .pick(
                            r.agency_vi.as_deref().unwrap_or_default(),
                            r.agency_en.as_deref().unwrap_or_default(),
                        )
                        .to_owned();
                    let mut who = format!("{} — {unit}", role_of(&r.role));
                    if names {
                        who = format!("{} ({who})", r.official);
                    }
                    who
                },
                what: match (r.what.as_str(), &r.file_name) {
                    ("file", Some(name)) => format!("{} {name}", lang.t("reads.file")),
                    ("file", None) => lang.t("reads.a_file").into_owned(),
                    _ => lang.t("reads.page").into_owned(),
                },
            })
            .collect(),
        layout: layout(lang, title_key, &here, session).await?,
        procedure: procedure_name(row, lang),
        status: lang.t(row.status.label_key()).into_owned(),
        submitted_at: row.submitted_at.map(format_local).unwrap_or_default(),
        time_limit: format_time_limit(row.time_limit_value, row.time_limit_unit, lang),
        receiving: row.receiving_vi.as_deref().map_or_else(String::new, |vi| {
            let name = lang.pick(vi, row.receiving_en.as_deref().unwrap_or_default());
            match &row.receiving_now_vi {
                Some(now) => format!("{name} ({} {now})", lang.t("agencies.now")),
                None => name.to_owned(),
            }
        }),
        result_channel: ResultChannel::parse(&row.result_channel)
            .map(|c| lang.t(c.label_key()).into_owned())
            .unwrap_or_default(),
        rows: answer_rows(app, row, lang).await?,
        files: files.iter().map(|f| file_view(id, f, false)).collect(),
        events: events
            .iter()
            .map(|e| EventView {
                at: format_local(e.at),
                status: crate::dossiers::workflow::Action::parse(&e.action).map_or_else(
                    || lang.t(e.to_status.label_key()).into_owned(),
                    |a| lang.t(&a.label_key()).into_owned(),
                ),
                actor: lang
                    .t(match e.actor_kind.as_str() {
                        "citizen" => "dossier.actor_citizen",
                        "staff" => "dossier.actor_staff",
                        _ => "dossier.actor_system",
                    })
                    .into_owned(),
            })
            .collect(),
        withdraw_url: row.status.can_withdraw().then(|| step_url(id, "withdraw")),
        pay_url: (row.status == DossierStatus::AwaitingPayment).then(|| step_url(id, "payment")),
        postal,
        delivery_change_url: (!row.status.is_terminal()
            && !matches!(
                row.status,
                DossierStatus::OutForDelivery | DossierStatus::Draft
            ))
        .then(|| step_url(id, "result-delivery")),
        result_channel_value: row.result_channel.clone(),
        result_address: row.result_address.clone(),
        payments: crate::payments::views::payment_views(&payments, lang, &step_url(id, "receipts")),
        complete_url: matches!(
            row.status,
            DossierStatus::ReturnedForCompletion | DossierStatus::SupplementRequested
        )
        .then(|| step_url(id, "documents")),
        stop_url: matches!(
            row.status,
            DossierStatus::Received
                | DossierStatus::Processing
                | DossierStatus::WaitingCooperation
                | DossierStatus::SupplementRequested
                | DossierStatus::WaitingFinancial
        )
        .then(|| step_url(id, "stop")),
        result_url: (row.result_file_id.is_some()
            && matches!(
                row.status,
                DossierStatus::ResultReady
                    | DossierStatus::OutForDelivery
                    | DossierStatus::Returned
            ))
        .then(|| step_url(id, "result")),
        due_at: row.due_at.map(format_local),
        forms: ["02", "03", "04", "05"]
            .into_iter()
            .filter(|n| {
                events.iter().any(|e| {
                    crate::dossiers::workflow::Action::parse(&e.action).and_then(|a| a.form())
                        == Some(*n)
                })
            })
            .map(|n| crate::dossiers::views::FormLink {
                print_url: step_url(id, &format!("forms/{n}.html")),
                label: lang.t(&format!("forms.{n}")).into_owned(),
                url: step_url(id, &format!("forms/{n}.pdf")),
            })
            .collect(),
        track_url: format!("/tra-cuu?code={}", paths::encode(&code)),
        pdf_url: step_url(id, "acknowledgement.pdf"),
        form01_url: row
            .received_at
            .is_some()
            .then(|| step_url(id, "form-01.pdf")),
        code,
        pin,
    })
}
