-- The two evaluated series, one row per (indicateur, territory, year), as a numerator and a
-- denominator so that any union of territories recomputes its value as a ratio of sums:
--   TX_ATTR_SD   = ATTR_SD / ATTR_TOT × 100 (attributions in the year);
--   ATTR_SD_100K = ATTR_SD / population × 100 000 (population: reference.territoires, one vintage).
-- Read from the ATTR_SD and ATTR_TOT count rows (statut 'ok') of marts.indicateurs for the
-- départements, the Logement d'abord territories and the groups; annual periods only. `valeur` is
-- null when the denominator is 0.
-- source: marts.indicateurs, reference.territoires
with comptes as (
    select
        territoire_type,
        territoire_code,
        periode,
        max(valeur) filter (where indicateur = 'ATTR_SD') as attr_sd,
        max(valeur) filter (where indicateur = 'ATTR_TOT') as attr_tot
    from marts.indicateurs
    where indicateur in ('ATTR_SD', 'ATTR_TOT')
        and statut = 'ok'
        and length(periode) = 4
        and territoire_type in ('departement', 'territoire_lda', 'groupe')
    group by territoire_type, territoire_code, periode
),

populations as (
    select
        territoire_type,
        territoire_code,
        population
    from reference.territoires
),

series as (
    select
        'TX_ATTR_SD' as indicateur,
        territoire_type,
        territoire_code,
        periode,
        cast(attr_sd as double) as numerateur,
        cast(attr_tot as double) as denominateur,
        100.0 as facteur
    from comptes
    where attr_sd is not null and attr_tot is not null
    union all
    select
        'ATTR_SD_100K',
        comptes.territoire_type,
        comptes.territoire_code,
        comptes.periode,
        cast(comptes.attr_sd as double),
        cast(populations.population as double),
        100000.0
    from comptes
    inner join populations using (territoire_type, territoire_code)
    where comptes.attr_sd is not null and populations.population > 0
)

select
    *,
    case when denominateur > 0 then numerateur / denominateur * facteur end as valeur
from series
order by indicateur, territoire_type, territoire_code, periode
