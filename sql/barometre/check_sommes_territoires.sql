-- Sums of the départements (and of the régions) compared with the national value, for every
-- layout and month: one row per (layout, month, level) whose sum differs from the national value
-- (or whose national value is missing), with `au_dela_tolerance` when |écart| > $tolerance persons.
-- source: staging.barometre_mensuel ('cumul' rows).
with mensuel as (
    select *
    from staging.barometre_mensuel
    where nature = 'cumul'
),

national as (
    select layout, date, valeur as valeur_nationale
    from mensuel
    where territoire_type = 'france'
),

sommes as (
    select
        layout,
        date,
        territoire_type as niveau,
        count(*) as nb_territoires,
        sum(valeur) as somme
    from mensuel
    where territoire_type in ('departement', 'region')
    group by all
),

comparees as (
    select
        sommes.layout,
        strftime(sommes.date, '%Y-%m') as mois,
        sommes.niveau,
        sommes.nb_territoires,
        sommes.somme,
        national.valeur_nationale,
        sommes.somme - national.valeur_nationale as ecart
    from sommes
    left join national using (layout, date)
)

select
    *,
    round(100 * ecart / nullif(valeur_nationale, 0), 3) as ecart_pct,
    coalesce(abs(ecart) > $tolerance, false) as au_dela_tolerance
from comparees
where ecart is distinct from 0
order by layout, mois, niveau
