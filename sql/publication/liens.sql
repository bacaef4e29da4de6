-- pub_liens_choix (temporary): rows made secret by a linked row of the same territory and period
-- (or of an equivalent territory): the follower of a secret indicator (ATTR_SD_PERS ↔ ATTR_SD),
-- a rate or ratio one of whose counts is secret (TX_ATTR_SD ← ATTR_SD, ATTR_TOT…), a row whose
-- territory has the same communes as that of a secret row, and a total equal to one of its parts
-- (every other part of the hierarchy is absent or a published 0: a région of one département, a
-- year of one covered month…), in both directions.
-- source: pub_etat, pub_suit (indicateur, reference), pub_composantes (indicateur, composante),
-- pub_equivalences, pub_relations
create or replace temp table pub_liens_choix as
with secrets as (
    select id, indicateur, territoire_type, territoire_code, periode
    from pub_etat
    where secret
),

suiveurs as (
    select etat.id, 'suit ' || suit.reference as motif
    from pub_etat as etat
    inner join pub_suit as suit on suit.indicateur = etat.indicateur
    inner join secrets
        on secrets.indicateur = suit.reference
        and secrets.territoire_type = etat.territoire_type
        and secrets.territoire_code = etat.territoire_code
        and secrets.periode = etat.periode
),

suivis as (
    select etat.id, 'suit ' || suit.indicateur as motif
    from pub_etat as etat
    inner join pub_suit as suit on suit.reference = etat.indicateur
    inner join secrets
        on secrets.indicateur = suit.indicateur
        and secrets.territoire_type = etat.territoire_type
        and secrets.territoire_code = etat.territoire_code
        and secrets.periode = etat.periode
),

composes as (
    select etat.id, 'composante ' || composantes.composante as motif
    from pub_etat as etat
    inner join pub_composantes as composantes on composantes.indicateur = etat.indicateur
    inner join secrets
        on secrets.indicateur = composantes.composante
        and secrets.territoire_type = etat.territoire_type
        and secrets.territoire_code = etat.territoire_code
        and secrets.periode = etat.periode
),

equivalents as (
    select equivalences.id_b as id, 'territoire équivalent' as motif
    from pub_equivalences as equivalences
    inner join secrets on secrets.id = equivalences.id_a
),

parts as (
    select
        relations.total_id,
        relations.hierarchie,
        relations.part_id,
        etat.statut = 'ok' and (etat.secret or coalesce(etat.cellule, 1) <> 0) as porte_valeur
    from pub_relations as relations
    inner join pub_etat as etat on etat.id = relations.part_id
),

totaux_egaux as (
    select
        total_id,
        any_value(part_id) filter (where porte_valeur) as part_id
    from parts
    where hierarchie not like '%⊇%'  -- a containment has a remainder: not equal to its only part
    group by total_id, hierarchie
    having count(*) filter (where porte_valeur) = 1
),

egaux as (
    select totaux_egaux.part_id as id, 'égal à son total' as motif
    from totaux_egaux
    inner join secrets on secrets.id = totaux_egaux.total_id
    union all
    select totaux_egaux.total_id as id, 'égal à sa seule part' as motif
    from totaux_egaux
    inner join secrets on secrets.id = totaux_egaux.part_id
),

lies as (
    select * from suiveurs
    union all
    select * from suivis
    union all
    select * from composes
    union all
    select * from equivalents
    union all
    select * from egaux
)

select lies.id, min(lies.motif) as motif
from lies
inner join pub_etat as etat on etat.id = lies.id
where etat.statut = 'ok' and not etat.secret
group by lies.id
