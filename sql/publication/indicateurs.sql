-- publication.indicateurs: one row per (indicator, territory, period) of marts.indicateurs, with
-- the disclosure control applied: a secret row has statut 'secret' and null valeur, numerateur,
-- denominateur (and part_non_localisable). Same columns as marts.indicateurs.
-- source: pub_etat (marts.indicateurs after primary, secondary and linked suppression)
create or replace table publication.indicateurs as
select
    * exclude (id, type_indicateur, cellule, secret_primaire, secret, motif)
    replace (
        case when secret then 'secret' else statut end as statut,
        case when secret then null else valeur end as valeur,
        case when secret then null else numerateur end as numerateur,
        case when secret then null else denominateur end as denominateur
    )
from pub_etat
order by indicateur, territoire_type, territoire_code, periode
