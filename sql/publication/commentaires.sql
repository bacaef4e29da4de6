-- Comments of publication.indicateurs (read by the data dictionary): one per table and column.
comment on table publication.indicateurs is 'Indicateurs publiés : une ligne par (indicateur, territoire, période), valeurs soumises au secret statistique (statut secret : valeur, numérateur et dénominateur masqués). Source : marts.indicateurs.';
comment on column publication.indicateurs.indicateur is 'Code de l''indicateur (catalogue data/config/indicateurs.csv)';
comment on column publication.indicateurs.territoire_type is 'Type de territoire : departement, region, france, territoire_lda, groupe';
comment on column publication.indicateurs.territoire_code is 'Code du territoire : COG du département ou de la région, FR, LDA-<ami>-<code>, LDA ou HORS_LDA';
comment on column publication.indicateurs.territoire_libelle is 'Nom du territoire';
comment on column publication.indicateurs.periode is 'Période : année AAAA ou mois AAAA-MM';
comment on column publication.indicateurs.valeur is 'Valeur de l''indicateur (nulle si statut absent ou secret)';
comment on column publication.indicateurs.numerateur is 'Numérateur : la valeur d''un comptage, le nombre de cas d''une médiane, le numérateur d''un taux (nul si secret)';
comment on column publication.indicateurs.denominateur is 'Dénominateur d''un taux ou d''un ratio (nul si secret)';
comment on column publication.indicateurs.statut is 'ok ; absent (la source ne couvre pas le territoire et la période, ou dénominateur nul) ; secret (secret statistique)';
comment on column publication.indicateurs.source is 'Source : sne, siao, sne+siao, ndls, offre';
