-- publication.qualite_controles (file): a copy of the Great Expectations results kept in the
-- warehouse (last run of each suite).
-- source: entrepot.publication.qualite_controles
create table publication.qualite_controles as
select suite, expectation, table_name, success, observed, details, run_at
from entrepot.publication.qualite_controles
order by suite, table_name, expectation
