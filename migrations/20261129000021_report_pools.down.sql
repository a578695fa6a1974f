drop table if exists report_received;
drop table if exists report_pools;
drop index if exists report_facts_span_idx;
alter table report_facts drop column if exists pooled;
