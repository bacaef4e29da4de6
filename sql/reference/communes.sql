-- reference.communes: one row per commune-actuelle of the COG 2026 (34 969, COM included),
-- with its département, région, zone, population (communes.json `population`, the single
-- vintage used by every indicator) and EPCI.
-- source: data/reference/cog/commune_epci_2026.csv ($path)
create or replace table reference.communes as
with source as (
    select *
    from read_csv($path, header = true, delim = ',', quote = '"', all_varchar = true)
),

renamed as (
    select
        trim(code_commune) as code_commune,
        nom_commune,
        trim(code_departement) as code_departement,
        trim(code_region) as code_region,
        zone,
        cast(population_communes_json as bigint) as population,
        nullif(trim(siren_epci), '') as siren_epci,
        nullif(nom_epci, '') as nom_epci
    from source
)

select * from renamed
order by code_commune
