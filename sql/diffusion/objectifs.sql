-- publication.objectifs (file): the targets and their progress (marts.objectifs), one row per
-- (series, territory): target date, initial, current and target values, progress rate (%).
-- Public figures of the Baromètre des résultats and targets set by coordinators (data/config/
-- objectifs.csv): no secret applies.
-- source: entrepot.marts.objectifs
create table publication.objectifs as
select
    serie,
    indicateur,
    territoire_type,
    territoire_code,
    date_cible,
    valeur_initiale,
    date_initiale,
    valeur_actuelle,
    date_actuelle,
    valeur_cible,
    taux_avancement,
    nature,
    source,
    libelle
from entrepot.marts.objectifs
order by serie, territoire_type = 'france' desc, territoire_type, territoire_code
