-- One row per (SNE attribution linked to a SIAO household, territory of the dwelling). An attribution
-- links to a household when a SIAO request of that household carries the same pseudonymised NUR
-- (request's latest state). Every attribution counts (not only the sans domicile ones).
-- `annee_attribution` is the period of DUREE_RUE_LOGEMENT; `annee_retour` (attribution year + 1) the
-- period of RETOUR_RUE_12M. `retour`: the household has an `Urgence` request dated 1 to 365 days
-- after the attribution. `duree`: attribution date − first SIAO request of the household (days).
with attributions as (
    select * from staging.sne_attributions
),
demandes as (
    -- $partiel: only the households to recompute (menages_a_recalculer, set by assets/indicateurs/menages.py)
    select * from staging.siao_demandes
    where not $partiel or hash(menage_id) in (select menage_hash from menages_a_recalculer)
),
menages as (
    select * from intermediate.siao_menages
),
perimetres as (
    select * from reference.perimetres
),
liens as (
    select distinct nur_id, menage_id
    from demandes
    where nur_id is not null and menage_id is not null
),
urgences as (
    select menage_id, cast(date_demande as date) as date_demande
    from demandes
    where type_demande = 'Urgence'
),
reliees as (
    select
        attributions.source_file,
        attributions.line_number,
        attributions.nur_id,
        attributions.commune,
        cast(attributions.date_attribution as date) as date_attribution,
        liens.menage_id,
        menages.premiere_demande
    from attributions
    inner join liens using (nur_id)
    inner join menages using (menage_id)
),
retours as (
    select distinct reliees.source_file, reliees.line_number, reliees.menage_id
    from reliees
    inner join urgences using (menage_id)
    where date_diff('day', reliees.date_attribution, urgences.date_demande) between 1 and 365
),
enriched as (
    select
        reliees.*,
        strftime(reliees.date_attribution, '%Y') as annee_attribution,
        cast(year(reliees.date_attribution) + 1 as varchar) as annee_retour,
        date_diff('day', reliees.premiere_demande, reliees.date_attribution) as duree,
        retours.menage_id is not null as retour
    from reliees
    left join retours using (source_file, line_number, menage_id)
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
