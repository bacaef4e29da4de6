-- publication.indicateurs: one row per (indicator, territory, period) of marts.indicateurs, with
-- the disclosure control applied: a secret row has statut 'secret' and null valeur, numerateur,
-- denominateur (and part_non_localisable). Same columns as marts.indicateurs. An absent row (no
-- value: source not covering it, denominator 0, median without a case) shows its numerateur and
-- denominateur only when they are 0: PRESSION_SD without attribution would otherwise show its count
-- of demands, a term that adds up along the hierarchies outside the secondary suppression.
-- source: pub_etat (marts.indicateurs after primary, secondary and linked suppression)
create or replace table publication.indicateurs as
with etat as (
    select
        *,
        statut <> 'ok' and (coalesce(numerateur, 0) <> 0 or coalesce(denominateur, 0) <> 0) as termes_masques
    from pub_etat
)

select
    * exclude (id, type_indicateur, cellule, secret_primaire, secret, motif, termes_masques)
    replace (
        case when secret then 'secret' else statut end as statut,
        case when secret then null else valeur end as valeur,
        case when secret or termes_masques then null else numerateur end as numerateur,
        case when secret or termes_masques then null else denominateur end as denominateur
    )
from etat
order by indicateur, territoire_type, territoire_code, periode
