-- publication.evaluation_methode (file): the method note of the evaluation (one row, `texte`).
-- source: entrepot.marts.evaluation_methode
create table publication.evaluation_methode as
select texte from entrepot.marts.evaluation_methode
