-- One row per table of the schema publication of the file, with its comment (null if none).
select table_name, comment, estimated_size
from duckdb_tables()
where database_name = current_database() and schema_name = 'publication'
order by table_name
