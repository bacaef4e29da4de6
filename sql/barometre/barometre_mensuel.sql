-- staging.barometre_mensuel: one row per (layout, territory, month) of the Baromètre's
-- Logement d'abord series: the cumulative value published for that month, with the month its
-- cumulation starts from (1 January for the 2017–2022 layout; for IND-295 the month after the
-- baseline row, i.e. January 2023, without yearly reset).
-- source: raw.barometre (monthly 'cumul' rows and IND-295 'valeur_initiale' baseline rows; the
-- 'cible' rows are targets, not measurements) + meta.ingest_log (when a month is given by two
-- files, the file ingested last wins; a measurement wins over a baseline of the same month).
create or replace table staging.barometre_mensuel as
with source as (
    select *
    from raw.barometre
    where nature in ('cumul', 'valeur_initiale')
),

fichiers as (
    select
        file_name,
        max(ingested_at) as ingested_at
    from meta.ingest_log
    where source = 'barometre' and status = 'loaded'
    group by file_name
),

classees as (
    select
        source.*,
        row_number() over (
            partition by source.layout, source.territoire_type, source.territoire_code, source.date
            order by (source.nature = 'cumul') desc, fichiers.ingested_at desc nulls last, source.file_name desc
        ) as rang
    from source
    left join fichiers using (file_name)
),

retenues as (
    select
        layout,
        territoire_type,
        territoire_code,
        date,
        nature,
        case when nature = 'valeur_initiale' then indic_vi else valeur end as valeur,
        file_name,
        line_number
    from classees
    where rang = 1
),

debuts as (
    select
        *,
        -- IND-295: the cumulation starts the month after the latest baseline row
        cast(max(case when nature = 'valeur_initiale' then date + interval 1 month end) over (
            partition by layout, territoire_type, territoire_code
            order by date
            rows between unbounded preceding and current row
        ) as date) as apres_valeur_initiale,
        min(date) over (partition by layout, territoire_type, territoire_code) as premier_mois
    from retenues
)

select
    layout,
    territoire_type,
    territoire_code,
    date,
    nature,
    valeur,
    case
        when layout = '2017-2022' then cast(date_trunc('year', date) as date)
        else coalesce(apres_valeur_initiale, premier_mois)
    end as debut_cumul,
    file_name,
    line_number
from debuts
order by layout, territoire_type, territoire_code, date
