-- The units resampled by the bootstrap, one row per (side, unit):
--   the rest of France (groupe HORS_LDA) → the départements it contains whole;
--   a Logement d'abord territory made of at least two whole départements and nothing else (its
--     communes are exactly those of its whole départements) → those départements;
--   the group LDA → its maximal Logement d'abord territories (a territory whose perimeter lies
--     inside another's is left out, as is the second of two identical perimeters), only when they
--     tile the group (pairwise disjoint, their union = the group's communes) and are at least two.
-- Any other territory (an EPCI, a commune, a single département) has no row: its own change is
-- kept fixed and only the rest of France is resampled.
-- source: reference.perimetres, reference.perimetres_departements, reference.communes
with perimetres_lda as (
    select distinct
        territoire_code,
        code_commune
    from reference.perimetres
    where territoire_type = 'territoire_lda'
),

departements_entiers as (
    select
        territoire_type,
        territoire_code,
        code_departement
    from reference.perimetres_departements
),

communes_par_territoire as (
    select
        territoire_code,
        count(*) as nb_communes
    from perimetres_lda
    group by territoire_code
),

communes_des_departements as (
    select
        departements_entiers.territoire_code,
        count(distinct communes.code_commune) as nb_communes,
        count(distinct departements_entiers.code_departement) as nb_departements
    from departements_entiers
    inner join reference.communes as communes using (code_departement)
    where departements_entiers.territoire_type = 'territoire_lda'
    group by departements_entiers.territoire_code
),

territoires_departementaux as (
    select communes_par_territoire.territoire_code
    from communes_par_territoire
    inner join communes_des_departements using (territoire_code)
    where communes_par_territoire.nb_communes = communes_des_departements.nb_communes
        and communes_des_departements.nb_departements >= 2
),

intersections as (
    select
        a.territoire_code as code_a,
        b.territoire_code as code_b,
        count(*) as nb_communes_communes
    from perimetres_lda as a
    inner join perimetres_lda as b
        on a.code_commune = b.code_commune and a.territoire_code <> b.territoire_code
    group by a.territoire_code, b.territoire_code
),

contenus as (
    select distinct intersections.code_a as territoire_code
    from intersections
    inner join communes_par_territoire as na on na.territoire_code = intersections.code_a
    inner join communes_par_territoire as nb on nb.territoire_code = intersections.code_b
    where intersections.nb_communes_communes = na.nb_communes
        and (na.nb_communes < nb.nb_communes or intersections.code_a > intersections.code_b)
),

maximaux as (
    select communes_par_territoire.*
    from communes_par_territoire
    anti join contenus using (territoire_code)
),

pavage as (
    select
        (select sum(nb_communes) from maximaux) as somme_communes,
        (select count(distinct code_commune) from perimetres_lda semi join maximaux using (territoire_code))
            as communes_union,
        (select count(distinct code_commune) from reference.perimetres
            where territoire_type = 'groupe' and territoire_code = 'LDA') as communes_groupe,
        (select count(*) from maximaux) as nb_maximaux
),

unites as (
    select
        'groupe' as territoire_type,
        'HORS_LDA' as territoire_code,
        'departement' as unite_type,
        code_departement as unite_code
    from departements_entiers
    where territoire_type = 'groupe' and territoire_code = 'HORS_LDA'
    union all
    select
        'territoire_lda',
        departements_entiers.territoire_code,
        'departement',
        departements_entiers.code_departement
    from departements_entiers
    semi join territoires_departementaux using (territoire_code)
    where departements_entiers.territoire_type = 'territoire_lda'
    union all
    select
        'groupe',
        'LDA',
        'territoire_lda',
        maximaux.territoire_code
    from maximaux
    cross join pavage
    where pavage.somme_communes = pavage.communes_union
        and pavage.communes_union = pavage.communes_groupe
        and pavage.nb_maximaux >= 2
)

select *
from unites
order by territoire_type, territoire_code, unite_code
