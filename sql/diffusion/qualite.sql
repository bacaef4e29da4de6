-- publication.qualite (file): the ingestion's quality by lot — one row per (source, year of the
-- files, quarantine rule) — with the lot's counts summed over its files, the number of files and
-- the time of the lot's last load (`ingested_at`, for the freshness). A lot without any refused
-- line has one row with rule null and n = 0. No raw line, no line number, no message, and no
-- per-file count: a monthly SIAO file of one département holds about that month's requests, so
-- its accepted rows would predict a suppressed monthly count (secret statistique). Summed over the
-- year and the country the counts are safe; a count still between 1 and $seuil - 1 is suppressed (null),
-- with the counts it could be recomputed from (lines read = accepted + quarantined).
-- The lot (`file_name`) is « <source> <année> », the year read from the end of the file's name
-- (`…_2024.csv`, `…_2024-03.csv`), « <source> » alone when the name carries none.
-- A file refused whole has a row of its own (`statut = 'refuse'`, its name in `file_name` and the
-- file-level reason in `motif`) with no count at all (its lines would predict a secret cell too);
-- loaded lots have `statut = 'charge'`. Lines skipped (blank, footer, Baromètre lines outside the
-- series) are summed per lot in `rows_skipped` (lues = acceptées + en quarantaine + ignorées).
-- source: entrepot.meta.ingest_log (status loaded / rejected), entrepot.meta.quarantine
create table publication.qualite as
with fichiers as (
    select
        source,
        file_name,
        source || coalesce(' ' || nullif(regexp_extract(file_name, '((?:19|20)[0-9]{2})(?:-[0-9]{2})?\.[A-Za-z]+$', 1), ''), '') as lot,
        rows_read,
        rows_accepted,
        rows_quarantined,
        rows_skipped,
        ingested_at
    from entrepot.meta.ingest_log
    where status = 'loaded'
),

lots as (
    select
        source,
        lot,
        sum(rows_read) as rows_read,
        sum(rows_accepted) as rows_accepted,
        sum(rows_quarantined) as rows_quarantined,
        sum(coalesce(rows_skipped, 0)) as rows_skipped,
        count(*) as fichiers,
        max(ingested_at) as ingested_at
    from fichiers
    group by source, lot
),

refus as (
    select fichiers.source, fichiers.lot, quarantine.rule, count(*) as n
    from entrepot.meta.quarantine as quarantine
    inner join fichiers using (source, file_name)
    group by fichiers.source, fichiers.lot, quarantine.rule
),

petits as (
    select
        *,
        rows_quarantined between 1 and $seuil - 1
            or rows_accepted between 1 and $seuil - 1
            or rows_read between 1 and $seuil - 1 as termes_secrets
    from lots
),

regles as (
    -- a lot's refusals per rule add up to its quarantined lines: when one rule's count is
    -- suppressed, the smallest other one is suppressed too (else it would be their difference)
    select
        refus.*,
        refus.n between 1 and $seuil - 1 as petit,
        count(*) filter (where refus.n between 1 and $seuil - 1) over (partition by refus.source, refus.lot)
            as petits_du_lot,
        row_number() over (
            partition by refus.source, refus.lot
            order by refus.n between 1 and $seuil - 1, refus.n, refus.rule
        ) as rang
    from refus
),

regles_secretes as (
    select
        source,
        lot,
        rule,
        n,
        petit or (petits_du_lot = 1 and rang = 1) as secret
    from regles
)

select
    petits.source,
    petits.lot as file_name,
    case when petits.termes_secrets then null else petits.rows_read end as rows_read,
    case when petits.termes_secrets then null else petits.rows_accepted end as rows_accepted,
    case when petits.termes_secrets then null else petits.rows_quarantined end as rows_quarantined,
    refus.rule,
    case when petits.termes_secrets or refus.secret then null else coalesce(refus.n, 0) end as n,
    petits.ingested_at,
    petits.rows_skipped,
    'charge' as statut,
    null::varchar as motif,
    petits.fichiers
from petits
left join regles_secretes as refus using (source, lot)

union all

select
    source,
    file_name,
    null::bigint as rows_read,
    null::bigint as rows_accepted,
    null::bigint as rows_quarantined,
    null::varchar as rule,
    null::bigint as n,
    ingested_at,
    null::bigint as rows_skipped,
    'refuse' as statut,
    error as motif,
    1 as fichiers
from entrepot.meta.ingest_log
where status = 'rejected'

order by 1, 2, 6
