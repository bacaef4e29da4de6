-- reference.situations_logement: one row per housing situation of a source (SNE, SIAO) with
-- its "sans domicile" flag and category.
-- source: data/config/situations_logement.csv ($path)
create or replace table reference.situations_logement as
with source as (
    select *
    from read_csv($path, header = true, delim = ',', quote = '"', all_varchar = true)
),

renamed as (
    select
        trim(source) as source,
        trim(situation) as situation,
        cast(trim(sans_domicile) as boolean) as sans_domicile,
        trim(categorie) as categorie
    from source
)

select * from renamed
order by source, situation
