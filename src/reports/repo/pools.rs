//! The reports' pools: the facts of each dossier summed per agency, version, channel and month,
//! kept up to date from the queue of changes (`refresh`, `drain`) and rebuilt when the rules
//! that sum them change (`rebuild_pools`).

use super::*;

/// The select list of a [`FactRow`]. Empty histories come back as nulls, and an appointment
/// history that only repeats `due_at` too (`simple`, stored, says so for most rows without
/// looking into their arrays), and the six flags as one number.
pub(super) const FACT_ROW: &str = "select f.agency_id, f.version_id, f.channel, f.received_at, f.finish_at, \
       f.finish_status, f.due_at, \
       case when f.simple then null when cardinality(f.supplement_at) > 0 then f.supplement_at end, \
       case when f.simple then null when cardinality(f.supplement_at) > 0 then f.resumed_at end, \
       case when f.simple then null \
         when cardinality(f.due_values) > 1 or f.due_values[1] <> f.due_at then f.due_set_at end, \
       case when f.simple then null \
         when cardinality(f.due_values) > 1 or f.due_values[1] <> f.due_at then f.due_values end, \
       (f.e_result::int + 2 * f.has_files::int + 4 * f.reused::int + 8 * f.charged::int \
         + 16 * f.paid_online::int + 32 * f.pooled::int)::int2 \
     from report_facts f ";

