-- Section G, episodes and returns (years): one row per case of DUREE_EPISODE, LONGUE_DUREE and the
-- RETOUR_* cohorts, with the day and place that put it in a year and a territory; the territories, the
-- coverage and the medians / shares are applied by marts.indicateurs_ledger.
--   mesure = 'episode'      : an episode ended by an ending housing exit h (one per day): `jour` = h,
--                             place = the household's place on day h (latest activity on or before h,
--                             ties to the greatest (Département SIAO, Numéro demande)), `jours` = h − start.
--   mesure = 'longue_duree' : a household active at the end of 31/12 of a year: `jour` = 31/12, place at
--                             that day, `jours` = 31/12 − start of its current episode.
--   mesure = 'retour'       : the household's first housing exit of the year (ending or not; ties: a SIAO
--                             exit before an SNE attribution, then the greatest (Département SIAO, Numéro
--                             demande), between attributions the greatest dwelling commune), placed where
--                             the exit is; `jours` = a − h for its first activity a with a − h > 14 (null
--                             when none).
-- An episode starts at a household's first activity, at its first activity strictly after an ending
-- housing exit, and at an activity more than $inactivite days after the previous one. Ending exits as in
-- intermediate.ledger_menages_mois.
with evenements as (
    -- $partiel: only the households to recompute (menages_a_recalculer, set by assets/indicateurs/menages.py)
    select * from intermediate.siao_menages_evenements
    where not $partiel or hash(menage_id) in (select menage_hash from menages_a_recalculer)
),
activites as (
    select menage_id, jour, commune, departement
    from evenements
    where nature = 'activite'
    qualify row_number() over (partition by menage_id, jour order by departement_siao desc, numero_demande desc) = 1
),
sorties as (
    select distinct menage_id, jour from evenements where nature in ('sortie_siao', 'attribution')
),
sorties_activite as (
    select s.menage_id, s.jour, max(a.jour) as activite
    from sorties as s
    inner join activites as a on a.menage_id = s.menage_id and a.jour <= s.jour
    group by s.menage_id, s.jour
),
sorties_finissantes as (
    select sa.menage_id, sa.jour, sa.activite
    from sorties_activite as sa
    where sa.jour - sa.activite <= $inactivite
        and not exists (
            select 1 from sorties as p where p.menage_id = sa.menage_id and p.jour >= sa.activite and p.jour < sa.jour
        )
),
activites_precedentes as (
    select menage_id, jour, lag(jour) over (partition by menage_id order by jour) as precedente
    from activites
),
debuts as (
    select a.menage_id, a.jour
    from activites_precedentes as a
    where a.precedente is null
        or a.jour - a.precedente > $inactivite
        or exists (
            select 1 from sorties_finissantes as f
            where f.menage_id = a.menage_id and f.jour >= a.precedente and f.jour < a.jour
        )
),
episodes as (
    select
        'episode' as mesure,
        f.menage_id,
        f.jour,
        a.commune,
        a.departement,
        f.jour - (select max(d.jour) from debuts as d where d.menage_id = f.menage_id and d.jour <= f.activite)
            as jours
    from sorties_finissantes as f
    inner join activites as a on a.menage_id = f.menage_id and a.jour = f.activite
),
fins_annee as (
    -- households active at the end of 31/12: latest activity less than $inactivite days old, no exit since
    select a.menage_id, make_date(y, 12, 31) as jour, a.jour as activite, a.commune, a.departement
    from activites as a,
        unnest(range(year(a.jour), year(a.jour + $inactivite) + 1)) as r(y)
    where make_date(y, 12, 31) >= a.jour and make_date(y, 12, 31) - a.jour < $inactivite
    qualify row_number() over (partition by a.menage_id, y order by a.jour desc) = 1
),
longues as (
    select
        'longue_duree' as mesure,
        f.menage_id,
        f.jour,
        f.commune,
        f.departement,
        f.jour - (select max(d.jour) from debuts as d where d.menage_id = f.menage_id and d.jour <= f.activite)
            as jours
    from fins_annee as f
    where not exists (
        select 1 from sorties as s where s.menage_id = f.menage_id and s.jour between f.activite and f.jour
    )
),
premieres_sorties as (
    select menage_id, jour, commune, departement
    from evenements
    where nature in ('sortie_siao', 'attribution')
    qualify row_number() over (
        partition by menage_id, year(jour)
        order by jour, nature = 'attribution', departement_siao desc nulls last, numero_demande desc nulls last,
            commune desc nulls last
    ) = 1
),
retours as (
    select
        'retour' as mesure,
        p.menage_id,
        p.jour,
        p.commune,
        p.departement,
        (select min(a.jour) from activites as a where a.menage_id = p.menage_id and a.jour - p.jour > 14) - p.jour
            as jours
    from premieres_sorties as p
)
select * from episodes
union all
select * from longues
union all
select * from retours
order by mesure, menage_id, jour
