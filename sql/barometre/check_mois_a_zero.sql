-- Months coded 0 where data was missing, grouped by (rule, layout, territory level, month):
--   'mois_entier_a_zero'    every territory of the level is at 0 that month (a national count of
--                           tens of thousands cannot be 0: e.g. January–April 2018);
--   'retour_a_zero'         a cumulative value back to 0 after a positive value of the same cumulation;
--   'annee_entiere_a_zero'  a December value at 0 for a series cumulated since January: a whole year
--                           without a single person housed (e.g. Mayotte 2017–2020), probably missing.
-- A row matching several rules is listed under the first. source: staging.barometre_mensuel.
with mensuel as (
    select
        *,
        max(valeur) over (
            partition by layout, territoire_type, territoire_code, debut_cumul
            order by date
            rows between unbounded preceding and 1 preceding
        ) as max_precedent
    from staging.barometre_mensuel
    where nature = 'cumul'
),

mois_entiers as (
    select layout, territoire_type, date
    from mensuel
    group by all
    having count(*) = count(*) filter (where valeur = 0)
),

zeros as (
    select
        mensuel.layout,
        mensuel.territoire_type,
        mensuel.territoire_code,
        mensuel.date,
        case
            when mois_entiers.date is not null then 'mois_entier_a_zero'
            when mensuel.max_precedent > 0 then 'retour_a_zero'
            when month(mensuel.date) = 12 and mensuel.debut_cumul <= make_date(year(mensuel.date), 1, 1)
                then 'annee_entiere_a_zero'
        end as regle
    from mensuel
    left join mois_entiers using (layout, territoire_type, date)
    where mensuel.valeur = 0
)

select
    regle,
    layout,
    territoire_type,
    strftime(date, '%Y-%m') as mois,
    count(*) as nb_lignes,
    case
        when count(*) > 12 then count(*) || ' territoires'
        else string_agg(territoire_code, ', ' order by territoire_code)
    end as territoires
from zeros
where regle is not null
group by all
order by regle, layout, mois, territoire_type
