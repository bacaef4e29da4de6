-- One row per landing file ingested (history: a replaced version keeps its row, status 'replaced').
create table if not exists meta.ingest_log (
    source varchar not null,
    file_name varchar not null,
    sha256 varchar not null,
    bytes bigint,
    encoding varchar,
    separator varchar,
    status varchar not null,          -- loaded | rejected | replaced
    error varchar,
    rows_read bigint,
    rows_accepted bigint,
    rows_quarantined bigint,
    rows_skipped bigint,
    ingested_at timestamp,
    unknown_columns varchar           -- extra columns of the file, ignored (comma-separated)
)
