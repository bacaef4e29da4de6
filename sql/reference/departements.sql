-- reference.departements: one row per département of France (101: metropolitan and DROM; the
-- COM 975, 977… are excluded), with its région and the population of its communes.
-- source: data/reference/cog/departements.json ($departements), regions.json ($regions)
-- + reference.communes
create or replace table reference.departements as
with departements_source as (
    select *
    from read_json(
        $departements,
        format = 'array',
        columns = {code: 'varchar', region: 'varchar', chefLieu: 'varchar', nom: 'varchar', typeLiaison: 'bigint', zone: 'varchar'}
    )
),

regions_source as (
    select *
    from read_json(
        $regions,
        format = 'array',
        columns = {code: 'varchar', chefLieu: 'varchar', nom: 'varchar', typeLiaison: 'bigint', zone: 'varchar'}
    )
),

departements_france as (
    select
        code as code_departement,
        nom as nom_departement,
        region as code_region,
        zone
    from departements_source
    where zone in ('metro', 'drom')
),

populations as (
    select
        code_departement,
        sum(population) as population
    from reference.communes
    group by code_departement
)

select
    departements_france.code_departement,
    departements_france.nom_departement,
    departements_france.code_region,
    regions_source.nom as nom_region,
    departements_france.zone,
    cast(coalesce(populations.population, 0) as bigint) as population
from departements_france
left join regions_source on regions_source.code = departements_france.code_region
left join populations using (code_departement)
order by departements_france.code_departement
