-- One row per social dwelling attributed (SNE), whatever the file's year.
with source as (
    select * from raw.sne_attributions
),
renamed as (
    select
        nur_id,
        filing_date as date_depot,
        attribution_date as date_attribution,
        commune,
        reservation_holder as reservataire,
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
