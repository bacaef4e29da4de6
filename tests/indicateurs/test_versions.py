"""Skipping a model whose inputs did not change (assets/indicateurs/versions.py): a second run with
the same inputs rebuilds nothing and leaves the tables as they were; a changed reference table,
raw file, SQL text, parameter file or a missing table rebuilds what depends on it; the tables are
always those of a full rebuild from an empty warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.indicateurs import versions
from pipelines.resources import WarehouseResource
from tests.indicateurs.conftest import write_tables

SKIPPED = "non (entrées inchangées)"


def _materialise(path: Path) -> dict[str, str]:
    """Materialise the indicateurs assets; `schema.table` → its metadata `reconstruit`."""
    import assets.indicateurs as indicateurs

    result = dg.materialize(indicateurs.ASSETS, resources={"warehouse": WarehouseResource(database=str(path))})
    assert result.success
    return {".".join(e.asset_key.path): e.materialization.metadata["reconstruit"].value
            for e in result.get_asset_materialization_events()}


def _contents(path: Path) -> dict[str, list[tuple]]:
    conn = duckdb.connect(str(path), read_only=True)
    names = [f"{s}.{t}" for s, t in conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('intermediate', 'marts') order by all").fetchall()]
    out = {n: conn.execute(f"select * from {n} order by all").fetchall() for n in names}
    conn.close()
    return out


def _full_rebuild(path: Path, tmp: Path) -> dict[str, list[tuple]]:
    """The same inputs built from scratch (no model, no recorded version or fingerprint)."""
    tmp.mkdir(parents=True, exist_ok=True)
    fresh = tmp / "fresh.duckdb"
    shutil.copy(path, fresh)
    conn = duckdb.connect(str(fresh))
    conn.execute("drop schema intermediate cascade")
    conn.execute("drop schema marts cascade")
    conn.execute("drop table if exists meta.versions")
    conn.execute("drop table if exists meta.empreintes")
    conn.close()
    assert set(_materialise(fresh).values()) <= {"oui", "oui (tout)"}
    return _contents(fresh)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("versions") / "warehouse.duckdb"
    conn = duckdb.connect(str(path))
    write_tables(conn)
    conn.close()
    return path, _materialise(path)


def test_first_run_builds_everything(built):
    _, rebuilt = built
    assert len(rebuilt) == 31
    assert set(rebuilt.values()) <= {"oui", "oui (tout)"}


def test_unchanged_inputs_skip_every_model_and_changes_rebuild_what_depends_on_them(built, tmp_path):
    path, _ = built
    before = _contents(path)
    again = _materialise(path)
    assert set(again.values()) == {SKIPPED}, again
    assert _contents(path) == before

    # a reference table changes: the SNE situations (N3 "Locataire parc privé" becomes sans domicile)
    conn = duckdb.connect(str(path))
    conn.execute("update reference.situations_logement set sans_domicile = true where situation = 'Locataire parc privé'")
    conn.close()
    after = _materialise(path)
    rebuilt = {k for k, v in after.items() if v != SKIPPED}
    assert {"intermediate.sne_attributions_territoires", "intermediate.sne_demandes_territoires",
            "marts.indicateurs_sne", "marts.indicateurs"} <= rebuilt
    # the SIAO requests read the same table (its SIAO street situations, for ACCES_DIRECT): rebuilt too;
    # the household-level models, the NdlS and the offer do not read it
    assert "intermediate.siao_demandes_territoires" in rebuilt
    for name in ("intermediate.siao_menages", "marts.indicateurs_ndls", "marts.indicateurs_offre",
                 "intermediate.territoires_departements", "intermediate.periodes"):
        assert after[name] == SKIPPED, name
    contents = _contents(path)
    assert contents != before
    assert contents == _full_rebuild(path, tmp_path)
    conn = duckdb.connect(str(path), read_only=True)
    # 01 in 2023: N1, N2 and now N3 are sans domicile
    assert conn.execute("select valeur from marts.indicateurs where indicateur = 'ATTR_SD' "
                        "and territoire_code = '01' and periode = '2023'").fetchall() == [(3.0,)]
    conn.close()


def test_a_missing_table_is_rebuilt(built, tmp_path):
    path, _ = built
    conn = duckdb.connect(str(path))
    conn.execute("drop table intermediate.territoires_departements")
    conn.execute("drop table intermediate.siao_menages")
    conn.close()
    after = _materialise(path)
    assert after["intermediate.territoires_departements"] == "oui"
    assert after["intermediate.siao_menages"] == "oui (tout)"
    # same rows as before: what reads them is versioned by their content and not rebuilt
    for name in ("intermediate.couverture_siao", "intermediate.siao_primo_demandes_territoires",
                 "intermediate.siao_demandes_territoires", "intermediate.parcours_attributions_territoires"):
        assert after[name] == SKIPPED, name
    assert _contents(path) == _full_rebuild(path, tmp_path)


# ------------------------------------------------------------------ the mechanism on its own
def _warehouse() -> duckdb.DuckDBPyConnection:
    """raw.sne_attributions with its log, a staging view on it and a reference table."""
    conn = duckdb.connect(":memory:")
    for schema in ("raw", "meta", "staging", "reference", "m"):
        conn.execute(f"create schema {schema}")
    conn.execute("create table meta.ingest_log (source varchar, file_name varchar, sha256 varchar, status varchar, "
                 "rows_accepted bigint)")
    conn.execute("insert into meta.ingest_log values ('sne', 'sne_attributions_2023.csv', 'aa', 'loaded', 2)")
    conn.execute("create table raw.sne_attributions as select * from (values ('01', 1), ('02', 2)) as t(dep, n)")
    conn.execute("create view staging.sne_attributions as select dep as departement, n from raw.sne_attributions")
    conn.execute("create table reference.poids as select * from (values ('01', 10), ('02', 100)) as t(departement, k)")
    return conn


MODEL_SQL = """
-- reads staging.sne_attributions and reference.poids (named in the SQL, not declared)
select departement, n * k as w, $label as label
from staging.sne_attributions inner join reference.poids using (departement)
"""


def _build(conn, sql: str = MODEL_SQL, params: dict | None = None) -> bool:
    params = params or {"label": "x"}
    version = versions.input_version(conn, sql, params, [])
    return versions.build_if_changed(
        conn, "m.t", version, lambda c: c.execute(f"create or replace table m.t as {sql}", params).fetchall())


def _rows(conn) -> list[tuple]:
    return conn.execute("select * from m.t order by all").fetchall()


def test_versions_follow_raw_files_views_sql_and_params():
    conn = _warehouse()
    assert _build(conn) is True
    assert _rows(conn) == [("01", 10, "x"), ("02", 200, "x")]
    assert _build(conn) is False
    # a new raw file: its log row and its rows (the view's version follows the log, no scan of raw)
    conn.execute("insert into meta.ingest_log values ('sne', 'sne_attributions_2024.csv', 'bb', 'loaded', 1)")
    conn.execute("insert into raw.sne_attributions values ('01', 5)")
    assert _build(conn) is True
    assert _rows(conn) == [("01", 10, "x"), ("01", 50, "x"), ("02", 200, "x")]
    # a file of another source does not count
    conn.execute("insert into meta.ingest_log values ('siao', 'siao_01_2024-01.csv', 'cc', 'loaded', 9)")
    assert _build(conn) is False
    # the view's SQL changes
    conn.execute("create or replace view staging.sne_attributions as "
                 "select dep as departement, n + 1 as n from raw.sne_attributions")
    assert _build(conn) is True
    assert _rows(conn) == [("01", 20, "x"), ("01", 60, "x"), ("02", 300, "x")]
    # a reference table named only in the SQL
    conn.execute("update reference.poids set k = 1000 where departement = '02'")
    assert _build(conn) is True
    assert _rows(conn)[-1] == ("02", 3000, "x")
    # the SQL text, then a parameter
    assert _build(conn, MODEL_SQL + "\nwhere departement = '01'") is True
    assert _rows(conn) == [("01", 20, "x"), ("01", 60, "x")]
    assert _build(conn, MODEL_SQL + "\nwhere departement = '01'", {"label": "y"}) is True
    assert _rows(conn) == [("01", 20, "y"), ("01", 60, "y")]
    assert _build(conn, MODEL_SQL + "\nwhere departement = '01'", {"label": "y"}) is False
    # the table is dropped
    conn.execute("drop table m.t")
    assert _build(conn, MODEL_SQL + "\nwhere departement = '01'", {"label": "y"}) is True
    assert _rows(conn) == [("01", 20, "y"), ("01", 60, "y")]


def test_a_parameter_naming_a_file_counts_by_its_bytes(tmp_path):
    conn = _warehouse()
    csv = tmp_path / "k.csv"
    csv.write_text("k\n7\n")
    sql = "select k from read_csv($path, header = true)"
    assert _build(conn, sql, {"path": str(csv)}) is True
    assert _build(conn, sql, {"path": str(csv)}) is False
    csv.write_text("k\n8\n")
    assert _build(conn, sql, {"path": str(csv)}) is True
    assert _rows(conn) == [(8,)]


def test_a_rebuild_with_the_same_rows_keeps_the_version_seen_downstream():
    conn = _warehouse()
    _build(conn)
    seen = versions.relation_version(conn, "m.t")
    conn.execute("insert into meta.ingest_log values ('sne', 'sne_attributions_2024.csv', 'bb', 'loaded', 0)")
    assert _build(conn) is True  # its input changed (a file without rows) …
    assert versions.relation_version(conn, "m.t") == seen  # … not its rows: downstream is not rebuilt
    conn.execute("insert into raw.sne_attributions values ('02', 1)")
    conn.execute("update meta.ingest_log set rows_accepted = 1, sha256 = 'dd' where file_name = 'sne_attributions_2024.csv'")
    assert _build(conn) is True
    assert versions.relation_version(conn, "m.t") != seen


def test_a_failed_build_records_nothing():
    conn = _warehouse()
    _build(conn)
    with pytest.raises(duckdb.Error):
        _build(conn, MODEL_SQL + "\nwhere no_such_column = 1")
    assert _rows(conn) == [("01", 10, "x"), ("02", 200, "x")]
    assert _build(conn, MODEL_SQL + "\nwhere no_such_column = 1".replace("no_such_column", "n")) is True
