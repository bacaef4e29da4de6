"""The warehouse resource: one connection for a whole run, each use left as a fresh connection."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.resources import WarehouseResource, shared_connections


def test_without_a_run_each_use_opens_and_closes_its_connection(tmp_path):
    warehouse = WarehouseResource(database=str(tmp_path / "w.duckdb"))
    with warehouse.connect() as first:
        first.execute("create table t as select 1 as x").fetchall()
    with pytest.raises(duckdb.ConnectionException):
        first.execute("select 1").fetchall()
    with warehouse.connect() as second:
        assert second is not first
        assert second.execute("select x from t").fetchall() == [(1,)]


def test_a_run_reuses_one_connection_and_closes_it_at_the_end(tmp_path):
    warehouse = WarehouseResource(database=str(tmp_path / "w.duckdb"))
    with shared_connections():
        with warehouse.connect() as first:
            first.execute("create table t as select 1 as x").fetchall()
        with warehouse.connect() as second:
            assert second is first
            assert second.execute("select x from t").fetchall() == [(1,)]
        # the same file through another resource object (another asset's): the same connection
        with WarehouseResource(database=str(tmp_path / "." / "w.duckdb")).connect() as third:
            assert third is first
    with pytest.raises(duckdb.ConnectionException):
        first.execute("select 1").fetchall()
    # closed: another process (here, a read-only connection of this one) can open the file
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as reader:
        assert reader.execute("select x from t").fetchall() == [(1,)]


def test_each_use_leaves_no_temporary_object_and_no_open_transaction(tmp_path):
    warehouse = WarehouseResource(database=str(tmp_path / "w.duckdb"))
    with shared_connections():
        with warehouse.connect() as conn:
            conn.execute("create table t (x integer)").fetchall()
            conn.execute("create temp table scratch as select 42 as y").fetchall()
            conn.execute("create temp view scratch_view as select * from scratch").fetchall()
        with pytest.raises(RuntimeError, match="échec de l'asset"):
            with warehouse.connect() as conn:
                conn.execute("begin transaction").fetchall()
                conn.execute("insert into t values (1)").fetchall()
                raise RuntimeError("échec de l'asset")
        with warehouse.connect() as conn:
            # the failed asset's insert was rolled back, the temporary objects are gone
            assert conn.execute("select count(*) from t").fetchall() == [(0,)]
            assert conn.execute("select count(*) from duckdb_tables() where temporary").fetchall() == [(0,)]
            assert conn.execute(
                "select count(*) from duckdb_views() where temporary and not internal").fetchall() == [(0,)]
            # a temporary table of the same name can be created again, as in a new connection
            conn.execute("create temp table scratch as select 1 as y").fetchall()
            conn.execute("begin transaction").fetchall()  # no transaction left open before
            conn.execute("commit").fetchall()


def test_release_lets_another_connection_of_the_process_attach_the_file(tmp_path):
    path = tmp_path / "w.duckdb"
    warehouse = WarehouseResource(database=str(path))
    with shared_connections():
        with warehouse.connect() as conn:
            conn.execute("create table t as select 7 as x").fetchall()
        other = duckdb.connect(str(tmp_path / "p.duckdb"))
        with pytest.raises(duckdb.Error, match="already attached"):
            other.execute(f"attach '{path}' as entrepot (read_only)").fetchall()
        warehouse.release()
        other.execute(f"attach '{path}' as entrepot (read_only)").fetchall()
        assert other.execute("select x from entrepot.t").fetchall() == [(7,)]
        other.execute("detach entrepot").fetchall()
        other.close()
        with warehouse.connect() as again:  # opened again by the next use
            assert again.execute("select x from t").fetchall() == [(7,)]


def test_an_ingestion_leaves_no_shared_connection_open(tmp_path):
    """The ingestion runs in a connection of its own, closed after (DuckDB's cache is not carried from
    one source's load into the next asset)."""
    import logging
    from types import SimpleNamespace

    from assets.ingest.assets import _load
    from pipelines.resources import _SHARED, LandingResource, PseudonymisationResource

    (tmp_path / "landing" / "offre").mkdir(parents=True)
    warehouse = WarehouseResource(database=str(tmp_path / "w.duckdb"))
    context = SimpleNamespace(log=logging.getLogger("test"))
    with shared_connections():
        with warehouse.connect() as conn:  # an earlier asset left the run's connection open
            conn.execute("create schema reference").fetchall()
            conn.execute("create table reference.communes as select '13055' as code_commune").fetchall()
        assert len(_SHARED._open) == 1
        _load(context, "offre", ["offre"], warehouse, LandingResource(path=str(tmp_path / "landing")),
              PseudonymisationResource(key="cle"))
        assert len(_SHARED._open) == 0
        with warehouse.connect() as conn:  # the next asset opens it again
            assert conn.execute("select count(*) from raw.offre").fetchall() == [(0,)]
