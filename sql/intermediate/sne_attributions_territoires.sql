-- One row per (SNE attribution, territory it belongs to or is "non localisable" for). An attribution
-- is placed by the commune of the dwelling; without a commune it is non localisable for every
-- territory (one row with `territoire_type` null). `periode` = year of `date_attribution`.
-- `sans_domicile`: situation flagged in reference.situations_logement (source `sne`) and not an
-- asylum seeker. `reservataire_code`: the code of the réservataire in reference.categories
-- (list `sne_reservataire`, data/config/categories.csv).
with attributions as (
    select * from staging.sne_attributions
),
situations as (
    select situation, sans_domicile from reference.situations_logement where source = 'sne'
),
perimetres as (
    select * from reference.perimetres
),
reservataires as (
    select valeur, code from reference.categories where liste = 'sne_reservataire'
),
enriched as (
    select
        attributions.source_file,
        attributions.line_number,
        attributions.nur_id,
        attributions.commune,
        cast(attributions.date_attribution as date) as date_attribution,
        cast(attributions.date_depot as date) as date_depot,
        strftime(cast(attributions.date_attribution as date), '%Y') as periode,
        coalesce(situations.sans_domicile and attributions.demandeur_asile = false, false) as sans_domicile,
        reservataires.code as reservataire_code,
        date_diff('day', cast(attributions.date_depot as date), cast(attributions.date_attribution as date)) as delai_attribution
    from attributions
    left join situations on situations.situation = attributions.situation_logement
    left join reservataires on reservataires.valeur = attributions.reservataire
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
