-- Decreases of a cumulative series within its cumulation (a calendar year for the 2017–2022
-- layout, since January 2023 for IND-295): one row per month whose value is below the previous
-- month's (a revision, or a month coded 0). source: staging.barometre_mensuel.
with series as (
    select
        *,
        lag(valeur) over (
            partition by layout, territoire_type, territoire_code, debut_cumul
            order by date
        ) as valeur_precedente,
        lag(date) over (
            partition by layout, territoire_type, territoire_code, debut_cumul
            order by date
        ) as date_precedente
    from staging.barometre_mensuel
)

select
    layout,
    territoire_type,
    territoire_code,
    strftime(date_precedente, '%Y-%m') as mois_precedent,
    strftime(date, '%Y-%m') as mois,
    valeur_precedente,
    valeur,
    valeur - valeur_precedente as variation,
    file_name,
    line_number
from series
where valeur < valeur_precedente
order by layout, date, territoire_type, territoire_code
