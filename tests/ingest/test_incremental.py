"""Incremental rebuild by partition (assets/ingest/incremental.py): the same rows as a full
rebuild, only the changed partitions recomputed, a change of a fixed input or of the SQL rebuilds all."""

from __future__ import annotations

import duckdb

from assets.ingest.incremental import build_by_partition

SQL = """
select d.dep, d.id, d.v * f.k as w
from up as d
inner join fixe as f on f.dep = d.dep or f.dep = '*'
"""


def _setup() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(":memory:")
    conn.execute("create schema m")
    conn.execute("create table up as select dep, id, id * 10 as v from "
                 "(values ('01'), ('02'), ('75')) as t(dep), range(5) as r(id)")
    conn.execute("create table fixe as select * from (values ('*', 2), ('75', 3)) as t(dep, k)")
    return conn


def _build(conn, sql: str = SQL) -> str:
    return build_by_partition(conn, "m.t", sql, {}, "dep", "up", ["fixe"])


def _same_as_full(conn, sql: str = SQL) -> bool:
    full = conn.sql(f"select * from ({sql}) order by all").fetchall()
    return conn.sql("select * from m.t order by all").fetchall() == full


def test_first_run_builds_everything_then_nothing_changes():
    conn = _setup()
    assert _build(conn) == "tout"
    assert _same_as_full(conn)
    assert _build(conn) == "aucune partition"
    assert _same_as_full(conn)


def test_only_changed_partitions_are_recomputed():
    conn = _setup()
    _build(conn)
    conn.execute("insert into up values ('75', 99, 1)")
    conn.execute("update up set v = v + 1 where dep = '02' and id = 3")
    conn.execute("delete from up where dep = '01'")
    assert _build(conn) == "01, 02, 75"
    assert _same_as_full(conn)
    conn.execute("insert into up values ('2A', 1, 1)")
    assert _build(conn) == "2A"
    assert _same_as_full(conn)


def test_a_changed_fixed_input_or_sql_rebuilds_everything():
    conn = _setup()
    _build(conn)
    conn.execute("update fixe set k = 4 where dep = '75'")
    assert _build(conn) == "tout"
    assert _same_as_full(conn)
    other = SQL.replace("d.v * f.k", "d.v + f.k")
    assert _build(conn, other) == "tout"
    assert _same_as_full(conn, other)


def test_upstream_fingerprints_recorded_elsewhere():
    """An upstream that records its own fingerprints: used as they are; none recorded rebuilds all."""
    conn = _setup()
    conn.execute("create table fp (partition varchar, nb_lignes bigint, empreinte hugeint)")
    fp = "select * from fp"
    assert build_by_partition(conn, "m.t", SQL, {}, "dep", "up", ["fixe"], upstream_fingerprints=fp) == "tout"
    conn.execute("insert into fp values ('01', 1, 1), ('02', 1, 1), ('75', 1, 1), ('*sql', 1, 1)")
    assert build_by_partition(conn, "m.t", SQL, {}, "dep", "up", ["fixe"], upstream_fingerprints=fp) == "tout"
    conn.execute("insert into up values ('75', 99, 1)")
    conn.execute("update fp set empreinte = 2 where partition = '75'")
    assert build_by_partition(conn, "m.t", SQL, {}, "dep", "up", ["fixe"], upstream_fingerprints=fp) == "75"
    assert _same_as_full(conn)
    conn.execute("update fp set empreinte = 2 where partition = '*sql'")
    assert build_by_partition(conn, "m.t", SQL, {}, "dep", "up", ["fixe"], upstream_fingerprints=fp) == "tout"