/// The facts of the dossiers `ids`.
pub(super) async fn fact_rows(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<FactRow>, sqlx::Error> {
    static OF_IDS: LazyLock<String> =
        LazyLock::new(|| format!("{FACT_ROW} where f.dossier_id = any($1)"));
    sqlx::query_as(OF_IDS.as_str())
        .bind(ids)
        .fetch_all(conn)
        .await
}

/// The changes a batch of refreshed dossiers makes to the pools: their old counts taken out,
/// their new ones added.
#[derive(Default)]
pub(super) struct PoolChanges {
    pools: HashMap<(NaiveDate, Uuid, Uuid), Tally>,
    received: HashMap<(NaiveDate, Uuid, Uuid, i16), i64>,
}

impl PoolChanges {
    fn count(&mut self, row: &FactRow, times: i64) {
        let day = to_local(row.received_at).date();
        *self
            .received
            .entry((day, row.agency_id, row.version_id, row.channel))
            .or_default() += times;
        if let Some((day, share)) = row.pooled_share() {
            self.pools
                .entry((day, row.agency_id, row.version_id))
                .or_default()
                .add_times(&share, times);
        }
    }

    async fn write(self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let pools: Vec<_> = self
            .pools
            .into_iter()
            .filter(|(_, t)| *t != Tally::default())
            .collect();
        if !pools.is_empty() {
            let days: Vec<NaiveDate> = pools.iter().map(|p| p.0.0).collect();
            let mut q = sqlx::query(POOLS_ADD.as_str())
                .bind(&days)
                .bind(pools.iter().map(|p| p.0.1).collect::<Vec<_>>())
                .bind(pools.iter().map(|p| p.0.2).collect::<Vec<_>>());
            let counts: Vec<Vec<i64>> = pools.iter().map(|p| p.1.counts()).collect();
            for i in 0..Tally::COUNTS.len() {
                q = q.bind(counts.iter().map(|c| c[i]).collect::<Vec<_>>());
            }
            q.execute(&mut *conn).await?;
            // a pool whose dossiers all left it (a finish undone, a reception corrected)
            sqlx::query(
                "delete from report_pools where day = any($1) \
                   and received_counter + received_online + received_post = 0",
            )
            .bind(&days)
            .execute(&mut *conn)
            .await?;
        }
        let received: Vec<_> = self.received.into_iter().filter(|r| r.1 != 0).collect();
        if !received.is_empty() {
            let days: Vec<NaiveDate> = received.iter().map(|r| r.0.0).collect();
            sqlx::query(
                "insert into report_received (day, agency_id, version_id, channel, dossiers) \
                 select * from unnest($1::date[], $2::uuid[], $3::uuid[], $4::int2[], $5::int8[]) \
                 on conflict (day, agency_id, version_id, channel) \
                 do update set dossiers = report_received.dossiers + excluded.dossiers",
            )
            .bind(&days)
            .bind(received.iter().map(|r| r.0.1).collect::<Vec<_>>())
            .bind(received.iter().map(|r| r.0.2).collect::<Vec<_>>())
            .bind(received.iter().map(|r| r.0.3).collect::<Vec<_>>())
            .bind(received.iter().map(|r| r.1).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await?;
            sqlx::query("delete from report_received where day = any($1) and dossiers = 0")
                .bind(&days)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

/// Adds each count of `report_pools` to its pool: `$1..$3` the pools' keys, then one array
/// per count in the order of [`Tally::COUNTS`].
pub(super) static POOLS_ADD: LazyLock<String> = LazyLock::new(|| {
    let counts = Tally::COUNTS;
    let columns = counts.join(", ");
    let arrays: Vec<String> = (0..counts.len())
        .map(|i| format!("${}::int8[]", i + 4))
        .collect();
    let sums: Vec<String> = counts
        .iter()
        .map(|c| format!("{c} = report_pools.{c} + excluded.{c}"))
        .collect();
    format!(
        "insert into report_pools (day, agency_id, version_id, {columns}) \
         select * from unnest($1::date[], $2::uuid[], $3::uuid[], {}) \
         on conflict (day, agency_id, version_id) do update set {}",
        arrays.join(", "),
        sums.join(", ")
    )
});

/// How many queue rows a report request takes before reading (a fifth of a second at worst),
/// and only when no other refresh is running: a large backlog — an import, a generator, a
/// migration — never holds a request up; the background job drains it.
pub const REQUEST_BATCH: i64 = 2_000;
/// How many queue rows each step of a drain takes.
pub const DRAIN_BATCH: i64 = 50_000;

/// Brings `report_facts` up to date with the oldest `limit` rows of `report_dirty` (queued by
/// triggers on their events, payments and files), and the pools with them (each dossier's old
/// share out, its new one in), and returns how many rows it took. Only
/// committed queue rows are taken, and the facts are read after taking them, so a change
/// committed late is taken by a later refresh, never lost. One refresh at a time: with `wait`
/// false (a request) it does nothing while another one runs.
pub async fn refresh(conn: &mut PgConnection, limit: i64, wait: bool) -> Result<u64, sqlx::Error> {
    let mut tx = conn.begin().await?;
    if wait {
        sqlx::query("select pg_advisory_xact_lock(7312001)")
            .execute(&mut *tx)
            .await?;
    } else {
        let got: bool = sqlx::query_scalar("select pg_try_advisory_xact_lock(7312001)")
            .fetch_one(&mut *tx)
            .await?;
        if !got {
            return Ok(0);
        }
    }
    if pool_state(&mut tx).await? != PoolState::Current {
        // summed with other rules: the queue waits until the pools are summed again with these
        // (`rebuild_pools`, at start-up and in the background job), or for the newer version
        return Ok(0);
    }
    let mut ids: Vec<Uuid> = sqlx::query_scalar(
        "delete from report_dirty where id in (select id from report_dirty order by id limit $1) \
         returning dossier_id",
    )
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let taken = ids.len() as u64;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(taken);
    }
    let mut changes = PoolChanges::default();
    for row in &fact_rows(&mut tx, &ids).await? {
        changes.count(row, -1);
    }
    sqlx::query("select refresh_report_facts($1)")
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    for row in &fact_rows(&mut tx, &ids).await? {
        changes.count(row, 1);
    }
    changes.write(&mut tx).await?;
    tx.commit().await?;
    Ok(taken)
}

/// Whether changes are still queued for `report_facts`, or the pools wait for their rebuild (a
/// report shows it is catching up).
pub(super) async fn behind(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (select 1 from report_dirty) \
           or (select rules <> $1 from report_pools_state)",
    )
    .bind(POOL_RULES)
    .fetch_one(conn)
    .await
}

/// The version of the rules a pooled share is worked out with. Raise it with any change to
/// what [`FactRow::pooled_share`] gives — `FactRow::facts`, `classify`, `Tally::add`, the
/// calendar's timeliness, [`FACT_ROW`], the `pooled` column — and the pools are rebuilt from
/// the facts ([`rebuild_pools`]) before the reports use them again: a refresh takes a
/// dossier's old share out with today's rules, which must be those it was added with.
pub const POOL_RULES: i32 = 1;

/// How the pools stand against this build's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolState {
    Current,
    /// summed with older rules (or never): this build sums them again
    Older,
    /// summed by a newer build: this one leaves them, and the queue, alone
    Newer(i32),
}

/// The pools' state, and the promise to `refresh_report_facts` (which refuses callers that do
/// not keep the pools) that this transaction keeps them with [`POOL_RULES`].
pub async fn pool_state(conn: &mut PgConnection) -> Result<PoolState, sqlx::Error> {
    let rules: i32 = sqlx::query_scalar(
        "select rules from report_pools_state, \
           lateral (select set_config('motcua.pool_rules', $1::text, true)) s",
    )
    .bind(POOL_RULES)
    .fetch_one(conn)
    .await?;
    Ok(match rules.cmp(&POOL_RULES) {
        std::cmp::Ordering::Equal => PoolState::Current,
        std::cmp::Ordering::Less => PoolState::Older,
        std::cmp::Ordering::Greater => PoolState::Newer(rules),
    })
}

/// Sums the pools again from every dossier's facts when they were summed with older rules than
/// [`POOL_RULES`] (or never), in one transaction: the reports read the old pools until it
/// commits (rows deleted, not truncated), and say they are catching up. Pools summed by a
/// newer build are left alone. Tells `progress` how many dossiers each batch took; returns how
/// many were summed (None: nothing to do).
pub async fn rebuild_pools(
    conn: &mut PgConnection,
    mut progress: impl FnMut(u64),
) -> Result<Option<u64>, sqlx::Error> {
    match pool_state(&mut *conn).await? {
        PoolState::Current => return Ok(None),
        PoolState::Newer(rules) => {
            tracing::warn!(
                rules,
                ours = POOL_RULES,
                "the reports' pools were summed by a newer version: this one leaves them alone"
            );
            return Ok(None);
        }
        PoolState::Older => {}
    }
    let mut tx = conn.begin().await?;
    sqlx::query("select pg_advisory_xact_lock(7312001)")
        .execute(&mut *tx)
        .await?;
    if pool_state(&mut tx).await? != PoolState::Older {
        return Ok(None); // another instance did it meanwhile
    }
    sqlx::raw_sql("delete from report_pools; delete from report_received")
        .execute(&mut *tx)
        .await?;
    let mut changes = PoolChanges::default();
    let mut after = Uuid::nil();
    let mut total = 0;
    loop {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "select dossier_id from report_facts where dossier_id > $1 \
             order by dossier_id limit $2",
        )
        .bind(after)
        .bind(DRAIN_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        let Some(&last) = ids.last() else { break };
        after = last;
        for row in &fact_rows(&mut tx, &ids).await? {
            changes.count(row, 1);
        }
        total += ids.len() as u64;
        progress(ids.len() as u64);
    }
    changes.write(&mut tx).await?;
    sqlx::query("update report_pools_state set rules = $1, built_at = now()")
        .bind(POOL_RULES)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(total))
}

/// The number of queued changes (one row per event, payment or file written).
pub async fn queued(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("select count(*) from report_dirty")
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Refreshes batch after batch until the queue is empty, telling `progress` how many queue rows
/// each batch took; returns the total.
pub async fn drain(
    conn: &mut PgConnection,
    mut progress: impl FnMut(u64),
) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let n = refresh(conn, DRAIN_BATCH, true).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
        progress(n);
    }
}
