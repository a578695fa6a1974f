//! From a queued notice to the citizen's messages: what kind of notice an event is, who
//! receives it on which channels, and the template in force filled in.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgPool};
use uuid::Uuid;

use crate::kernel::Lang;

/// The notice a dossier event gives the citizen, if any (`notify_queue` holds only these).
pub fn kind_of_action(action: &str) -> Option<&'static str> {
    Some(match action {
        "submit" | "file_at_counter" => "submitted",
        "accept" => "accepted",
        "return_for_completion" => "completion_requested",
        "refuse_at_reception" | "refuse_on_merits" => "refused",
        "request_payment" => "payment_requested",
        "request_supplement" => "supplement_requested",
        "issue_result" => "result_ready",
        "hand_to_post" => "out_for_delivery",
        "reschedule" => "late_apology",
        "stop" => "stopped",
        "close_unanswered" => "closed",
        "return_at_counter" | "return_electronically" | "delivered" => "finished",
        _ => return None,
    })
}

/// Every kind of notice, in the order the template editor lists them.
pub const KINDS: &[&str] = &[
    "submitted",
    "payment_requested",
    "payment_received",
    "pickup_scheduled",
    "completion_requested",
    "accepted",
    "supplement_requested",
    "late_apology",
    "refused",
    "stopped",
    "closed",
    "result_ready",
    "out_for_delivery",
    "finished",
    "payment_refunded",
    "draft_expiring",
    "digest",
];

/// Fills `{name}`-style placeholders; an unknown placeholder stays as written.
/// An SMS template filled: the whole text folded into the GSM 7-bit alphabet, the data as the
/// template is written (an administrator's edit included), so that it goes out in one or two
/// parts of 160 characters rather than several UCS-2 parts of 70.
pub fn sms(template: &str, vars: &HashMap<&str, String>) -> String {
    crate::kernel::text::gsm7(&fill(template, vars))
}

pub fn fill(template: &str, vars: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if vars.contains_key(&after[..close]) => {
                out.push_str(&vars[&after[..close]]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders in `text` that a template may not use (not among [`sample_vars`]), each
/// once.
pub fn unknown_placeholders(text: &str) -> Vec<String> {
    let known = sample_vars(Lang::Vi);
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !known.contains_key(name) && !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
        rest = &after[close + 1..];
    }
    out
}

/// The placeholders a template may use, with the sample values of the editor's preview.
pub fn sample_vars(lang: Lang) -> HashMap<&'static str, String> {
    let en = lang.is_en();
    HashMap::from([
        // as an English message writes the name (the preview reads as the message does)
        (
            "name",
            if en {
                "Nguyen Van An"
            } else {
                "Nguyễn Văn An"
            }
            .to_owned(),
        ),
        ("code", "000.00.00.H48-261128-0001".to_owned()),
        (
            "procedure",
            if en {
                "Birth registration"
            } else {
                "Đăng ký khai sinh"
            }
            .to_owned(),
        ),
        (
            "agency",
            if en {
                "Ba Xa commune People's Committee"
            } else {
                "UBND xã Ba Xa"
            }
            .to_owned(),
        ),
        ("due", "08:00 04/12/2026".to_owned()),
        (
            "reason",
            if en {
                "- Birth certificate: the copy is unreadable"
            } else {
                "- Giấy chứng sinh: bản chụp không đọc được"
            }
            .to_owned(),
        ),
        (
            "link",
            "https://motcua.example/account/dossiers/…".to_owned(),
        ),
        ("amount", "8.000 ₫".to_owned()),
        ("deadline", "17:00 18/12/2026".to_owned()),
        (
            "rating_link",
            "https://motcua.example/danh-gia/…".to_owned(),
        ),
        // a walk-in's first message only
        (
            "pin_line",
            format!(" {}", lang.t("notify.pin_line").replace("{pin}", "482913")),
        ),
    ])
}

/// The items asked for, one per line, then the official's note.
fn reason(items: Option<&serde_json::Value>, note: Option<&str>) -> String {
    let mut lines: Vec<String> = items
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(serde_json::Value::as_str)
                .map(|i| format!("- {i}"))
                .collect()
        })
        .unwrap_or_default();
    if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
        lines.push(note.to_owned());
    }
    lines.join("\n")
}

/// A template in force.
#[derive(Debug, Clone, FromRow)]
pub struct Template {
    pub subject: String,
    pub body: String,
    pub sms: String,
}

/// The newest template of `kind` in `lang` (Vietnamese when there is none in English).
pub async fn template(
    conn: &mut PgConnection,
    kind: &str,
    lang: Lang,
) -> Result<Option<Template>, sqlx::Error> {
    sqlx::query_as(
        "select subject, body, sms from message_templates where kind = $1 and lang in ($2, 'vi') \
         order by (lang = $2) desc, id desc limit 1",
    )
    .bind(kind)
    .bind(lang.code())
    .fetch_optional(conn)
    .await
}

