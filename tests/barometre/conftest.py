"""Fixtures of the tests of the layer `barometre`: the real Baromètre files (data/reference/
barometre and its ind-295/ folder, meta_*.csv excepted, as `observatoire demo` does) copied into
a temporary landing folder, and the layer materialised in process into a temporary DuckDB."""

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.barometre import ASSETS, CHECKS
from pipelines.config import REFERENCE_DIR
from pipelines.resources import LandingResource, WarehouseResource

BAROMETRE_DIR = REFERENCE_DIR / "barometre"
REAL_FILES = sorted(
    p for p in [*BAROMETRE_DIR.glob("*.csv"), *(BAROMETRE_DIR / "ind-295").glob("*.csv")]
    if not p.name.startswith("meta_")
)


def copy_real_files(landing: Path) -> Path:
    """Copy the real files into `<landing>/barometre/`; return that folder."""
    folder = landing / "barometre"
    folder.mkdir(parents=True, exist_ok=True)
    for path in REAL_FILES:
        shutil.copy2(path, folder / path.name)
    return folder


@dataclass
class Barometre:
    database: Path
    landing: Path

    @property
    def folder(self) -> Path:
        return self.landing / "barometre"

    def materialise(self, run_config: dict | None = None, selection: list | None = None) -> dg.ExecuteInProcessResult:
        return dg.materialize(
            selection or ASSETS + CHECKS,
            resources={
                "warehouse": WarehouseResource(database=str(self.database)),
                "landing": LandingResource(path=str(self.landing)),
            },
            run_config=run_config,
            raise_on_error=False,
        )

    def query(self, sql: str, params: dict | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as conn:
            return conn.sql(sql, params=params).fetchall()

    def scalar(self, sql: str, params: dict | None = None):
        rows = self.query(sql, params)
        assert len(rows) == 1, rows
        return rows[0][0]

    def content_hash(self, sql: str) -> str:
        """Order-independent hash of the rows of a query."""
        rows = sorted(repr(row) for row in self.query(sql))
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()

    def annuel(self, territoire_type: str, territoire_code: str, periode: str) -> tuple:
        return self.query(
            "select valeur, statut, dernier_mois from staging.barometre_annuel "
            "where territoire_type = $t and territoire_code = $c and periode = $p",
            {"t": territoire_type, "c": territoire_code, "p": periode},
        )[0]


def evaluations(result: dg.ExecuteInProcessResult) -> dict:
    return {evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()}


def materialisations(result: dg.ExecuteInProcessResult) -> dict:
    return {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }


@pytest.fixture
def barometre(tmp_path: Path) -> Barometre:
    """An empty warehouse and a landing folder holding the real files (one per test)."""
    copy_real_files(tmp_path / "landing")
    return Barometre(database=tmp_path / "w.duckdb", landing=tmp_path / "landing")


@dataclass
class Materialised(Barometre):
    result: dg.ExecuteInProcessResult | None = None


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> Materialised:
    """The layer materialised once on the real files (read-only tests share it)."""
    root = tmp_path_factory.mktemp("barometre")
    copy_real_files(root / "landing")
    materialised = Materialised(database=root / "w.duckdb", landing=root / "landing")
    materialised.result = materialised.materialise()
    assert materialised.result.success
    return materialised
