-- One row per counting sector and place type of a Nuit de la Solidarité; the city and the
-- edition come from the file name `ndls_<CODE_COMMUNE>_<AAAA>.csv`.
with source as (
    select * from raw.ndls
),
renamed as (
    select
        regexp_extract(source_file, '^ndls_([0-9AB]{5})_([0-9]{4})\.csv$', 1) as commune_ville,
        cast(regexp_extract(source_file, '^ndls_([0-9AB]{5})_([0-9]{4})\.csv$', 2) as integer) as edition,
        night_date as date_nuit,
        commune,
        sector as secteur,
        sector_covered as secteur_couvert,
        location_type as type_lieu,
        persons as personnes,
        source_file,
        line_number
    from source
)
select * from renamed
order by commune_ville, edition, secteur, type_lieu, line_number
