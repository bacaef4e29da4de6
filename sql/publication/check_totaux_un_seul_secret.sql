-- Offending totals: a published total (statut ok) with exactly one secret part in one of its
-- hierarchies (its value could be recomputed by subtraction).
-- source: pub_publie (as pub_cible), pub_relations
with parts as (
    select
        relations.total_id,
        relations.hierarchie,
        part.territoire_code as part_code,
        part.periode as part_periode,
        part.secret
    from pub_relations as relations
    inner join pub_publie as part on part.id = relations.part_id
)

select
    total.indicateur,
    parts.hierarchie,
    total.territoire_type,
    total.territoire_code,
    total.periode,
    total.valeur,
    max(parts.part_code || ' ' || parts.part_periode) filter (where parts.secret) as part_secrete
from parts
inner join pub_publie as total on total.id = parts.total_id
where total.statut = 'ok'
group by all
having count(*) filter (where parts.secret) = 1
order by total.indicateur, total.territoire_type, total.territoire_code, total.periode
