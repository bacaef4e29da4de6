-- publication.territoires (file): one row per published territory, with its population.
-- source: entrepot.reference.territoires
create table publication.territoires as
with source as (
    select territoire_type, territoire_code, territoire_libelle, ami, nature, population
    from entrepot.reference.territoires
)
select * from source
order by territoire_type, territoire_code
