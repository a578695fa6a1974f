//! The officials' daily digest: once a local day, from 07:00, each official with an e-mail
//! address is told of the dossiers assigned to them that are overdue or due within two working
//! days. The day is taken by one instance (`digest_days`), so several instances send it once.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Timelike, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::compose::{fill, template};
use crate::deadlines::calendar::{to_local, to_utc};
use crate::kernel::Lang;

/// The local hour from which the day's digest goes out.
const FROM_HOUR: u32 = 7;

#[derive(sqlx::FromRow)]
struct Due {
    staff_id: Uuid,
    full_name: String,
    email: String,
    dossier_id: Uuid,
    code: String,
    due_at: DateTime<Utc>,
}

/// Whether the day's digest may go out at `now` (from 07:00 local time).
pub fn is_due(now: DateTime<Utc>) -> bool {
    to_local(now).hour() >= FROM_HOUR
}

/// Writes today's digest to the outbox unless it was written already (or it is before 07:00);
/// returns how many officials it went to.
pub async fn send_due(db: &PgPool, origin: &str, now: DateTime<Utc>) -> anyhow::Result<u64> {
    if !is_due(now) {
        return Ok(0);
    }
    let local = to_local(now);
    let mut tx = db.begin().await?;
    let taken = sqlx::query("insert into digest_days (day) values ($1) on conflict do nothing")
        .bind(local.date())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if taken == 0 {
        return Ok(0);
    }
    let calendar = crate::deadlines::repo::load(&mut tx).await?;
    let soon = to_utc(calendar.add_working_days(local, 2));
    let due: Vec<Due> = sqlx::query_as(
        "select s.id as staff_id, s.full_name, s.email, d.id as dossier_id, d.code, d.due_at \
         from dossiers d join staff_users s on s.id = d.assignee_id \
         where s.active and coalesce(s.email, '') like '%@%' and d.code is not null \
           and d.status in ('processing', 'waiting_cooperation', 'supplement_requested', 'waiting_financial') \
           and d.due_at < $1 \
         order by s.id, d.due_at, d.id",
    )
    .bind(soon)
    .fetch_all(&mut *tx)
    .await?;
    let Some(tpl) = template(&mut tx, "digest", Lang::Vi).await? else {
        tx.commit().await?;
        return Ok(0);
    };
    let mut by_official: BTreeMap<Uuid, Vec<&Due>> = BTreeMap::new();
    for d in &due {
        by_official.entry(d.staff_id).or_default().push(d);
    }
    for items in by_official.values() {
        let first = items[0];
        let mut list = String::new();
        for d in items {
            let state = if d.due_at < now {
                "QUÁ HẠN"
            } else {
                "đến hạn"
            };
            let _ = writeln!(
                list,
                "- {} — {state} {} — {origin}{}",
                d.code,
                crate::kernel::time::format_local(d.due_at),
                crate::web::paths::staff_dossier(d.dossier_id)
            );
        }
        let vars = std::collections::HashMap::from([
            ("name", first.full_name.clone()),
            ("reason", list.trim_end().to_owned()),
            ("link", format!("{origin}/staff/inbox?view=overdue")),
        ]);
        sqlx::query(
            "insert into outbound_messages (channel, recipient, subject, body, kind) \
             values ('email', $1, $2, $3, 'digest')",
        )
        .bind(&first.email)
        .bind(fill(&tpl.subject, &vars))
        .bind(fill(&tpl.body, &vars))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(by_official.len() as u64)
}
