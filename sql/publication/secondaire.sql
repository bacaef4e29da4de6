-- pub_choix (temporary): one round of secondary suppression. For every published total
-- (statut ok, not secret) with exactly one secret part in one of its hierarchies, the part to
-- suppress too: the smallest non-zero published part (by its count `cellule`, ties by period,
-- territory type and code, indicator, then row id: a total order, so that the same inputs always
-- give the same pattern); when there is none (the other parts are all 0, or the total has one part),
-- the total itself. And for every secret total none of whose parts is secret in one of its
-- hierarchies (the parts would add up to it), its smallest non-zero published part. A containment
-- « territory ⊇ Σ EPCI » whose remainder is a small count (pub_restes_petits) counts as having a
-- secret part: with every EPCI published, the smallest non-zero one is suppressed.
-- source: pub_etat, pub_relations, pub_restes_petits
create or replace temp table pub_choix as
with parts as (
    select
        relations.total_id,
        relations.hierarchie,
        etat.id,
        etat.secret,
        etat.statut,
        etat.cellule,
        etat.periode,
        etat.territoire_type,
        etat.territoire_code,
        etat.indicateur
    from pub_relations as relations
    inner join pub_etat as etat on etat.id = relations.part_id
),

totaux as (
    select
        parts.total_id,
        parts.hierarchie
    from parts
    inner join pub_etat as total on total.id = parts.total_id
    left join pub_restes_petits as restes using (total_id, hierarchie)
    where total.statut = 'ok' and not total.secret
    group by parts.total_id, parts.hierarchie
    having count(*) filter (where parts.secret) = 1
        or (count(*) filter (where parts.secret) = 0 and bool_or(restes.total_id is not null))
),

totaux_secrets as (
    -- a secret total none of whose parts is secret would be their sum: one part is suppressed too
    select
        parts.total_id,
        parts.hierarchie
    from parts
    inner join pub_etat as total on total.id = parts.total_id
    where total.secret
    group by parts.total_id, parts.hierarchie
    having count(*) filter (where parts.secret) = 0
),

candidats as (
    select
        parts.total_id,
        parts.hierarchie,
        parts.id,
        row_number() over (
            partition by parts.total_id, parts.hierarchie
            order by parts.cellule, parts.periode, parts.territoire_type, parts.territoire_code,
                parts.indicateur, parts.id
        ) as rang
    from parts
    inner join (select * from totaux union all select * from totaux_secrets) as a_proteger
        using (total_id, hierarchie)
    where parts.statut = 'ok' and not parts.secret and parts.cellule > 0
),

parts_choisies as (
    select id, hierarchie
    from candidats
    where rang = 1
),

totaux_choisis as (
    select totaux.total_id as id, totaux.hierarchie
    from totaux
    anti join candidats using (total_id, hierarchie)
)

select id, min(hierarchie) as hierarchie
from (
    select * from parts_choisies
    union all
    select * from totaux_choisis
)
group by id
