-- Section G (monthly ledger): one row per (household, month m) in which the household is active at the
-- end of the previous month (D0) or at the end of m (D1). From intermediate.siao_menages_evenements.
--   Active at the end of day D: its latest activity `a` on or before D has D − a < $inactivite (90 days)
--   and no *ending* housing exit lies in [a, D]. A housing exit h (SIAO exit to housing or linked SNE
--   attribution) is ending when the household is active at the end of h − 1 or has an activity on day h:
--   with `a` its latest activity on or before h, when h − a ≤ $inactivite and no housing exit lies in
--   [a, h). Hence an active household has no housing exit at all in [a, D].
--   Place at D: the place (commune, else Département SIAO; its département) of the request carrying
--   that latest activity; ties on the day go to the greatest (Département SIAO, Numéro demande) as text.
-- Columns: `actif_debut`/`actif_fin` and the places at D0 / D1 (null when not active); for a household
-- active at D1 but not at D0, `entree` ∈ nouveau (no activity in (D0 − 730, D0]), retour_logement (its
-- latest event on or before D0 is a housing exit, a tie on the day going to the exit), retour_inactivite;
-- `sortie_logement`: an ending housing exit lies in (D0, D1]. The territories (and the perimeter of m:
-- départements with a file for m and m − 1) are applied by marts.indicateurs_ledger.
with evenements as (
    -- $partiel: only the households to recompute (menages_a_recalculer, set by assets/indicateurs/menages.py)
    select * from intermediate.siao_menages_evenements
    where not $partiel or hash(menage_id) in (select menage_hash from menages_a_recalculer)
),
activites as (
    -- one row per (household, day of activity): the place of the winning request of the day
    select menage_id, jour, lieu.commune, lieu.departement
    from (
        select menage_id, jour,
            arg_max({'commune': commune, 'departement': departement}, [departement_siao, numero_demande]) as lieu
        from evenements
        where nature = 'activite'
        group by menage_id, jour
    )
),
sorties as (
    select distinct menage_id, jour from evenements where nature in ('sortie_siao', 'attribution')
),
dernieres as (
    -- the month ends D on which `a` is the latest activity and can make the household active:
    -- a ≤ D < a + $inactivite and D before the next activity
    select menage_id, last_day(debut) as fin, jour as derniere_activite, commune, departement
    from (select *, lead(jour) over (partition by menage_id order by jour) as suivante from activites) as a,
        unnest(range(cast(date_trunc('month', jour) as timestamp), cast(jour + $inactivite as timestamp),
                     interval 1 month)) as r(debut)
    where last_day(debut) < jour + $inactivite and (suivante is null or last_day(debut) < suivante)
),
etats as (
    -- active at the end of month end `fin`: no housing exit in [a, fin]
    select d.menage_id, d.fin, strftime(d.fin, '%Y-%m') as mois, d.commune, d.departement
    from dernieres as d
    where not exists (
        select 1 from sorties as s
        where s.menage_id = d.menage_id and s.jour between d.derniere_activite and d.fin
    )
),
menages_mois as (
    -- active at D1 of month `mois` (etats) or at D0 of the next month
    select
        coalesce(fin_mois.menage_id, debut_mois.menage_id) as menage_id,
        coalesce(fin_mois.mois, debut_mois.mois_suivant) as mois,
        debut_mois.menage_id is not null as actif_debut,
        fin_mois.menage_id is not null as actif_fin,
        debut_mois.commune as commune_debut,
        debut_mois.departement as departement_debut,
        fin_mois.commune as commune_fin,
        fin_mois.departement as departement_fin
    from etats as fin_mois
    full join (
        select *, strftime(fin + interval 1 day, '%Y-%m') as mois_suivant from etats
    ) as debut_mois
        on debut_mois.menage_id = fin_mois.menage_id and debut_mois.mois_suivant = fin_mois.mois
),
bornes as (
    select
        menages_mois.*,
        last_day(cast(mois || '-01' as date)) as d1,
        cast(mois || '-01' as date) - 1 as d0
    from menages_mois
),
sorties_activite as (
    select s.menage_id, s.jour, max(a.jour) as activite
    from sorties as s
    inner join activites as a on a.menage_id = s.menage_id and a.jour <= s.jour
    group by s.menage_id, s.jour
),
sorties_finissantes as (
    -- ending housing exits: latest activity a on or before h with h − a ≤ $inactivite, no exit in [a, h)
    select sa.menage_id, sa.jour
    from sorties_activite as sa
    where sa.jour - sa.activite <= $inactivite
        and not exists (
            select 1 from sorties as p where p.menage_id = sa.menage_id and p.jour >= sa.activite and p.jour < sa.jour
        )
),
entrees as (
    select
        b.menage_id,
        b.mois,
        (select max(a.jour) from activites as a
         where a.menage_id = b.menage_id and a.jour <= b.d0 and a.jour > b.d0 - 730) as activite_fenetre,
        (select max(s.jour) from sorties as s where s.menage_id = b.menage_id and s.jour <= b.d0) as derniere_sortie
    from bornes as b
    where b.actif_fin and not b.actif_debut
)
select
    b.menage_id,
    b.mois,
    b.actif_debut,
    b.actif_fin,
    b.commune_debut,
    b.departement_debut,
    b.commune_fin,
    b.departement_fin,
    case
        when e.menage_id is null then null
        when e.activite_fenetre is null then 'nouveau'
        when e.derniere_sortie >= e.activite_fenetre then 'retour_logement'
        else 'retour_inactivite'
    end as entree,
    exists (
        select 1 from sorties_finissantes as f
        where f.menage_id = b.menage_id and f.jour > b.d0 and f.jour <= b.d1
    ) as sortie_logement
from bornes as b
left join entrees as e using (menage_id, mois)
order by b.mois, b.menage_id
