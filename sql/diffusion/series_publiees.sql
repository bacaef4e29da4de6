-- publication.series_publiees (file): the Baromètre series, annualised, with their statut
-- ('ok' complete year, 'partiel').
-- source: entrepot.marts.series_publiees
create table publication.series_publiees as
with source as (
    select serie, territoire_type, territoire_code, periode, valeur, unite, source, statut
    from entrepot.marts.series_publiees
)
select * from source
order by serie, territoire_type, territoire_code, periode
