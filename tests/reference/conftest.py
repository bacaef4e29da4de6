"""Fixtures of the tests of the layer `reference`: the whole layer materialised once, in process,
into a temporary DuckDB file (offline: it reads only the repository's data/ folder)."""

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.reference import ASSETS, CHECKS
from pipelines.resources import WarehouseResource


@dataclass
class MaterialisedReference:
    result: dg.ExecuteInProcessResult
    database: Path

    def query(self, sql: str, params: dict | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as conn:
            return conn.sql(sql, params=params).fetchall()

    def column(self, sql: str, params: dict | None = None) -> list:
        return [row[0] for row in self.query(sql, params)]

    def scalar(self, sql: str, params: dict | None = None):
        rows = self.query(sql, params)
        assert len(rows) == 1, rows
        return rows[0][0]


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> MaterialisedReference:
    database = tmp_path_factory.mktemp("reference") / "w.duckdb"
    result = dg.materialize(
        ASSETS + CHECKS,
        resources={"warehouse": WarehouseResource(database=str(database))},
    )
    assert result.success
    return MaterialisedReference(result=result, database=database)
