-- Section C (SIAO ↔ SNE linked pathways): one row per (indicator, territory, year) before the absent
-- rule of marts.indicateurs. Attributions (all of them) are placed by the dwelling's commune.
-- DUREE_RUE_LOGEMENT for year N: attributions of N; covered where the SNE file of N is.
-- RETOUR_RUE_12M for year N: attributions of N−1; covered when the SNE file of N−1 is loaded and SIAO
-- files exist for year N (the SIAO side is national). PRIMO_DEMANDEURS: households, placed where
-- their first `Urgence` request of the year is; covered like the SIAO indicators.
-- EPCI: only the years where one of the three is covered (no row absent for all three).
with territoires as (
    select territoire_type, territoire_code from reference.territoires
),
periodes as (
    select periode, annee from intermediate.periodes where granularite = 'annee'
),
couverture_nationale as (
    select * from intermediate.couverture_nationale where source = 'sne_attributions'
),
couverture_siao as (
    select * from intermediate.couverture_siao where granularite = 'annee'
),
annees_siao as (
    select distinct cast(annee as integer) as annee from staging.siao_couverture
),
attributions as (
    select * from intermediate.parcours_attributions_territoires
),
primo_placees as (
    select * from intermediate.siao_primo_demandes_territoires
),
primo as (
    -- a first request placed only by its Département SIAO is non localisable for each EPCI touching the
    -- département without containing it whole (rows derived from the département's own row)
    select * from primo_placees
    union all
    select primo_placees.* replace (
        territoires_departements.territoire_type as territoire_type,
        territoires_departements.territoire_code as territoire_code,
        false as localisable
    )
    from primo_placees
    inner join intermediate.territoires_departements as territoires_departements
        on territoires_departements.code_departement = primo_placees.departement_siao
        and territoires_departements.territoire_type = 'epci'
        and not territoires_departements.entier
    where primo_placees.commune is null
        and primo_placees.territoire_type = 'departement'
        and primo_placees.territoire_code = primo_placees.departement_siao
),
grille as (
    select
        territoires.territoire_type,
        territoires.territoire_code,
        periodes.periode,
        sne_n.annee is not null as couvert_duree,
        sne_prec.annee is not null and annees_siao.annee is not null as couvert_retour,
        couverture_siao.periode is not null as couvert_siao
    from territoires
    cross join periodes
    left join couverture_nationale as sne_n on sne_n.annee = periodes.annee
    left join couverture_nationale as sne_prec on sne_prec.annee = periodes.annee - 1
    left join annees_siao on annees_siao.annee = periodes.annee
    left join couverture_siao
        on couverture_siao.territoire_type = territoires.territoire_type
        and couverture_siao.territoire_code = territoires.territoire_code
        and couverture_siao.periode = periodes.periode
    where territoires.territoire_type <> 'epci'
        or sne_n.annee is not null
        or (sne_prec.annee is not null and annees_siao.annee is not null)
        or couverture_siao.periode is not null
),
par_attribution as (
    select
        territoire_type,
        territoire_code,
        annee_attribution as periode,
        count(*) as reliees,
        count(*) filter (where duree >= 0) as duree_cas,
        quantile_disc(duree, 0.5) filter (where duree >= 0) as duree_mediane
    from attributions
    where localisable
    group by territoire_type, territoire_code, annee_attribution
),
sans_lieu_attribution as (
    select annee_attribution as periode, count(*) as n
    from attributions
    where territoire_type is null
    group by annee_attribution
),
par_retour as (
    select
        territoire_type,
        territoire_code,
        annee_retour as periode,
        count(*) as reliees,
        count(*) filter (where retour) as retours
    from attributions
    where localisable
    group by territoire_type, territoire_code, annee_retour
),
sans_lieu_retour as (
    select annee_retour as periode, count(*) as n
    from attributions
    where territoire_type is null
    group by annee_retour
),
par_primo as (
    select
        territoire_type,
        territoire_code,
        annee_demande as periode,
        count(*) filter (where localisable and primo) as primo_demandeurs,
        100.0 * count(*) filter (where not localisable) / count(*) as part_nl_primo
    from primo
    group by territoire_type, territoire_code, annee_demande
),
mesures as (
    select
        grille.*,
        coalesce(par_attribution.duree_cas, 0) as duree_cas,
        par_attribution.duree_mediane,
        100.0 * coalesce(sla.n, 0)
            / nullif(coalesce(par_attribution.reliees, 0) + coalesce(sla.n, 0), 0) as part_nl_duree,
        coalesce(par_retour.reliees, 0) as retour_reliees,
        coalesce(par_retour.retours, 0) as retours,
        100.0 * coalesce(slr.n, 0)
            / nullif(coalesce(par_retour.reliees, 0) + coalesce(slr.n, 0), 0) as part_nl_retour,
        coalesce(par_primo.primo_demandeurs, 0) as primo_demandeurs,
        par_primo.part_nl_primo
    from grille
    left join par_attribution using (territoire_type, territoire_code, periode)
    left join sans_lieu_attribution as sla using (periode)
    left join par_retour using (territoire_type, territoire_code, periode)
    left join sans_lieu_retour as slr using (periode)
    left join par_primo using (territoire_type, territoire_code, periode)
),
longue as (
    select 'DUREE_RUE_LOGEMENT' as indicateur, territoire_type, territoire_code, periode, couvert_duree as couvert,
        cast(duree_mediane as double) as valeur_calculee, cast(duree_cas as double) as numerateur,
        cast(null as double) as denominateur, part_nl_duree as part_non_localisable, 'sne+siao' as source
    from mesures
    union all
    select 'RETOUR_RUE_12M', territoire_type, territoire_code, periode, couvert_retour,
        100.0 * retours / nullif(retour_reliees, 0), retours, retour_reliees, part_nl_retour, 'sne+siao'
    from mesures
    union all
    select 'PRIMO_DEMANDEURS', territoire_type, territoire_code, periode, couvert_siao,
        primo_demandeurs, primo_demandeurs, null, part_nl_primo, 'siao'
    from mesures
)
select * from longue
