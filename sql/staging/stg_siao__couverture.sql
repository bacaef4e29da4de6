-- The département-months covered by an accepted SIAO file `siao_<DEP>_<AAAA-MM>.csv`
-- (a file refused whole covers nothing).
with files as (
    select file_name
    from meta.ingest_log
    where source = 'siao' and status = 'loaded'
),
parsed as (
    select
        regexp_extract(file_name, '^siao_([0-9AB]{1,3})_([0-9]{4}-[0-9]{2})\.csv$', 1) as departement_raw,
        regexp_extract(file_name, '^siao_([0-9AB]{1,3})_([0-9]{4}-[0-9]{2})\.csv$', 2) as mois
    from files
)
select distinct
    case when length(departement_raw) = 1 then '0' || departement_raw else upper(departement_raw) end as departement,
    mois,
    left(mois, 4) as annee
from parsed
where mois <> ''
order by departement, mois
