-- The Départements SIAO of the accepted rows of each loaded SIAO file, with their row count: written
-- with the rows (and removed with them when the file is replaced), so that the fingerprints of
-- staging.siao_demandes by département are read here instead of grouping the tens of millions of
-- rows of raw.siao at every run.
create table if not exists meta.fichiers_departements (
    source_file varchar not null,
    departement varchar,
    nb_lignes bigint not null
)
