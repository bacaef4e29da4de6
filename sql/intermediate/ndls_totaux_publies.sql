-- One row per edition of the Nuit de la Solidarité of Paris with its published total
-- (data/reference/ndls/ndls_paris_totals.csv), the best published figure of the edition:
-- revised, else consolidated, else first results (a figure recomputed later on another
-- perimeter is not the edition's count). Used only for an edition without a sector file.
with source as (
    select * from read_csv($path, header = true, all_varchar = true)
),
paris as (
    select
        '75056' as commune_ville,
        cast(year as integer) as edition,
        cast(night_of as date) as date_nuit,
        cast(persons_counted as integer) as personnes,
        figure_status as statut_chiffre,
        source_url,
        case figure_status when 'revised' then 1 when 'consolidated' then 2 when 'first_results' then 3 end as rang_statut
    from source
    where territory = 'Paris'
      and figure_status in ('revised', 'consolidated', 'first_results')
),
ranked as (
    select
        *,
        row_number() over (partition by commune_ville, edition order by rang_statut) as rang
    from paris
)
select * exclude (rang, rang_statut)
from ranked
where rang = 1
order by commune_ville, edition
