-- Places open on 31 December by département and type, the year being the file's.
with source as (
    select * from raw.offre
),
renamed as (
    select
        cast(regexp_extract(source_file, '([0-9]{4})\.csv$', 1) as integer) as annee,
        departement,
        place_type as type_place,
        places,
        source_file,
        line_number
    from source
)
select * from renamed
order by annee, departement, type_place, line_number
