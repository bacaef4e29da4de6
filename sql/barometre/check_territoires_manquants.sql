-- Territories absent from some months: for every layout and territory level present in
-- staging.barometre_mensuel, every expected territory ($departements: the 101 départements,
-- $regions: the 18 régions, FR) that has no 'cumul' row for a month the layout publishes.
-- One row per (layout, level, territory) with its missing months.
with mensuel as (
    select *
    from staging.barometre_mensuel
    where nature = 'cumul'
),

mois as (
    select distinct layout, date
    from mensuel
),

niveaux as (
    select distinct layout, territoire_type
    from mensuel
),

attendus as (
    select 'departement' as territoire_type, unnest($departements::varchar[]) as territoire_code
    union all
    select 'region', unnest($regions::varchar[])
    union all
    select 'france', 'FR'
),

grille as (
    select niveaux.layout, niveaux.territoire_type, attendus.territoire_code, mois.date
    from niveaux
    inner join attendus using (territoire_type)
    inner join mois using (layout)
),

manquants as (
    select grille.*
    from grille
    left join mensuel using (layout, territoire_type, territoire_code, date)
    where mensuel.date is null
)

select
    layout,
    territoire_type,
    territoire_code,
    count(*) as nb_mois_manquants,
    strftime(min(date), '%Y-%m') as premier_mois,
    strftime(max(date), '%Y-%m') as dernier_mois,
    string_agg(strftime(date, '%Y-%m'), ', ' order by date) as mois
from manquants
group by all
order by layout, territoire_type, territoire_code
