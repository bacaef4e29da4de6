-- publication.catalogue (file): one row per indicator of the catalogue.
-- source: data/config/indicateurs.csv
create table publication.catalogue as
with source as (
    select * from read_csv($path, header = true, all_varchar = true)
)
select code, libelle, unite, section, definition, numerateur, denominateur, source, periodicite, type
from source
order by section, code
