-- Part des attributions aux ménages sans domicile (%), territoires Logement d'abord (LDA)
-- et reste de la France (HORS_LDA), par année.
select
    periode as annee,
    max(valeur) filter (where territoire_code = 'LDA') as lda,
    max(valeur) filter (where territoire_code = 'HORS_LDA') as hors_lda
from publication.indicateurs
where indicateur = 'TX_ATTR_SD'
  and territoire_type = 'groupe'
  and length(periode) = 4
group by periode
order by periode
