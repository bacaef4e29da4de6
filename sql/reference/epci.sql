-- reference.epci: one row per EPCI à fiscalité propre of 2026 (1 255), its type, and the
-- population and number of its member communes in reference.communes (same population vintage
-- as the communes).
-- source: data/reference/cog/epci_2026.csv ($path) + reference.communes
create or replace table reference.epci as
with source as (
    select *
    from read_csv($path, header = true, delim = ',', quote = '"', all_varchar = true)
),

renamed as (
    select
        trim(siren_epci) as siren_epci,
        nom_epci,
        type_epci
    from source
),

membres as (
    select
        siren_epci,
        sum(population) as population,
        count(*) as nb_communes
    from reference.communes
    where siren_epci is not null
    group by siren_epci
)

select
    renamed.siren_epci,
    renamed.nom_epci,
    renamed.type_epci,
    cast(coalesce(membres.population, 0) as bigint) as population,
    cast(coalesce(membres.nb_communes, 0) as bigint) as nb_communes
from renamed
left join membres using (siren_epci)
order by renamed.siren_epci
