-- One row per active social housing demand on 31 December of the file's year.
with source as (
    select * from raw.sne_demandes
),
renamed as (
    select
        cast(regexp_extract(source_file, '([0-9]{4})\.csv$', 1) as integer) as annee,
        nur_id,
        filing_date as date_depot,
        commune,
        housing_situation as situation_logement,
        household_composition as composition,
        nb_persons as nb_personnes,
        dalo_priority as prioritaire_dalo,
        asylum_seeker as demandeur_asile,
        source_file,
        line_number
    from source
)
select * from renamed
