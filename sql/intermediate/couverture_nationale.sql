-- One row per (national source, year) covered by a loaded national file: `sne_attributions_<AAAA>.csv`,
-- `sne_demandes_<AAAA>.csv`, `offre_<AAAA>.csv` (meta.ingest_log, status `loaded`). A national file
-- covers every département for its year.
with fichiers as (
    select file_name
    from meta.ingest_log
    where status = 'loaded'
),
parsed as (
    select
        regexp_extract(file_name, '^(sne_attributions|sne_demandes|offre)_([0-9]{4})\.csv$', 1) as source,
        regexp_extract(file_name, '^(sne_attributions|sne_demandes|offre)_([0-9]{4})\.csv$', 2) as annee
    from fichiers
)
select distinct source, cast(annee as integer) as annee
from parsed
where source <> ''
order by source, annee
