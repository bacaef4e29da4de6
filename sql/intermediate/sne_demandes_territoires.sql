-- One row per (year, first wished commune, sans domicile flag, territory containing the commune) with
-- the number of SNE demands active on 31/12 (`nb_demandes`): the demand stock is large (millions of
-- rows a year), so it is counted by commune before being placed. Demands without a commune are non
-- localisable for every territory (rows with `territoire_type` null). `periode` = the year of the file;
-- `sans_domicile`: situation flagged in reference.situations_logement (source `sne`), not an asylum seeker.
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
        cast(demandes.annee as varchar) as periode,
        demandes.commune,
        coalesce(situations.sans_domicile and demandes.demandeur_asile = false, false) as sans_domicile
    from demandes
    left join situations on situations.situation = demandes.situation_logement
),
comptes as (
    select periode, commune, sans_domicile, count(*) as nb_demandes
    from enriched
    group by periode, commune, sans_domicile
),
localisees as (
    select comptes.*, perimetres.territoire_type, perimetres.territoire_code, true as localisable
    from comptes
    inner join perimetres on perimetres.code_commune = comptes.commune
),
sans_lieu as (
    select comptes.*, cast(null as varchar) as territoire_type, cast(null as varchar) as territoire_code,
        false as localisable
    from comptes
    where comptes.commune is null
),
unioned as (
    select * from localisees
    union all
    select * from sans_lieu
)
select * from unioned
