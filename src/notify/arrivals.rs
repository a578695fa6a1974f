//! Decree 118 Art. 17(2): an online dossier that arrives is announced to the reception
//! officials of its unit, by e-mail and on their queue, once, within
//! `clock_rules.online_alert_hours` of its arrival. The outbox worker runs this at every tick;
//! `staff_alerts` makes it once across instances.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::compose::{fill, template};
use crate::kernel::Lang;

#[derive(sqlx::FromRow)]
struct Arrival {
    agency_id: Uuid,
    code: String,
    procedure: String,
    submitted_at: DateTime<Utc>,
}

/// Announces the online dossiers that arrived up to `now` and were not announced yet; returns
/// how many dossiers were announced.
pub async fn announce(db: &PgPool, origin: &str, now: DateTime<Utc>) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    // taken once: a concurrent instance's insert wins and this one skips the dossier
    let arrivals: Vec<Arrival> = sqlx::query_as(
        "with fresh as ( \
           insert into staff_alerts (dossier_id, kind, at) \
           select d.id, 'online_arrival', $1 from dossiers d \
           where d.status = 'submitted' and d.intake_channel = 2 and d.code is not null \
             and d.receiving_agency_id is not null and d.submitted_at <= $1 \
             and not exists (select 1 from staff_alerts a \
               where a.dossier_id = d.id and a.kind = 'online_arrival') \
           on conflict do nothing returning dossier_id) \
         select d.receiving_agency_id as agency_id, d.code, v.name_vi as procedure, d.submitted_at \
         from fresh f join dossiers d on d.id = f.dossier_id \
           join procedure_versions v on v.id = d.procedure_version_id \
         order by d.receiving_agency_id, d.submitted_at, d.code",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    if arrivals.is_empty() {
        tx.commit().await?;
        return Ok(0);
    }
    let Some(tpl) = template(&mut tx, "arrival", Lang::Vi).await? else {
        tx.commit().await?;
        return Ok(arrivals.len() as u64);
    };
    let mut by_agency: BTreeMap<Uuid, Vec<&Arrival>> = BTreeMap::new();
    for a in &arrivals {
        by_agency.entry(a.agency_id).or_default().push(a);
    }
    for (agency, items) in by_agency {
        let mut list = String::new();
        for a in items {
            let _ = writeln!(
                list,
                "- {} — {} — {}",
                a.code,
                a.procedure,
                crate::kernel::time::format_local(a.submitted_at)
            );
        }
        // the unit's reception officials with an e-mail address, whose role is in force
        let officials: Vec<(String, String)> = sqlx::query_as(
            "select distinct s.full_name, s.email from staff_users s \
               join staff_roles r on r.staff_id = s.id \
             where s.active and coalesce(s.email, '') like '%@%' and r.role = 'reception' \
               and r.agency_id = $1 and r.valid_from <= $2 and (r.valid_to is null or r.valid_to > $2) \
             order by s.email",
        )
        .bind(agency)
        .bind(crate::deadlines::calendar::to_local(now).date())
        .fetch_all(&mut *tx)
        .await?;
        for (name, email) in officials {
            let vars = std::collections::HashMap::from([
                ("name", name),
                ("reason", list.clone()),
                ("link", format!("{origin}/staff/reception")),
            ]);
            sqlx::query(
                "insert into outbound_messages (channel, recipient, subject, body, kind) \
                 values ('email', $1, $2, $3, 'arrival')",
            )
            .bind(&email)
            .bind(fill(&tpl.subject, &vars))
            .bind(fill(&tpl.body, &vars))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(arrivals.len() as u64)
}
