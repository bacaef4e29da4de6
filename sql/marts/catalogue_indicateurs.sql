-- One row per indicator code of the catalogue (data/config/indicateurs.csv): label, unit, section,
-- definition, numerator, denominator, source, periodicity and type (count, rate, median, ratio).
with source as (
    select * from read_csv($path, header = true, all_varchar = true)
),
renamed as (
    select
        code,
        libelle,
        unite,
        section,
        definition,
        numerateur,
        denominateur,
        source,
        periodicite,
        type
    from source
)
select * from renamed
order by section, code
