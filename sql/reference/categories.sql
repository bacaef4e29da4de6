-- reference.categories: the category lists the indicators select by (one row per list and value,
-- with a code where the list maps a value to one): SIAO orientations and exit destinations towards
-- housing, the offer's place types per indicator, the SNE réservataires and their codes. The SIAO
-- street situations are in reference.situations_logement (source `siao`, category `rue`).
-- source: data/config/categories.csv ($path)
create or replace table reference.categories as
with source as (
    select *
    from read_csv($path, header = true, delim = ',', quote = '"', all_varchar = true)
),

renamed as (
    select
        trim(liste) as liste,
        trim(valeur) as valeur,
        nullif(trim(code), '') as code,
        trim(definition) as definition
    from source
)

select * from renamed
order by liste, valeur
