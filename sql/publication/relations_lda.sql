-- Adds to pub_relations the hierarchy LDA = Σ Logement d'abord territories, when it holds: the
-- group LDA is the union of the perimeters, and the territories not nested in another one (Ville
-- de Tours lies in Tours Métropole) are disjoint and cover it, so the group is their sum and a
-- single secret territory could be recomputed from it.
-- source: pub_cible (rows), reference.perimetres (territoire_type, territoire_code, code_commune)
-- Parameters: $types_secondaires, $suiveurs (as relations.sql)
insert into pub_relations
with lda as (
    select territoire_code, code_commune
    from reference.perimetres
    where territoire_type = 'territoire_lda'
),

tailles as (
    select territoire_code, count(*) as nb_communes
    from lda
    group by territoire_code
),

inclusions as (
    select
        interieur.territoire_code as interieur,
        exterieur.territoire_code as exterieur,
        count(*) as communes_communes
    from lda as interieur
    inner join lda as exterieur
        on exterieur.code_commune = interieur.code_commune
        and exterieur.territoire_code <> interieur.territoire_code
    group by interieur.territoire_code, exterieur.territoire_code
),

inclus as (
    -- nested in a larger territory (or in an identical one with a smaller code)
    select distinct inclusions.interieur as territoire_code
    from inclusions
    inner join tailles as t_int on t_int.territoire_code = inclusions.interieur
    inner join tailles as t_ext on t_ext.territoire_code = inclusions.exterieur
    where inclusions.communes_communes = t_int.nb_communes
      and (t_ext.nb_communes > t_int.nb_communes or inclusions.exterieur < inclusions.interieur)
),

maximaux as (
    select territoire_code from tailles
    anti join inclus using (territoire_code)
),

couverture as (
    select
        count(*) as lignes,
        count(distinct lda.code_commune) as communes
    from lda
    inner join maximaux using (territoire_code)
),

groupe as (
    select count(*) as communes
    from reference.perimetres
    where territoire_type = 'groupe' and territoire_code = 'LDA'
),

valide as (
    select couverture.lignes = couverture.communes and couverture.communes = groupe.communes and groupe.communes > 0 as ok
    from couverture, groupe
),

cellules as (
    select id, indicateur, territoire_type, territoire_code, periode
    from pub_cible
    where list_contains($types_secondaires, type_indicateur)
      and not list_contains($suiveurs, indicateur)
)

select
    total.id as total_id,
    part.id as part_id,
    'LDA = Σ territoires Logement d''abord' as hierarchie
from cellules as part
inner join maximaux on maximaux.territoire_code = part.territoire_code
inner join cellules as total
    on total.indicateur = part.indicateur
    and total.periode = part.periode
    and total.territoire_type = 'groupe'
    and total.territoire_code = 'LDA'
where part.territoire_type = 'territoire_lda'
  and (select ok from valide)
