-- reference.arrondissements: one row per municipal arrondissement of Paris, Lyon and Marseille,
-- with the commune it belongs to.
-- source: data/config/arrondissements.csv ($path)
create or replace table reference.arrondissements as
with source as (
    select *
    from read_csv($path, header = true, delim = ',', quote = '"', all_varchar = true)
),

renamed as (
    select
        trim(code_arrondissement) as code_arrondissement,
        trim(code_commune) as code_commune
    from source
)

select * from renamed
order by code_arrondissement
