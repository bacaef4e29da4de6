-- Section B (SIAO): one row per (indicator, territory, period) before the absent rule of
-- marts.indicateurs: `couvert` (an accepted SIAO file of a département the territory touches covers
-- the year, or the month for DEM_URG monthly), `valeur_calculee`, `numerateur`, `denominateur`,
-- `part_non_localisable` (% of the period's requests, of the territory's départements, placed only by
-- a département the territory does not contain whole). Requests in their latest state, every status.
-- The counts are sums over the Départements SIAO of their contributions (intermediate models by
-- département, kept up to date département by département), cast back to BIGINT: the same integers
-- as counting the request rows, hence the same values through the same formulas.
-- EPCI: only the years covered by SIAO for the EPCI (no monthly series, no absent row).
with territoires as (
    select territoire_type, territoire_code from reference.territoires
),
periodes as (
    select periode, granularite from intermediate.periodes
),
couverture as (
    select * from intermediate.couverture_siao
),
comptes as (
    select * from intermediate.siao_comptes_territoires
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
    where territoires.territoire_type <> 'epci'
        or (couverture.periode is not null and periodes.granularite = 'annee')
),
par_demande as (
    select
        territoire_type,
        territoire_code,
        periode,
        cast(sum(dem_urg) as bigint) as dem_urg,
        cast(sum(dem_ins) as bigint) as dem_ins,
        cast(sum(statut_final) as bigint) as statut_final,
        cast(sum(non_pourvues) as bigint) as non_pourvues,
        cast(sum(np_absence_place) as bigint) as np_absence_place,
        100.0 * cast(sum(nl_urgence) as bigint) / nullif(cast(sum(urgence) as bigint), 0) as part_nl_urgence,
        100.0 * cast(sum(nl_insertion) as bigint) / nullif(cast(sum(insertion) as bigint), 0) as part_nl_insertion
    from comptes
    where base = 'demande'
    group by territoire_type, territoire_code, periode
),
hash_multiples as materialized (
    -- hashes with several (département, household) rows: a household in several départements, or
    -- different households sharing a hash (a 64-bit collision: in practice none)
    select menage_hash
    from intermediate.siao_menages_urgence
    group by menage_hash
    having count(*) > 1
),
hash_details as materialized (
    select
        menage_hash,
        count(distinct menage_id) + max(case when menage_id is null then 1 else 0 end) as menages,
        count(distinct departement_siao) as departements
    from intermediate.siao_menages_urgence
    where menage_hash in (select menage_hash from hash_multiples)
    group by menage_hash
),
hash_plusieurs_departements as materialized (
    select menage_hash from hash_details where menages = 1 and departements > 1
),
hash_en_collision as materialized (
    select menage_hash from hash_details where menages > 1
),
menages_lignes as (
    -- one row per (département, territory, year, household): a household counted once per département
    select territoire_type, territoire_code, periode, count(*) as n
    from intermediate.siao_menages_urgence_territoires
    where menage_hash not in (select menage_hash from hash_en_collision)
    group by territoire_type, territoire_code, periode
),
menages_en_trop as (
    -- a household with rows in k départements for a (territory, year) is counted k times above
    select territoire_type, territoire_code, periode, -sum(k - 1) as n
    from (
        select territoire_type, territoire_code, periode, menage_hash, count(*) as k
        from intermediate.siao_menages_urgence_territoires
        where menage_hash in (select menage_hash from hash_plusieurs_departements)
        group by territoire_type, territoire_code, periode, menage_hash
    )
    group by territoire_type, territoire_code, periode
),
menages_en_collision as (
    -- the households of a shared hash, counted by their pseudonym from the request rows
    select territoire_type, territoire_code, periode, count(*) as n
    from (
        select distinct territoire_type, territoire_code, annee_demande as periode, menage_id
        from intermediate.siao_demandes_territoires
        where annee_demande is not null and localisable and type_demande = 'Urgence'
            and hash(menage_id) in (select menage_hash from hash_en_collision)
    )
    group by territoire_type, territoire_code, periode
),
menages_urgence as (
    -- distinct households per (territory, year)
    select territoire_type, territoire_code, periode, cast(sum(n) as bigint) as men_urg
    from (
        select * from menages_lignes
        union all
        select * from menages_en_trop
        union all
        select * from menages_en_collision
    )
    group by territoire_type, territoire_code, periode
),
par_mois as (
    select
        territoire_type,
        territoire_code,
        periode,
        cast(sum(dem_urg) as bigint) as dem_urg,
        100.0 * cast(sum(non_localisables) as bigint) / cast(sum(total) as bigint) as part_nl_urgence
    from comptes
    where base = 'mois'
    group by territoire_type, territoire_code, periode
),
delais as (
    -- histogram of the delays summed over the départements, with the cumulative count
    select
        territoire_type,
        territoire_code,
        periode,
        delai_admission,
        sum(n) over (
            partition by territoire_type, territoire_code, periode order by delai_admission
            rows between unbounded preceding and current row
        ) as cumul,
        sum(n) over (partition by territoire_type, territoire_code, periode) as total
    from (
        select territoire_type, territoire_code, periode, delai_admission, sum(n) as n
        from intermediate.siao_delais_territoires
        group by territoire_type, territoire_code, periode, delai_admission
    )
),
medianes as (
    -- quantile_disc(delai_admission, 0.5): the lower median, the value at 1-based position
    -- ceil(total / 2) of the sorted delays
    select territoire_type, territoire_code, periode, min(delai_admission) as delai_median
    from delais
    where cumul >= (total + 1) // 2
    group by territoire_type, territoire_code, periode
),
par_admission as (
    select
        comptes.territoire_type,
        comptes.territoire_code,
        comptes.periode,
        cast(sum(comptes.delai_cas) as bigint) as delai_cas,
        any_value(medianes.delai_median) as delai_median,
        cast(sum(comptes.acces_direct) as bigint) as acces_direct,
        100.0 * cast(sum(comptes.non_localisables) as bigint) / cast(sum(comptes.total) as bigint) as part_nl_admission
    from comptes
    left join medianes using (territoire_type, territoire_code, periode)
    where comptes.base = 'admission'
    group by comptes.territoire_type, comptes.territoire_code, comptes.periode
),
par_sortie as (
    select
        territoire_type,
        territoire_code,
        periode,
        cast(sum(sorties_logement) as bigint) as sorties_logement,
        cast(sum(sorties_connues) as bigint) as sorties_connues,
        100.0 * cast(sum(non_localisables) as bigint) / cast(sum(total) as bigint) as part_nl_sortie
    from comptes
    where base = 'sortie'
    group by territoire_type, territoire_code, periode
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
