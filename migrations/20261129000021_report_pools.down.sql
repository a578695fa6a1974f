alter table report_facts drop constraint report_facts_dossier_id_fkey,
    add constraint report_facts_dossier_id_fkey foreign key (dossier_id)
        references dossiers (id) on delete cascade;
drop table if exists report_pools_state;
drop table if exists report_received;
drop table if exists report_pools;
drop index if exists report_facts_unpooled_idx;
drop index if exists report_facts_span_idx;
alter table report_facts drop column if exists pooled;