#[derive(FromRow)]
struct Queued {
    id: i64,
    dossier_id: Uuid,
    kind: String,
    event_id: Option<i64>,
    ref_id: Option<Uuid>,
    /// a walk-in's lookup PIN, for their first message
    pin: Option<String>,
}

/// What a notice needs to know of its dossier and recipient.
#[derive(FromRow)]
struct Context {
    code: Option<String>,
    citizen_id: Option<Uuid>,
    name: String,
    email: String,
    phone: String,
    notify_email: bool,
    notify_sms: bool,
    lang: String,
    procedure_vi: String,
    procedure_en: String,
    agency_vi: String,
    agency_en: String,
    due_at: Option<DateTime<Utc>>,
    supplement_due_at: Option<DateTime<Utc>>,
    note: Option<String>,
    /// the items asked for (completion, supplement)
    items: Option<serde_json::Value>,
    action: Option<String>,
    amount: Option<i64>,
    receipt: Option<Uuid>,
}

/// Turns up to `limit` queued notices into messages and portal notifications, in one
/// transaction with taking them off the queue; says how many notices it took.
pub async fn compose_queued(db: &PgPool, origin: &str, limit: i64) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let queued: Vec<Queued> = sqlx::query_as(
        "select id, dossier_id, kind, event_id, ref_id, pin from notify_queue \
         order by id limit $1 for update skip locked",
    )
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    for q in &queued {
        compose_one(&mut tx, q, origin).await?;
    }
    let ids: Vec<i64> = queued.iter().map(|q| q.id).collect();
    sqlx::query("delete from notify_queue where id = any($1)")
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids.len() as u64)
}

