"""A small synthetic landing folder (with quirks) ingested by the real Dagster assets into a
temporary warehouse, shared by the pipeline tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from pipelines.resources import LandingResource, PseudonymisationResource, WarehouseResource
from pipelines.simulate import simulate

KEY = "cle-de-test"
SCALE = 0.003
YEARS = (2025, 2025)


@dataclass
class Built:
    landing: Path
    warehouse: Path

    def resources(self) -> dict:
        return {
            "warehouse": WarehouseResource(database=str(self.warehouse)),
            "landing": LandingResource(path=str(self.landing)),
            "pseudonymisation": PseudonymisationResource(key=KEY),
        }


def ingest_assets() -> list:
    import assets.ingest as ingest
    import assets.reference as reference

    return [*reference.ASSETS, *ingest.ASSETS]


def materialise(built: Built) -> dg.ExecuteInProcessResult:
    result = dg.materialize(ingest_assets(), resources=built.resources())
    assert result.success
    return result


@pytest.fixture(scope="session")
def simulated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("simulated")
    simulate(out, scale=SCALE, seed=11, years=YEARS, quirks=True)
    return out


@pytest.fixture(scope="session")
def built(simulated: Path, tmp_path_factory) -> Built:
    """The simulated landing folder, ingested once (read-only for the tests that use it)."""
    root = tmp_path_factory.mktemp("built")
    landing = root / "landing"
    shutil.copytree(simulated, landing, ignore=shutil.ignore_patterns("*.json", "ground_truth.csv", "effet_injecte.csv",
                                                                         "quirks_manifest.csv"))
    b = Built(landing, root / "warehouse.duckdb")
    materialise(b)
    return b


@pytest.fixture()
def private_copy(simulated: Path, tmp_path: Path) -> Built:
    """A landing folder and warehouse of the test's own, to modify."""
    landing = tmp_path / "landing"
    shutil.copytree(simulated, landing, ignore=shutil.ignore_patterns("*.json", "*.csv"))
    for sub in ("siao", "sne", "ndls", "offre"):
        shutil.copytree(simulated / sub, landing / sub, dirs_exist_ok=True)
    return Built(landing, tmp_path / "warehouse.duckdb")
