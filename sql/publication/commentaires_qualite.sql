-- Comments of publication.qualite_controles: one per table and column.
comment on table publication.qualite_controles is 'Résultats des contrôles de qualité Great Expectations sur les tables publiées (dernière exécution de chaque suite).';
comment on column publication.qualite_controles.suite is 'Suite de contrôles (publication_indicateurs, publication_territoires)';
comment on column publication.qualite_controles.expectation is 'Type d''expectation Great Expectations et règle contrôlée';
comment on column publication.qualite_controles.table_name is 'Table contrôlée';
comment on column publication.qualite_controles.success is 'Vrai si le contrôle est passé';
comment on column publication.qualite_controles.observed is 'Observation : lignes en défaut sur lignes contrôlées';
comment on column publication.qualite_controles.details is 'Exemples de lignes en défaut (tableau Markdown, clés et valeur)';
comment on column publication.qualite_controles.run_at is 'Date et heure (UTC) de l''exécution';
