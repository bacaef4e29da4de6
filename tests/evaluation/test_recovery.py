"""Recovery of the injected Logement d'abord effect: the generator
(`simulate(out, scale=0.02, seed=3, years=(2016, 2025))`, no quirks, ≈ 35 s) raises, in the
Logement d'abord perimeters, the probability that an attribution goes to a homeless household by
5 % (relative) a year after the territory's reference year, and writes in `effet_injecte.csv` the
TX_ATTR_SD with and without that effect. Its `ground_truth.csv` stands in for `marts.indicateurs`
(same long format; TX_ATTR_SD gets its numerator and denominator from the ATTR_SD and ATTR_TOT rows)
on top of the real reference layer; the evaluation must find, for the group LDA (reference 2017),
an interval containing the injected effect (effet_pp of the year − effet_pp of 2017) in most late
years and a positive DiD of the right magnitude in 2023–2025.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets.evaluation.assets import write_evaluation
from assets.evaluation.bootstrap import Parametres
from assets.reference import ASSETS as REFERENCE_ASSETS
from pipelines.resources import WarehouseResource
from pipelines.simulate import simulate
from tests.evaluation.conftest import INDICATEURS_COLUMNS

SCALE, SEED, YEARS = 0.02, 3, (2016, 2025)


def ground_truth_as_indicateurs(path: Path) -> pl.DataFrame:
    truth = pl.read_csv(path, infer_schema=False).with_columns(pl.col("valeur").cast(pl.Float64))
    keys = ["territoire_type", "territoire_code", "periode"]
    counts = truth.filter(pl.col("indicateur").is_in(["ATTR_SD", "ATTR_TOT"]))
    ratios = truth.filter(pl.col("indicateur") == "TX_ATTR_SD").join(
        counts.filter(pl.col("indicateur") == "ATTR_SD").select(*keys, pl.col("valeur").alias("numerateur")), on=keys
    ).join(
        counts.filter(pl.col("indicateur") == "ATTR_TOT").select(*keys, pl.col("valeur").alias("denominateur")), on=keys
    )
    counts = counts.with_columns(pl.col("valeur").alias("numerateur"), pl.lit(None, pl.Float64).alias("denominateur"))
    return pl.concat([counts, ratios], how="diagonal").with_columns(
        pl.lit(None, pl.String).alias("territoire_libelle"), pl.lit("ok").alias("statut"),
        pl.lit("simulate").alias("source"), pl.lit(0.0).alias("part_non_localisable"),
    ).select(INDICATEURS_COLUMNS)


@pytest.fixture(scope="module")
def recovery(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    root = tmp_path_factory.mktemp("recovery")
    out = root / "simulate"
    simulate(out, scale=SCALE, seed=SEED, years=YEARS)
    database = root / "w.duckdb"
    assert dg.materialize(REFERENCE_ASSETS, resources={"warehouse": WarehouseResource(database=str(database))}).success
    indicateurs = ground_truth_as_indicateurs(out / "ground_truth.csv")  # noqa: F841 (read by DuckDB)
    with duckdb.connect(str(database)) as conn:
        conn.execute("create schema if not exists marts").fetchall()
        conn.execute("create table marts.indicateurs as select * from indicateurs").fetchall()
        evaluation = write_evaluation(conn, Parametres())
    effet = pl.read_csv(out / "effet_injecte.csv", infer_schema=False).filter(
        (pl.col("territoire_type") == "groupe") & (pl.col("territoire_code") == "LDA")
    ).with_columns(pl.col("effet_pp").cast(pl.Float64))
    base = effet.filter(pl.col("periode") == "2017")["effet_pp"].item()
    effet = effet.select("periode", (pl.col("effet_pp") - base).alias("effet_injecte"))
    groupe = evaluation.filter((pl.col("territoire_type") == "groupe") & (pl.col("territoire_code") == "LDA")
                               & (pl.col("indicateur") == "TX_ATTR_SD"))
    figures = groupe.join(effet, on="periode").select(
        "periode", "effet_injecte", "did", "ic_bas", "ic_haut", "evolution_territoire", "evolution_reste_france",
        "n_departements_controle").sort("periode")
    with pl.Config(tbl_rows=20, tbl_cols=-1, tbl_width_chars=200):
        print(figures)
    return figures


def test_group_lda_evaluated_from_2018(recovery):
    assert recovery["periode"].to_list() == [str(y) for y in range(2018, 2026)]
    assert (recovery["n_departements_controle"] > 50).all()


def test_injected_effect_within_the_interval_in_most_late_years(recovery):
    late = recovery.filter(pl.col("periode").is_between(pl.lit("2019"), pl.lit("2025")))
    inside = late.filter((pl.col("ic_bas") <= pl.col("effet_injecte")) & (pl.col("effet_injecte") <= pl.col("ic_haut")))
    assert inside.height >= 6, late


def test_did_positive_and_of_the_right_magnitude(recovery):
    late = recovery.filter(pl.col("periode").is_between(pl.lit("2023"), pl.lit("2025")))
    assert (late["did"] > 0).all()
    assert (late["ic_bas"] > 0).all()  # the effect is detected
    ratio = late["did"].mean() / late["effet_injecte"].mean()
    assert 0.5 <= ratio <= 2.0, late
