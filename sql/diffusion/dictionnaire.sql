-- publication.dictionnaire (file): one row per table (column_name null) and per column.
-- source: data/config/dictionnaire.csv
create table publication.dictionnaire as
with source as (
    select * from read_csv($path, header = true, all_varchar = true)
)
select
    table_name,
    nullif(column_name, '') as column_name,
    libelle,
    definition,
    nullif(unite, '') as unite,
    nullif(source, '') as source
from source