async fn compose_one(conn: &mut PgConnection, q: &Queued, origin: &str) -> anyhow::Result<()> {
    let ctx: Option<Context> = sqlx::query_as(
        "select d.code, d.citizen_id, \
           coalesce(c.full_name, nullif(d.applicant_name, ''), '') as name, \
           coalesce(c.email, nullif(d.applicant_email, ''), '') as email, \
           coalesce(c.phone, nullif(d.applicant_phone, ''), '') as phone, \
           coalesce(c.notify_email, true) as notify_email, coalesce(c.notify_sms, true) as notify_sms, \
           coalesce(c.lang, 'vi') as lang, \
           v.name_vi as procedure_vi, v.name_en as procedure_en, \
           coalesce(a.name_vi, '') as agency_vi, coalesce(a.name_en, '') as agency_en, d.due_at, \
           d.supplement_due_at, e.note, e.details -> 'items' as items, e.action, \
           (select case when $3 = 'payment_refunded' then p.refunded_vnd else p.amount_vnd end \
              from payments p where p.id = $4) as amount, \
           (select r.id from receipts r where r.payment_id = $4 and $3 = 'payment_received' \
              order by r.issued_at desc limit 1) as receipt \
         from dossiers d \
         join procedure_versions v on v.id = d.procedure_version_id \
         left join citizens c on c.id = d.citizen_id \
         left join agencies a on a.id = d.receiving_agency_id \
         left join dossier_events e on e.id = $2 \
         where d.id = $1 and d.source_system <> 'generated'",
    )
    .bind(q.dossier_id)
    .bind(q.event_id)
    .bind(&q.kind)
    .bind(q.ref_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(ctx) = ctx else { return Ok(()) };
    let kind = if q.kind == "event" {
        match ctx.action.as_deref().and_then(kind_of_action) {
            Some(k) => k.to_owned(),
            None => return Ok(()),
        }
    } else {
        q.kind.clone()
    };
    let lang = Lang::parse(&ctx.lang).unwrap_or_default();
    let Some(template) = template(conn, &kind, lang).await? else {
        tracing::warn!(kind, "no message template");
        return Ok(());
    };
    let link = match ctx.citizen_id {
        Some(_) => format!(
            "{origin}{}",
            crate::web::paths::citizen_dossier(q.dossier_id)
        ),
        // a walk-in follows it by code and PIN: the code comes filled in
        None => format!(
            "{origin}/tra-cuu?code={}",
            crate::web::paths::encode(ctx.code.as_deref().unwrap_or_default())
        ),
    };
    let pin_line = q.pin.as_deref().map_or_else(String::new, |pin| {
        format!(" {}", lang.t("notify.pin_line").replace("{pin}", pin))
    });
    // the notices of an ended dossier carry its evaluation link (no sign-in needed)
    let rating_link = if matches!(kind.as_str(), "finished" | "refused" | "stopped") {
        let token = crate::evaluations::link_token(conn, q.dossier_id).await?;
        format!("{origin}/danh-gia/{token}")
    } else {
        String::new()
    };
    let vars = HashMap::from([
        ("rating_link", rating_link),
        ("pin_line", pin_line),
        ("name", ctx.name.clone()),
        ("code", ctx.code.clone().unwrap_or_default()),
        (
            "procedure",
            lang.pick(&ctx.procedure_vi, &ctx.procedure_en).to_owned(),
        ),
        (
            "agency",
            lang.pick(&ctx.agency_vi, &ctx.agency_en).to_owned(),
        ),
        (
            "due",
            ctx.due_at
                .map(crate::kernel::time::format_local)
                .unwrap_or_default(),
        ),
        ("reason", reason(ctx.items.as_ref(), ctx.note.as_deref())),
        (
            "deadline",
            ctx.supplement_due_at
                .map(crate::kernel::time::format_local)
                .unwrap_or_default(),
        ),
        ("link", link),
        (
            "amount",
            ctx.amount
                .map(crate::kernel::money::format_vnd)
                .unwrap_or_default(),
        ),
    ]);
    let subject = fill(&template.subject, &vars);
    let body = fill(&template.body, &vars);
    let sms = sms(&template.sms, &vars);
    // the e-mail carries the receipt and appointment slip, or the e-receipt
    let attachment = match (kind.as_str(), ctx.receipt) {
        ("accepted", _) => Some("form-01".to_owned()),
        ("payment_received", Some(r)) => Some(format!("receipt:{r}")),
        _ => None,
    };
    let mut outbox = Vec::new();
    if ctx.notify_email && ctx.email.contains('@') {
        outbox.push((
            "email",
            ctx.email.as_str(),
            subject.as_str(),
            body.as_str(),
            attachment,
        ));
    }
    if ctx.notify_sms && !ctx.phone.is_empty() {
        outbox.push(("sms", ctx.phone.as_str(), "", sms.as_str(), None));
    }
    for (channel, recipient, subject, body, attachment) in outbox {
        sqlx::query(
            "insert into outbound_messages (channel, recipient, subject, body, kind, citizen_id, dossier_id, attachment) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(channel)
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(&kind)
        .bind(ctx.citizen_id)
        .bind(q.dossier_id)
        .bind(attachment)
        .execute(&mut *conn)
        .await?;
    }
    if let Some(citizen) = ctx.citizen_id {
        sqlx::query(
            "insert into notifications (citizen_id, dossier_id, kind, subject, body) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(citizen)
        .bind(q.dossier_id)
        .bind(&kind)
        .bind(&subject)
        .bind(&body)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let vars = HashMap::from([("code", "X-1".to_owned()), ("due", "08:00".to_owned())]);
        assert_eq!(
            fill("Hồ sơ {code}, hẹn {due}; {other} {", &vars),
            "Hồ sơ X-1, hẹn 08:00; {other} {"
        );
    }

    #[test]
    fn unknown_placeholders_are_named_once() {
        assert_eq!(unknown_placeholders("{code} {cod} {due} {cod} {x"), ["cod"]);
        assert!(unknown_placeholders("{deadline} {amount} {link}").is_empty());
    }

    #[test]
    fn the_reason_lists_every_item_then_the_note() {
        let items = serde_json::json!(["Giấy chứng sinh: bản chụp mờ", "Tờ khai: thiếu chữ ký"]);
        assert_eq!(
            reason(Some(&items), Some(" Xin bổ sung trong 5 ngày ")),
            "- Giấy chứng sinh: bản chụp mờ\n- Tờ khai: thiếu chữ ký\nXin bổ sung trong 5 ngày"
        );
        assert_eq!(reason(None, Some("")), "");
    }

    #[test]
    fn the_trigger_queues_exactly_the_actions_that_are_news() {
        // the migration's trigger filters with its own list: it must be this one
        let migration = include_str!("../../migrations/20261207000052_dossier_action_names.up.sql");
        let when = &migration[migration.find("when (new.action in").unwrap()..];
        let when = &when[..when.find("))").unwrap()];
        for action in crate::dossiers::workflow::Action::ALL {
            let name = format!("'{}'", action.as_str());
            assert_eq!(
                when.contains(&name),
                kind_of_action(action.as_str()).is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn every_step_that_concerns_the_citizen_has_a_notice() {
        assert_eq!(kind_of_action("accept"), Some("accepted"));
        assert_eq!(kind_of_action("file_at_counter"), Some("submitted"));
        assert_eq!(kind_of_action("delivered"), Some("finished"));
        assert_eq!(
            kind_of_action("assign"),
            None,
            "internal steps are not news"
        );
        for action in [
            "submit",
            "request_supplement",
            "reschedule",
            "refuse_on_merits",
        ] {
            let kind = kind_of_action(action).unwrap();
            assert!(KINDS.contains(&kind), "{kind}");
        }
    }
}
