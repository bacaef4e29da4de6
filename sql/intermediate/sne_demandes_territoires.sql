-- One row per (active SNE demand on 31/12, territory it belongs to or is "non localisable" for).
-- A demand is placed by its first wished commune; without a commune it is non localisable for every
-- territory (one row with `territoire_type` null). `periode` = the year of the file.
with demandes as (
    select * from staging.sne_demandes
),
situations as (
    select situation, sans_domicile from reference.situations_logement where source = 'sne'
),
perimetres as (
    select * from reference.perimetres
),
enriched as (
    select
        demandes.source_file,
        demandes.line_number,
        demandes.nur_id,
        demandes.commune,
        cast(demandes.annee as varchar) as periode,
        coalesce(situations.sans_domicile and demandes.demandeur_asile = false, false) as sans_domicile
    from demandes
    left join situations on situations.situation = demandes.situation_logement
),
localisees as (
    select enriched.*, perimetres.territoire_type, perimetres.territoire_code, true as localisable
    from enriched
    inner join perimetres on perimetres.code_commune = enriched.commune
),
sans_lieu as (
    select enriched.*, cast(null as varchar) as territoire_type, cast(null as varchar) as territoire_code,
        false as localisable
    from enriched
    where enriched.commune is null
),
unioned as (
    select * from localisees
    union all
    select * from sans_lieu
)
select * from unioned
