-- marts.series_publiees: the published series, annualised, in the columns of the interface
-- publication.series_publiees (serie, territoire_type, territoire_code, periode, valeur, unite,
-- source), plus `statut` ('ok' complete year, 'partiel' year stopping before December) so that a
-- reader can keep whole years only. The publication step copies it.
-- source: staging.barometre_annuel (the Baromètre's Logement d'abord series)
create or replace table marts.series_publiees as
with barometre as (
    select
        serie,
        territoire_type,
        territoire_code,
        periode,
        valeur,
        unite,
        source,
        statut
    from staging.barometre_annuel
)

select *
from barometre
order by serie, territoire_type, territoire_code, periode
