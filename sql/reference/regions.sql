-- reference.regions: one row per région of France (18: 13 metropolitan, 5 DROM coded 01–04, 06;
-- the COM are excluded), with the population of its départements.
-- source: data/reference/cog/regions.json ($path) + reference.departements
create or replace table reference.regions as
with source as (
    select *
    from read_json(
        $path,
        format = 'array',
        columns = {code: 'varchar', chefLieu: 'varchar', nom: 'varchar', typeLiaison: 'bigint', zone: 'varchar'}
    )
),

regions_france as (
    select
        code as code_region,
        nom as nom_region,
        zone
    from source
    where zone in ('metro', 'drom')
),

populations as (
    select
        code_region,
        sum(population) as population
    from reference.departements
    group by code_region
)

select
    regions_france.code_region,
    regions_france.nom_region,
    regions_france.zone,
    cast(coalesce(populations.population, 0) as bigint) as population
from regions_france
left join populations using (code_region)
order by regions_france.code_region
