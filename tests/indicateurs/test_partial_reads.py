"""A partial rebuild reads only the changed partitions (issue 14, target (c)): after a change in one
Département SIAO, `intermediate.siao_comptes_territoires` (whose SQL reads its upstream through a CTE
DuckDB materialises, where a filter on the result is not pushed down) scans only that département's
rows of `intermediate.siao_demandes_territoires`, not the whole table; its rows stay those of a full
rebuild (tests/indicateurs/test_contributions.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb

from assets.indicateurs.assets import MODELS, build_model
from pipelines.resources import WarehouseResource
from tests.indicateurs.test_contributions import _requests, _write, warehouse  # noqa: F401 (fixture)
from tests.indicateurs.test_versions import _materialise

UPSTREAM = "intermediate.siao_demandes_territoires"
TARGET = "intermediate.siao_comptes_territoires"


class _Profiled:
    """A connection whose statements inserting into TARGET are profiled (DuckDB's JSON profile)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, output: Path) -> None:
        self._conn, self._output, self.profiles = conn, output, []
        conn.execute("pragma enable_profiling = 'json'")
        conn.execute(f"pragma profiling_output = '{output}'")

    def execute(self, sql: str, *args, **kwargs):
        result = self._conn.execute(sql, *args, **kwargs)
        if sql.lstrip().startswith((f"insert into {TARGET}", f"create or replace table {TARGET}")):
            result.fetchall()
            self.profiles.append(json.loads(self._output.read_text(encoding="utf-8")))
        return result

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def _rows_scanned(profile: dict, table: str) -> int:
    def walk(nodes: list[dict]):
        for node in nodes:
            yield node
            yield from walk(node.get("children", []))

    return sum(n["intermediate_rows"] for n in walk(profile["operator"])
               if n["type"] == "TABLE_SCAN" and table.split(".")[1] in str(n["extra_info"].get("Table", "")))


def test_a_partial_rebuild_reads_only_the_changed_departement(warehouse: Path, tmp_path: Path):  # noqa: F811
    _materialise(warehouse)
    # the admissions of 75 a week later: only 75's requests change
    changed = [(*r[:17], r[17] + timedelta(days=7) if r[0] == "75" and r[17] else r[17], *r[18:]) for r in _requests()]
    conn = duckdb.connect(str(warehouse))
    _write(conn, changed)
    conn.close()
    import assets.indicateurs as indicateurs

    result = dg.materialize(indicateurs.ASSETS, selection=[dg.AssetKey(UPSTREAM.split("."))],
                            resources={"warehouse": WarehouseResource(database=str(warehouse))})
    assert result.success
    conn = duckdb.connect(str(warehouse))
    total, paris = conn.execute(
        f"select count(*), count(*) filter (where departement_siao = '75') from {UPSTREAM}").fetchall()[0]
    assert 0 < paris < total
    profiled = _Profiled(conn, tmp_path / "profil.json")
    model = next(m for m in MODELS if m.name == TARGET.replace(".", "/"))
    _, rebuilt = build_model(profiled, model)  # type: ignore[arg-type]
    conn.close()
    assert rebuilt == "en partie (departement_siao : 75)"
    assert len(profiled.profiles) == 1
    assert _rows_scanned(profiled.profiles[0], UPSTREAM) == paris
