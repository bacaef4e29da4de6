-- One row per period of the published grid: every year from the first to the last year covered
-- by any source (`periode` = 'AAAA', `granularite` = 'annee'), and every month of these years
-- (`periode` = 'AAAA-MM', `granularite` = 'mois').
with annees_sources as (
    select cast(annee as integer) as annee from staging.siao_couverture
    union all
    select annee from intermediate.couverture_nationale
    union all
    select edition from staging.ndls_secteurs
    union all
    select edition from intermediate.ndls_totaux_publies
),
bornes as (
    select min(annee) as premiere, max(annee) as derniere from annees_sources
),
annees as (
    select unnest(range(premiere, derniere + 1)) as annee from bornes where premiere is not null
),
mois as (
    select annee, unnest(range(1, 13)) as mois from annees
),
unioned as (
    select cast(annee as varchar) as periode, 'annee' as granularite, annee from annees
    union all
    select cast(annee as varchar) || '-' || lpad(cast(mois as varchar), 2, '0'), 'mois', annee from mois
)
select * from unioned
order by periode
