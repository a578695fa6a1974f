-- Which kind of deployment this database serves. `motcua serve` and `motcua migrate` in
-- production record it; once production, always production: demo data, generators and
-- benchmarks refuse such a database whatever MOTCUA_ENV says.
create table deployment (
    singleton    boolean primary key default true,
    environment  text not null,
    recorded_at  timestamptz not null default now(),
    constraint deployment_singleton check (singleton),
    constraint deployment_environment_known check (environment in ('production', 'development', 'test'))
);
