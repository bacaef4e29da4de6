"""Ground truth: the generator's independent truth (`ground_truth.csv`, computed in polars from its
own records) against marts.indicateurs computed by the real assets (reference → ingestion → SQL
indicators) from the files it wrote. Exact for counts, 1e-9 relative for rates, ratios and medians.

Default: `simulate(scale=0.003, seed=5, years=(2023, 2025), quirks=True)` — the demo's settings but
for the scale and years (≈ 40 s). `OBSERVATOIRE_TEST_GT=quick` runs years (2024, 2025) at scale 0.002.
The full demo data (scale 0.05, 2015–2025, quirks) gave 64 780 rows and 0 mismatches when checked by hand.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.resources import LandingResource, PseudonymisationResource, WarehouseResource
from pipelines.simulate import simulate

KEY = "cle-de-test-indicateurs"
QUICK = os.environ.get("OBSERVATOIRE_TEST_GT") == "quick"
SCALE, YEARS = (0.002, (2024, 2025)) if QUICK else (0.003, (2023, 2025))
COUNT_TYPES = {"count"}
KEYS = ["indicateur", "territoire_type", "territoire_code", "periode"]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(truth, marts.indicateurs, catalogue types) of one simulated run through the real assets."""
    import assets.indicateurs as indicateurs
    import assets.ingest as ingest
    import assets.reference as reference

    root = tmp_path_factory.mktemp("ground_truth")
    out = root / "simulated"
    started = time.perf_counter()
    simulate(out, scale=SCALE, seed=5, years=YEARS, quirks=True)
    landing = root / "landing"
    shutil.copytree(out, landing, ignore=shutil.ignore_patterns("*.json", "*.csv"))
    for sub in ("siao", "sne", "ndls", "offre"):
        if (out / sub).is_dir():
            shutil.copytree(out / sub, landing / sub, dirs_exist_ok=True)
    warehouse = root / "warehouse.duckdb"
    result = dg.materialize(
        [*reference.ASSETS, *ingest.ASSETS, *indicateurs.ASSETS, *indicateurs.CHECKS],
        resources={"warehouse": WarehouseResource(database=str(warehouse)),
                   "landing": LandingResource(path=str(landing)),
                   "pseudonymisation": PseudonymisationResource(key=KEY)},
    )
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    print(f"ground truth pipeline: {time.perf_counter() - started:.0f} s")
    conn = duckdb.connect(str(warehouse), read_only=True)
    marts = conn.sql("select indicateur, territoire_type, territoire_code, periode, valeur, statut "
                     "from marts.indicateurs").pl()
    types = conn.sql("select code as indicateur, type from marts.catalogue_indicateurs").pl()
    conn.close()
    truth = pl.read_csv(out / "ground_truth.csv", infer_schema=False).with_columns(pl.col("valeur").cast(pl.Float64))
    return truth, marts, types


@pytest.fixture(scope="module")
def compared(pipeline) -> pl.DataFrame:
    truth, marts, types = pipeline
    return (
        truth.join(marts, on=KEYS, how="left", suffix="_pipeline")
        .join(types, on="indicateur", how="left")
    )


def _mismatches(frame: pl.DataFrame) -> pl.DataFrame:
    exact = pl.col("type").is_in(list(COUNT_TYPES))
    diff = (pl.col("valeur") - pl.col("valeur_pipeline")).abs()
    ok = pl.when(exact).then(diff == 0).otherwise(diff <= 1e-9 * pl.col("valeur").abs().clip(1.0))
    return frame.filter(~ok.fill_null(False))


def test_every_truth_row_is_computed(compared):
    missing = compared.filter(pl.col("statut").is_null() | (pl.col("statut") != "ok"))
    assert missing.height == 0, missing.head(20)


def test_values_equal_ground_truth(compared):
    bad = _mismatches(compared)
    with pl.Config(tbl_rows=40, tbl_width_chars=200):
        assert bad.height == 0, f"{bad.height} / {compared.height} mismatches\n{bad.head(40)}"
    assert compared.height > 1000


def test_every_indicator_is_compared(compared):
    # every indicator of the catalogue, section G (the monthly ledger) included
    codes = set(compared["indicateur"].unique())
    catalogue = pl.read_csv(Path(__file__).parents[2] / "data/config/indicateurs.csv", infer_schema=False)
    assert codes == set(catalogue["code"])


def test_every_ledger_value_computed_is_in_the_truth(pipeline):
    """Section G both ways: every value the pipeline computes (`ok`) for the simulated years, monthly and
    yearly, every territory type, is a value of the truth (the other way is test_every_truth_row_is_computed)."""
    truth, marts, _ = pipeline
    catalogue = pl.read_csv(Path(__file__).parents[2] / "data/config/indicateurs.csv", infer_schema=False)
    ledger = set(catalogue.filter(pl.col("section") == "G")["code"])
    years = [str(y) for y in range(YEARS[0], YEARS[1] + 1)]
    computed = marts.filter(pl.col("indicateur").is_in(list(ledger)) & (pl.col("statut") == "ok")
                            & pl.col("periode").str.slice(0, 4).is_in(years))
    extra = computed.join(truth, on=KEYS, how="anti")
    with pl.Config(tbl_rows=20, tbl_width_chars=200):
        assert extra.height == 0, f"{extra.height} / {computed.height} not in the truth\n{extra.head(20)}"
    # the truth covers every territory type of the section, monthly and yearly, and real flows
    t = truth.filter(pl.col("indicateur").is_in(list(ledger)))
    assert set(t["territoire_type"]) == {"departement", "region", "france", "territoire_lda", "groupe", "epci"}
    assert set(t["indicateur"]) == ledger
    fr = t.filter((pl.col("territoire_code") == "FR") & (pl.col("periode") == str(YEARS[1])))
    values = dict(zip(fr["indicateur"], fr["valeur"]))
    assert values["ACTIFS"] > 100 and values["SORTIES_LOGEMENT"] > 0 and values["ENTREES_RETOUR_LOGEMENT"] > 0
