-- publication.qualite (file): one row per (loaded file, quarantine rule) with the file's counts
-- and the number of lines refused by that rule; a file without any refused line has one row with
-- rule null and n = 0, and the time the file was loaded (`ingested_at`, for the freshness). No raw line, no line number, no message (they may quote a record).
-- A file refused whole is there too (`statut = 'refuse'`, with the file-level reason `motif`), and
-- the lines skipped (blank, footer, Baromètre lines outside the series) are counted (`rows_skipped`).
-- source: entrepot.meta.ingest_log (status loaded), entrepot.meta.quarantine
create table publication.qualite as
with fichiers as (
    select source, file_name, rows_read, rows_accepted, rows_quarantined, ingested_at, rows_skipped,
        case status when 'loaded' then 'charge' else 'refuse' end as statut,
        case when status = 'rejected' then error end as motif
    from entrepot.meta.ingest_log
    where status in ('loaded', 'rejected')
),
refus as (
    select source, file_name, rule, count(*) as n
    from entrepot.meta.quarantine
    group by source, file_name, rule
)
select
    fichiers.source,
    fichiers.file_name,
    fichiers.rows_read,
    fichiers.rows_accepted,
    fichiers.rows_quarantined,
    refus.rule,
    coalesce(refus.n, 0) as n,
    fichiers.ingested_at,
    coalesce(fichiers.rows_skipped, 0) as rows_skipped,
    fichiers.statut,
    fichiers.motif
from fichiers
left join refus using (source, file_name)
order by fichiers.source, fichiers.file_name, refus.rule
