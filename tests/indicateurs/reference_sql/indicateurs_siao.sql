-- Reference for the tests: marts.indicateurs_siao as it was computed directly from the request rows
-- (intermediate.siao_demandes_territoires) before it summed the départements' contributions.
-- Section B (SIAO): one row per (indicator, territory, period) before the absent rule of
-- marts.indicateurs: `couvert` (an accepted SIAO file of a département the territory touches covers
-- the year, or the month for DEM_URG monthly), `valeur_calculee`, `numerateur`, `denominateur`,
-- `part_non_localisable` (% of the period's requests, of the territory's départements, placed only by
-- a département the territory does not contain whole). Requests in their latest state, every status.
with territoires as (
    select territoire_type, territoire_code from reference.territoires
),
periodes as (
    select periode, granularite from intermediate.periodes
),
couverture as (
    select * from intermediate.couverture_siao
),
demandes as (
    select * from intermediate.siao_demandes_territoires
),
grille as (
    select
        territoires.territoire_type,
        territoires.territoire_code,
        periodes.periode,
        periodes.granularite,
        couverture.periode is not null as couvert
    from territoires
    cross join periodes
    left join couverture
        on couverture.territoire_type = territoires.territoire_type
        and couverture.territoire_code = territoires.territoire_code
        and couverture.periode = periodes.periode
),
par_demande as (
    select
        territoire_type,
        territoire_code,
        annee_demande as periode,
        count(*) filter (where localisable and type_demande = 'Urgence') as dem_urg,
        count(*) filter (where localisable and type_demande = 'Insertion') as dem_ins,
        count(*) filter (
            where localisable and type_demande = 'Urgence' and statut in ('Pourvue', 'Non pourvue')
        ) as statut_final,
        count(*) filter (where localisable and type_demande = 'Urgence' and statut = 'Non pourvue') as non_pourvues,
        count(*) filter (
            where localisable and type_demande = 'Urgence' and statut = 'Non pourvue'
            and motif_non_attribution = 'Absence de place'
        ) as np_absence_place,
        100.0 * count(*) filter (where not localisable and type_demande = 'Urgence')
            / nullif(count(*) filter (where type_demande = 'Urgence'), 0) as part_nl_urgence,
        100.0 * count(*) filter (where not localisable and type_demande = 'Insertion')
            / nullif(count(*) filter (where type_demande = 'Insertion'), 0) as part_nl_insertion
    from demandes
    where annee_demande is not null
    group by territoire_type, territoire_code, annee_demande
),
menages_urgence as (
    -- distinct households counted in two steps (distinct rows, then a count): much faster than
    -- count(distinct …) filter (…) on the 64-character pseudonyms of the national rows
    select territoire_type, territoire_code, periode, count(*) as men_urg
    from (
        select distinct territoire_type, territoire_code, annee_demande as periode, menage_id
        from demandes
        where annee_demande is not null and localisable and type_demande = 'Urgence'
    )
    group by territoire_type, territoire_code, periode
),
par_mois as (
    select
        territoire_type,
        territoire_code,
        mois_demande as periode,
        count(*) filter (where localisable) as dem_urg,
        100.0 * count(*) filter (where not localisable) / count(*) as part_nl_urgence
    from demandes
    where type_demande = 'Urgence' and mois_demande is not null
    group by territoire_type, territoire_code, mois_demande
),
par_admission as (
    select
        territoire_type,
        territoire_code,
        annee_admission as periode,
        count(delai_admission) filter (where localisable and type_demande = 'Insertion') as delai_cas,
        quantile_disc(delai_admission, 0.5) filter (
            where localisable and type_demande = 'Insertion' and delai_admission is not null
        ) as delai_median,
        count(*) filter (where localisable and acces_direct) as acces_direct,
        100.0 * count(*) filter (where not localisable) / count(*) as part_nl_admission
    from demandes
    where annee_admission is not null
    group by territoire_type, territoire_code, annee_admission
),
par_sortie as (
    select
        territoire_type,
        territoire_code,
        annee_sortie as periode,
        count(*) filter (where localisable and sortie_logement) as sorties_logement,
        count(*) filter (where localisable and destination_connue) as sorties_connues,
        100.0 * count(*) filter (where not localisable) / count(*) as part_nl_sortie
    from demandes
    where annee_sortie is not null
    group by territoire_type, territoire_code, annee_sortie
),
annuelles as (
    select
        grille.territoire_type,
        grille.territoire_code,
        grille.periode,
        grille.couvert,
        coalesce(par_demande.dem_urg, 0) as dem_urg,
        coalesce(par_demande.dem_ins, 0) as dem_ins,
        coalesce(menages_urgence.men_urg, 0) as men_urg,
        coalesce(par_demande.statut_final, 0) as statut_final,
        coalesce(par_demande.non_pourvues, 0) as non_pourvues,
        coalesce(par_demande.np_absence_place, 0) as np_absence_place,
        par_demande.part_nl_urgence,
        par_demande.part_nl_insertion,
        coalesce(par_admission.delai_cas, 0) as delai_cas,
        par_admission.delai_median,
        coalesce(par_admission.acces_direct, 0) as acces_direct,
        par_admission.part_nl_admission,
        coalesce(par_sortie.sorties_logement, 0) as sorties_logement,
        coalesce(par_sortie.sorties_connues, 0) as sorties_connues,
        par_sortie.part_nl_sortie
    from grille
    left join par_demande using (territoire_type, territoire_code, periode)
    left join menages_urgence using (territoire_type, territoire_code, periode)
    left join par_admission using (territoire_type, territoire_code, periode)
    left join par_sortie using (territoire_type, territoire_code, periode)
    where grille.granularite = 'annee'
),
mensuelles as (
    select
        grille.territoire_type,
        grille.territoire_code,
        grille.periode,
        grille.couvert,
        coalesce(par_mois.dem_urg, 0) as dem_urg,
        par_mois.part_nl_urgence
    from grille
    left join par_mois using (territoire_type, territoire_code, periode)
    where grille.granularite = 'mois'
),
longue as (
    select 'DEM_URG' as indicateur, territoire_type, territoire_code, periode, couvert,
        cast(dem_urg as double) as valeur_calculee, cast(dem_urg as double) as numerateur,
        cast(null as double) as denominateur, part_nl_urgence as part_non_localisable
    from annuelles
    union all
    select 'DEM_URG', territoire_type, territoire_code, periode, couvert, dem_urg, dem_urg, null, part_nl_urgence
    from mensuelles
    union all
    select 'MEN_URG', territoire_type, territoire_code, periode, couvert, men_urg, men_urg, null, part_nl_urgence
    from annuelles
    union all
    select 'TX_NON_POURVUES', territoire_type, territoire_code, periode, couvert,
        100.0 * non_pourvues / nullif(statut_final, 0), non_pourvues, statut_final, part_nl_urgence
    from annuelles
    union all
    select 'TX_NP_ABS_PLACE', territoire_type, territoire_code, periode, couvert,
        100.0 * np_absence_place / nullif(statut_final, 0), np_absence_place, statut_final, part_nl_urgence
    from annuelles
    union all
    select 'DEM_INS', territoire_type, territoire_code, periode, couvert, dem_ins, dem_ins, null, part_nl_insertion
    from annuelles
    union all
    select 'DELAI_ORIENT_INS', territoire_type, territoire_code, periode, couvert,
        delai_median, delai_cas, null, part_nl_admission
    from annuelles
    union all
    select 'ACCES_DIRECT', territoire_type, territoire_code, periode, couvert,
        acces_direct, acces_direct, null, part_nl_admission
    from annuelles
    union all
    select 'SORTIES_LOG', territoire_type, territoire_code, periode, couvert,
        sorties_logement, sorties_logement, null, part_nl_sortie
    from annuelles
    union all
    select 'TX_SORTIES_LOG', territoire_type, territoire_code, periode, couvert,
        100.0 * sorties_logement / nullif(sorties_connues, 0), sorties_logement, sorties_connues, part_nl_sortie
    from annuelles
)
select *, 'siao' as source from longue
