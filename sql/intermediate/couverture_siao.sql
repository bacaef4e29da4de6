-- One row per (territory, period) covered by SIAO: a territory is covered for a month (or a year)
-- when at least one département it touches has an accepted SIAO file for that month (or for any
-- month of that year). The SIAO side of section C is national: `siao_annees` lists the years
-- with any SIAO file.
with couverture as (
    select * from staging.siao_couverture
),
territoires_departements as (
    select * from intermediate.territoires_departements
),
mois as (
    select distinct td.territoire_type, td.territoire_code, c.mois as periode
    from couverture as c
    inner join territoires_departements as td on td.code_departement = c.departement
),
annees as (
    select distinct td.territoire_type, td.territoire_code, c.annee as periode
    from couverture as c
    inner join territoires_departements as td on td.code_departement = c.departement
),
unioned as (
    select territoire_type, territoire_code, periode, 'mois' as granularite from mois
    union all
    select territoire_type, territoire_code, periode, 'annee' from annees
)
select * from unioned
order by territoire_type, territoire_code, periode
