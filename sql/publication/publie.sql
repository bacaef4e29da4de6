-- pub_publie (temporary): publication.indicateurs with a row id, its catalogue type and unit and
-- the count the rules look at (`cellule`), for the checks of the published table.
-- source: publication.indicateurs + the indicator catalogue ($catalogue)
create or replace temp table pub_publie as
with catalogue as (
    select
        code as indicateur,
        type as type_indicateur,
        unite
    from read_csv($catalogue, header = true, all_varchar = true)
)

select
    row_number() over (order by indicateur, territoire_type, territoire_code, periode) as id,
    publie.*,
    catalogue.type_indicateur,
    catalogue.unite,
    coalesce(publie.numerateur, publie.valeur) as cellule,
    publie.statut = 'secret' as secret
from publication.indicateurs as publie
left join catalogue using (indicateur)
