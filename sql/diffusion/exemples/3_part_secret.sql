-- Part des lignes soumises au secret statistique, par indicateur.
select
    indicateurs.indicateur,
    catalogue.libelle,
    count(*) as lignes,
    count(*) filter (where indicateurs.statut = 'secret') as lignes_secretes,
    round(100 * count(*) filter (where indicateurs.statut = 'secret') / count(*), 1) as part_secret_pct
from publication.indicateurs as indicateurs
left join publication.catalogue as catalogue on catalogue.code = indicateurs.indicateur
group by indicateurs.indicateur, catalogue.libelle
order by part_secret_pct desc, indicateurs.indicateur
