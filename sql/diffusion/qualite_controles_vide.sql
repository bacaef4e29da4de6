-- publication.qualite_controles (file), empty: the warehouse has no Great Expectations result yet.
create table publication.qualite_controles (
    suite varchar,
    expectation varchar,
    table_name varchar,
    success boolean,
    observed varchar,
    details varchar,
    run_at timestamp
)
