-- publication.objectifs (file), empty: the warehouse has no marts.objectifs (the Baromètre layer
-- was not built); same columns as sql/diffusion/objectifs.sql.
create table publication.objectifs (
    serie varchar,
    indicateur varchar,
    territoire_type varchar,
    territoire_code varchar,
    date_cible date,
    valeur_initiale double,
    date_initiale date,
    valeur_actuelle double,
    date_actuelle date,
    valeur_cible double,
    taux_avancement double,
    nature varchar,
    source varchar,
    libelle varchar
)
