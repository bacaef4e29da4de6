-- staging.barometre_annuel: (serie, territoire_type, territoire_code, periode) identifies a row,
-- and every row has a value. One row per offending key.
select
    serie,
    territoire_type,
    territoire_code,
    periode,
    count(*) as nb_lignes,
    count(valeur) as nb_valeurs
from staging.barometre_annuel
group by all
having count(*) > 1 or count(valeur) < count(*)
order by all
