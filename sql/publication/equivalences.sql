-- pub_equivalences (temporary): one row per ordered pair of distinct rows of pub_cible for the
-- same indicator and period whose territories have exactly the same communes (a région of one
-- département, a Logement d'abord territory equal to a département, Ville de Paris = 75): they
-- carry the same numbers, so they must carry the same disclosure status.
-- source: pub_cible + reference.perimetres (territoire_type, territoire_code, code_commune)
create or replace temp table pub_equivalences as
with empreintes as (
    select
        territoire_type,
        territoire_code,
        count(*) as nb_communes,
        md5(string_agg(code_commune, ',' order by code_commune)) as empreinte
    from reference.perimetres
    group by territoire_type, territoire_code
),

territoires_equivalents as (
    select
        a.territoire_type as type_a,
        a.territoire_code as code_a,
        b.territoire_type as type_b,
        b.territoire_code as code_b
    from empreintes as a
    inner join empreintes as b
        on a.empreinte = b.empreinte
        and a.nb_communes = b.nb_communes
        and (a.territoire_type, a.territoire_code) <> (b.territoire_type, b.territoire_code)
)

select
    a.id as id_a,
    b.id as id_b
from territoires_equivalents as equivalents
inner join pub_cible as a
    on a.territoire_type = equivalents.type_a
    and a.territoire_code = equivalents.code_a
inner join pub_cible as b
    on b.territoire_type = equivalents.type_b
    and b.territoire_code = equivalents.code_b
    and b.indicateur = a.indicateur
    and b.periode = a.periode
