-- Les 10 départements où les attributions à des ménages sans domicile sont les plus nombreuses
-- pour 100 000 habitants, la dernière année publiée (lignes secrètes exclues).
with derniere_annee as (
    select max(periode) as periode
    from publication.indicateurs
    where indicateur = 'ATTR_SD' and length(periode) = 4 and statut = 'ok'
)
select
    indicateurs.territoire_code,
    territoires.territoire_libelle,
    indicateurs.periode as annee,
    indicateurs.valeur as attributions,
    territoires.population,
    round(100000 * indicateurs.valeur / territoires.population, 1) as pour_100000_habitants
from publication.indicateurs as indicateurs
join publication.territoires as territoires using (territoire_type, territoire_code)
where indicateurs.indicateur = 'ATTR_SD'
  and indicateurs.territoire_type = 'departement'
  and indicateurs.statut = 'ok'
  and indicateurs.periode = (select periode from derniere_annee)
order by pour_100000_habitants desc, indicateurs.territoire_code
limit 10
