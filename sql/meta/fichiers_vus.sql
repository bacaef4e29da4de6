-- The landing files as last seen, one row per (source, file): size, modification time and SHA-256.
-- A file whose size and modification time are those recorded with the SHA-256 of its logged
-- version is known unchanged without being read again (the quick check of rsync).
create table if not exists meta.fichiers_vus (
    source varchar not null,
    file_name varchar not null,
    bytes bigint not null,
    mtime_ns bigint not null,
    sha256 varchar not null
)
