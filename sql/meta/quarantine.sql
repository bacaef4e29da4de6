-- One row per refused line: file, physical line (header = 1), column, rule and a French message.
-- raw_line has the personal identifiers pseudonymised, never in clear.
create table if not exists meta.quarantine (
    source varchar not null,
    file_name varchar not null,
    line_number bigint,
    column_name varchar,
    rule varchar not null,
    message varchar,
    raw_line varchar
)
