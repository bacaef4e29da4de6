-- One row per column of the schema publication of the file, with its comment (null if none).
select table_name, column_name, comment
from duckdb_columns()
where database_name = current_database() and schema_name = 'publication'
order by table_name, column_index
