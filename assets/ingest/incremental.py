"""Incremental rebuild of a record-level model, partition by partition (e.g. by Département SIAO).

A monthly run adds the extractions of a few départements: a model whose rows each come from one
row of an upstream table carrying the partition column (`departement_siao`) only needs the rows of
the partitions whose upstream rows changed. The fingerprint of each upstream partition (row count
and sum of the rows' hashes) and of each other input table as a whole (reference tables: any
change there rebuilds everything) is kept in `meta.empreintes` with the model; a run compares, then
deletes and recomputes the changed partitions only. The first run, a missing table, a changed
fixed input or a changed SQL text rebuild the whole table. The rows are the same as a full rebuild's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

#: Bumped when the way a model is built changes (every model then rebuilds once; see
#: `assets.indicateurs.versions`). 2: pseudonyms as 128-bit integers from staging on.
MECHANISM = "2"

FINGERPRINTS_TABLE = "meta.empreintes"
_FIXED = "*"  # partition name of a fixed input's fingerprint: '*<table>'


def _relation_type(conn: duckdb.DuckDBPyConnection, name: str) -> str | None:
    schema, table = name.split(".")
    rows = conn.execute(
        "select table_type from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
    ).fetchall()
    return rows[0][0] if rows else None


def new_fingerprints(conn: duckdb.DuckDBPyConnection, upstream_sql: str, fixed: dict[str, str],
                     aligned_sql: str | None = None, fixed_tables: list[str] | None = None) -> bool:
    """Fill the temporary table `empreintes_nouvelles` with this run's fingerprints: the upstream's
    partitions (`upstream_sql` gives partition, nb_lignes, empreinte), those of `aligned_sql` if given,
    one per entry of `fixed` (name → text) and one per table of `fixed_tables` (its rows hashed): a
    change of a fixed one rebuilds everything. False when the upstream has no row (everything is
    rebuilt)."""
    conn.execute("create schema if not exists meta").fetchall()
    conn.execute(f"create table if not exists {FINGERPRINTS_TABLE} "
                 "(modele varchar, partition varchar, nb_lignes bigint, empreinte hugeint)").fetchall()
    conn.execute(
        "create or replace temp table empreintes_nouvelles as "
        "select case when starts_with(cast(partition as varchar), '*') then '*amont' || partition "
        "else cast(partition as varchar) end as partition, "
        "cast(nb_lignes as bigint) as nb_lignes, cast(empreinte as hugeint) as empreinte "
        f"from ({upstream_sql})"
    ).fetchall()
    has_upstream = conn.execute("select count(*) from empreintes_nouvelles").fetchall()[0][0] > 0
    if aligned_sql:
        conn.execute("insert into empreintes_nouvelles select cast(partition as varchar), cast(nb_lignes as bigint), "
                     f"cast(empreinte as hugeint) from ({aligned_sql})").fetchall()
    for name, text in fixed.items():
        conn.execute("insert into empreintes_nouvelles select ?, 1, hash(?)", [_FIXED + name, text]).fetchall()
    for name in fixed_tables or []:
        conn.execute(
            f"insert into empreintes_nouvelles select '{_FIXED}{name}', count(*), sum(hash(t)) from {name} as t"
        ).fetchall()
    return has_upstream


def changed_partitions(conn: duckdb.DuckDBPyConnection, target: str) -> tuple[list[str], bool]:
    """The partitions whose fingerprint differs from the one `target` recorded, and whether the whole
    table must be rebuilt (no table, nothing recorded, a fixed input changed)."""
    changed = [r[0] for r in conn.execute(
        f"with anciennes as (select * from {FINGERPRINTS_TABLE} where modele = ?) "
        "select coalesce(n.partition, a.partition) from empreintes_nouvelles as n "
        "full join anciennes as a on a.partition is not distinct from n.partition "
        "where n.nb_lignes is distinct from a.nb_lignes or n.empreinte is distinct from a.empreinte",
        [target],
    ).fetchall()]
    stored = conn.execute(f"select count(*) from {FINGERPRINTS_TABLE} where modele = ?", [target]).fetchall()[0][0]
    full = (_relation_type(conn, target) != "BASE TABLE" or stored == 0
            or any(p is None or p.startswith(_FIXED) for p in changed))
    return sorted(changed), full


def record_fingerprints(conn: duckdb.DuckDBPyConnection, target: str) -> None:
    """Keep this run's fingerprints (`empreintes_nouvelles`) as those of `target`."""
    conn.execute(f"delete from {FINGERPRINTS_TABLE} where modele = ?", [target]).fetchall()
    conn.execute(f"insert into {FINGERPRINTS_TABLE} select ?, * from empreintes_nouvelles", [target]).fetchall()


@contextmanager
def recording(conn: duckdb.DuckDBPyConnection, target: str) -> Iterator[None]:
    """One transaction: the writes of the block, then this run's fingerprints recorded as `target`'s;
    nothing is kept if the block fails."""
    conn.execute("begin transaction").fetchall()
    try:
        yield
        record_fingerprints(conn, target)
        conn.execute("commit").fetchall()
    except BaseException:
        conn.execute("rollback").fetchall()
        raise


def build_by_partition(
    conn: duckdb.DuckDBPyConnection,
    target: str,
    sql: str,
    params: dict[str, object],
    column: str,
    upstream: str,
    fixed_inputs: list[str],
    upstream_fingerprints: str | None = None,
    extra: str = "",
) -> str:
    """(Re)build table `target` (`schema.table`) from `sql`, recomputing only the partitions
    (values of `column`) whose rows in `upstream` changed; return what was recomputed ('tout',
    'aucune partition' or the list).

    `upstream_fingerprints`: a cheaper query giving (partition, nb_lignes, empreinte) of the
    upstream than hashing its rows (e.g. the fingerprints an incremental upstream model recorded,
    or its source files' SHA-256); when it returns no row, everything is rebuilt. `extra`: text whose
    change rebuilds all (e.g. the SQL of a view the model reads).

    A partial rebuild filters the model's rows by partition; DuckDB pushes that filter down to the
    upstream's scan, but not into a CTE it materialises (one read several times): such a model reads
    the upstream restricted by the parameter `$partitions` itself (`where cast($partitions as varchar[])
    is null or list_contains($partitions, …)`), given the partitions to recompute (NULL for a full
    build), so that a partial rebuild reads only their rows."""
    upstream_sql = upstream_fingerprints or (
        f"select {column} as partition, count(*) as nb_lignes, sum(hash(t)) as empreinte from {upstream} as t group by all"
    )
    has_upstream = new_fingerprints(conn, upstream_sql, {"sql": MECHANISM + sql + repr(sorted(params.items())) + extra},
                                    fixed_tables=fixed_inputs)
    changed, full = changed_partitions(conn, target)
    full = full or not has_upstream
    with recording(conn, target):
        if full:
            everything = {"partitions": None} if "$partitions" in sql else {}
            conn.execute(f"create or replace table {target} as\n{sql}", {**params, **everything}).fetchall()
        elif changed:
            conn.execute(f"delete from {target} where list_contains($partitions, cast({column} as varchar))",
                         {"partitions": changed}).fetchall()
            conn.execute(f"insert into {target} select * from (\n{sql}\n) "
                         f"where list_contains($partitions, cast({column} as varchar))",
                         {**params, "partitions": changed}).fetchall()
    if full:
        return "tout"
    return ", ".join(changed) or "aucune partition"
