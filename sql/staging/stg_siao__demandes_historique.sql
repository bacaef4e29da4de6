-- Every accepted row of every SIAO extraction: the history of each request.
with source as (
    select * from raw.siao
),
renamed as (
    select
        departement as departement_siao,
        request_id as numero_demande,
        menage_id,
        extraction_date as date_extraction,
        request_date as date_demande,
        request_type as type_demande,
        commune,
        household_composition as composition,
        nb_persons as nb_personnes,
        nb_children as nb_enfants,
        sex as sexe,
        tranche_age,
        situation_at_request as situation,
        request_status as statut,
        non_attribution_reason as motif_non_attribution,
        orientation_date as date_orientation,
        orientation_type as type_orientation,
        admission_date as date_admission,
        exit_date as date_sortie,
        exit_destination as destination,
        nur_id,
        source_file,
        line_number
    from source
)
select * from renamed
